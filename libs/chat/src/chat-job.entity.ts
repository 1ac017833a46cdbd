import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '#platform';

export type ChatJobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface ChatFailure {
  code: string;
  message: string;
}

export interface UserLocation {
  latitude: number;
  longitude: number;
}

/** One turn of a chat: the stored user message waiting for (or answered by) the assistant. */
@Entity('chat_jobs')
export class ChatJob {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'conversation_id', type: 'varchar', length: 36 })
  conversationId: string;

  @Column({ name: 'user_message_id', type: 'varchar', length: 36 })
  userMessageId: string;

  @Column({ name: 'assistant_message_id', type: 'varchar', length: 36, nullable: true })
  assistantMessageId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: ChatJobStatus;

  @Column({ type: 'varchar', length: 32, nullable: true })
  intent: string | null;

  /** Blob key of the caller's upload; the worker reads the bytes from our store, never the URL. */
  @Column({ name: 'image_key', type: 'varchar', length: 255, nullable: true })
  imageKey: string | null;

  @JsonColumn({ name: 'user_location', nullable: true })
  userLocation: UserLocation | null;

  /** What the app asked for (`model`); recorded only, the configured provider model answers. */
  @Column({ name: 'requested_model', type: 'varchar', length: 64, nullable: true })
  requestedModel: string | null;

  @JsonColumn({ nullable: true })
  error: ChatFailure | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;

  @TimestampColumn({ name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
