import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '#platform';
import type { PipelineResult, ScanFailure, ScanJobStatus, ScanReward } from './scan-result.types.js';

/** One photo submitted for classification, and once finished its stored result (scan history). */
@Entity('scan_jobs')
export class ScanJob {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  status: ScanJobStatus;

  /** Blob key of the caller's upload; the worker reads the bytes from our store, never the URL. */
  @Column({ name: 'image_key', type: 'varchar', length: 255 })
  imageKey: string;

  @Column({ name: 'image_url', type: 'varchar', length: 2048 })
  imageUrl: string;

  @Column({ name: 'user_input', type: 'text', nullable: true })
  userInput: string | null;

  /** What the app asked for (`model`); recorded only, the configured provider model answers. */
  @Column({ name: 'requested_model', type: 'varchar', length: 64, nullable: true })
  requestedModel: string | null;

  @JsonColumn({ name: 'pipeline_result', nullable: true })
  pipelineResult: PipelineResult | null;

  @JsonColumn({ nullable: true })
  reward: ScanReward | null;

  @JsonColumn({ nullable: true })
  error: ScanFailure | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  provider: string | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs: number | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;

  @TimestampColumn({ name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
