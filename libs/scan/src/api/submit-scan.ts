import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import {
  AppConfig,
  Clock,
  DependencyUnavailable,
  KEY_VALUE_STORE,
  Outbox,
  Transactions,
  ValidationFailed,
  type KeyValueStore,
} from '#platform';
import { ImageUploads } from '#storage';
import type { ScanSubmittedDto, SubmitScanDto } from '../dto/submit-scan.dto.js';
import { ScanJob } from '../scan-job.entity.js';
import { ScanJobRepository } from '../scan-job.repository.js';
import { ScanProgress } from '../scan-progress.js';
import { SCAN_QUEUE, type ScanRequestedMessage } from '../scan-request.js';

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The app takes the job id from `result_url`'s second-to-last segment: these shapes are the contract. */
export function submittedResponse(jobId: string): ScanSubmittedDto {
  return {
    job_id: jobId,
    status: 'queued',
    stream_url: `/api/v1/scan/${jobId}/events`,
    result_url: `/api/v1/scan/${jobId}/result`,
  };
}

export interface SubmitScanCommand {
  userId: string;
  request: SubmitScanDto;
  idempotencyKey?: string;
  /** The public origin of this request, which `image_url` must be on. */
  baseUrl: string;
}

/**
 * `POST /api/v1/scan`: accepts only an upload we issued to the caller, then stores the job and its
 * queue message in one transaction (the outbox relay publishes it). An Idempotency-Key is scoped to
 * the caller, so the same key from two users makes two jobs.
 */
@Injectable()
export class SubmitScan {
  private readonly logger = new Logger(SubmitScan.name);
  private readonly idempotencyTtlSeconds: number;

  constructor(
    private readonly images: ImageUploads,
    private readonly transactions: Transactions,
    private readonly jobs: ScanJobRepository,
    private readonly progress: ScanProgress,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.idempotencyTtlSeconds = config.int('SCAN_IDEMPOTENCY_TTL_SECONDS');
  }

  async run(command: SubmitScanCommand): Promise<ScanSubmittedDto> {
    const { userId, idempotencyKey } = command;
    const jobId = randomUUID();
    const claimKey = idempotencyKey === undefined ? undefined : this.idempotencyKeyOf(userId, idempotencyKey);
    if (claimKey) {
      const earlierJob = await this.claim(claimKey, jobId);
      if (earlierJob) return submittedResponse(earlierJob);
    }
    try {
      await this.createJob(jobId, command);
    } catch (error) {
      // The key must not point at a job that was never created.
      if (claimKey) await this.store.delete(claimKey).catch(() => undefined);
      throw error;
    }
    return submittedResponse(jobId);
  }

  private async createJob(jobId: string, { userId, request, baseUrl }: SubmitScanCommand): Promise<void> {
    const upload = await this.images.resolveOwnedUpload({ userId, imageUrl: request.image_url, baseUrl });
    const now = this.clock.now();
    const message: ScanRequestedMessage = {
      job_id: jobId,
      user_id: userId,
      image_key: upload.key,
      user_input: request.user_input?.trim() || null,
    };
    const job = Object.assign(new ScanJob(), {
      id: jobId,
      userId,
      status: 'queued',
      imageKey: upload.key,
      imageUrl: request.image_url,
      userInput: message.user_input,
      requestedModel: typeof request.model === 'string' ? request.model.slice(0, 64) : null,
      pipelineResult: null,
      reward: null,
      error: null,
      provider: null,
      latencyMs: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    } satisfies ScanJob);
    await this.transactions.run(async (manager) => {
      await this.jobs.insertJob(manager, job);
      await this.outbox.add(manager, SCAN_QUEUE, message);
    });
    this.outbox.wake();
    await Promise.all([
      this.images.markUsed(upload.key),
      this.progress.record(jobId, 'queued', 'started'),
    ]).catch((error: Error) =>
      // Both are conveniences (cleanup exemption, first SSE event); the job itself is committed.
      this.logger.warn({ jobId, err: error.message }, 'scan accepted with a follow-up step missing'),
    );
  }

  /** Reserves the key for this job; returns the job an earlier request with the key created. */
  private async claim(key: string, jobId: string): Promise<string | null> {
    try {
      if (await this.store.set(key, jobId, { ttlSeconds: this.idempotencyTtlSeconds, onlyIfAbsent: true }))
        return null;
      return (await this.store.get(key)) ?? (await this.claim(key, jobId));
    } catch {
      // Without the store a retried request could create a second job: refuse rather than guess.
      throw new DependencyUnavailable('idempotency store');
    }
  }

  private idempotencyKeyOf(userId: string, key: string): string {
    if (key.trim() === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new ValidationFailed([
        { field: 'Idempotency-Key', message: `must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ]);
    }
    return `scan:idempotency:${userId}:${createHash('sha256').update(key).digest('hex')}`;
  }
}
