import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../../platform/src/index.js';

/**
 * A message committed with the job it announces, so a 202-accepted job is published even when the
 * broker was down at submit time: the relay publishes it later, with this id as the message id.
 */
@Entity('scan_outbox')
export class ScanOutboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  @JsonColumn()
  payload: unknown;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Doubles as a claim: a relay pushes it forward before publishing so other relays skip the row. */
  @TimestampColumn({ name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @TimestampColumn({ name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;
}
