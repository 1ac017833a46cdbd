import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

export type ChatRole = 'user' | 'assistant';

/** One message of a chat; both messages of a turn carry the turn's job id. */
@Entity('chat_messages')
export class ChatMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'conversation_id', type: 'varchar', length: 36 })
  conversationId: string;

  @Column({ type: 'varchar', length: 16 })
  role: ChatRole;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'image_url', type: 'varchar', length: 2048, nullable: true })
  imageUrl: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  intent: string | null;

  /** Unique with `role`: a redelivered job can never store a second assistant message. */
  @Column({ name: 'job_id', type: 'varchar', length: 36, nullable: true })
  jobId: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
