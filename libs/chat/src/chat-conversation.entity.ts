import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

/** One chat with the assistant; soft-deleted (`deleted_at`) so a deleted chat's jobs stay consistent. */
@Entity('chat_conversations')
export class ChatConversation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  /** The latest message, shortened, for the chat list. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  preview: string | null;

  @Column({ name: 'message_count', type: 'integer', default: 0 })
  messageCount: number;

  @TimestampColumn({ name: 'last_message_at', nullable: true })
  lastMessageAt: Date | null;

  /**
   * The list's sort key: `last_message_at`, or `created_at` while the chat is empty. Never null, so a
   * new chat has a place in the keyset order (the reference's new chats were unreachable by cursor).
   */
  @TimestampColumn({ name: 'last_activity_at' })
  lastActivityAt: Date;

  /** Rolling summary of the turns older than the assistant's memory window (kept by ChatMemory). */
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  /** The last message the summary covers, as (created_at, id): later ones are not in it yet. */
  @TimestampColumn({ name: 'summary_through_at', nullable: true })
  summaryThroughAt: Date | null;

  @Column({ name: 'summary_through_id', type: 'varchar', length: 36, nullable: true })
  summaryThroughId: string | null;

  @TimestampColumn({ name: 'deleted_at', nullable: true })
  deletedAt: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}
