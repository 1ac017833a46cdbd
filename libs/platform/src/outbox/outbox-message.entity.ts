import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns.js';

/**
 * A queue message committed in the same transaction as the change it announces, so an accepted
 * request is published even when the broker was down at the time: the relay publishes it later, with
 * this id as the message id.
 */
@Entity('outbox_messages')
export class OutboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  @JsonColumn()
  body: unknown;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Doubles as a claim: a relay pushes it forward before publishing so other relays skip the row. */
  @TimestampColumn({ name: 'next_attempt_at' })
  nextAttemptAt: Date;

  /** The claim that took the row last: how a relay tells its rows from another's claimed at once. */
  @Column({ name: 'claim_id', type: 'varchar', length: 36, nullable: true })
  claimId: string | null;

  @TimestampColumn({ name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
