import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { CursorPosition } from '../../platform/src/index.js';
import { ScanJob } from './scan-job.entity.js';
import { ScanOutboxMessage } from './scan-outbox.entity.js';
import type { PipelineResult, ScanFailure, ScanReward } from './scan-result.types.js';

type JobColumns = QueryDeepPartialEntity<ScanJob>;

const UNFINISHED = ['queued', 'running'] as const;

export interface CompletedScan {
  pipelineResult: PipelineResult;
  provider: string;
  latencyMs: number;
  completedAt: Date;
}

/** The only place that queries the scan tables (jobs and their outbox). */
@Injectable()
export class ScanJobRepository {
  constructor(
    @InjectRepository(ScanJob) private readonly jobs: Repository<ScanJob>,
    @InjectRepository(ScanOutboxMessage) private readonly outbox: Repository<ScanOutboxMessage>,
  ) {}

  async insertJobWithOutbox(manager: EntityManager, job: ScanJob, message: ScanOutboxMessage): Promise<void> {
    await manager.getRepository(ScanJob).insert(job as JobColumns);
    await manager
      .getRepository(ScanOutboxMessage)
      .insert(message as QueryDeepPartialEntity<ScanOutboxMessage>);
  }

  findById(id: string): Promise<ScanJob | null> {
    return this.jobs.findOneBy({ id });
  }

  findOwned(id: string, userId: string): Promise<ScanJob | null> {
    return this.jobs.findOneBy({ id, userId });
  }

  async markRunning(id: string, now: Date): Promise<void> {
    await this.jobs.update({ id, status: 'queued' }, { status: 'running', updatedAt: now });
  }

  /**
   * Moves an unfinished job to `completed`. Returns false when it was already finished (a redelivered
   * or resumed job): the caller then must not grant anything. Run first in the transaction so that on
   * PostgreSQL the row lock serialises concurrent finishers of the same job.
   */
  async completeIfUnfinished(manager: EntityManager, id: string, scan: CompletedScan): Promise<boolean> {
    const result = await manager.getRepository(ScanJob).update(
      { id, status: In([...UNFINISHED]) },
      {
        status: 'completed',
        // JSON columns: TypeORM's partial type would recurse into the document's own fields.
        pipelineResult: scan.pipelineResult as JobColumns['pipelineResult'],
        provider: scan.provider,
        latencyMs: scan.latencyMs,
        completedAt: scan.completedAt,
        updatedAt: scan.completedAt,
      },
    );
    return (result.affected ?? 0) > 0;
  }

  async setReward(manager: EntityManager, id: string, reward: ScanReward | null): Promise<void> {
    await manager.getRepository(ScanJob).update({ id }, { reward });
  }

  async failIfUnfinished(id: string, failure: ScanFailure, now: Date): Promise<boolean> {
    const result = await this.jobs.update(
      { id, status: In([...UNFINISHED]) },
      { status: 'failed', error: failure, completedAt: now, updatedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  /** The user's jobs newest first, `limit + 1` rows after the cursor (for pageOf). */
  history(userId: string, limit: number, after?: CursorPosition): Promise<ScanJob[]> {
    const query = this.jobs
      .createQueryBuilder('job')
      .where('job.user_id = :userId', { userId })
      .orderBy('job.created_at', 'DESC')
      .addOrderBy('job.id', 'DESC')
      .take(limit + 1);
    if (after) {
      query.andWhere('(job.created_at < :at OR (job.created_at = :at AND job.id < :id))', {
        at: new Date(after.key),
        id: after.id,
      });
    }
    return query.getMany();
  }

  dueOutbox(now: Date, limit: number): Promise<ScanOutboxMessage[]> {
    return this.outbox.find({
      where: { sentAt: IsNull(), nextAttemptAt: LessThanOrEqual(now) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /** Claims a due row for one publish attempt; false when another relay got it first. */
  async claimOutbox(message: ScanOutboxMessage, leaseUntil: Date): Promise<boolean> {
    const result = await this.outbox.update(
      { id: message.id, sentAt: IsNull(), nextAttemptAt: message.nextAttemptAt },
      { nextAttemptAt: leaseUntil, attempts: message.attempts + 1 },
    );
    return (result.affected ?? 0) > 0;
  }

  async markOutboxSent(id: string, now: Date): Promise<void> {
    await this.outbox.update({ id }, { sentAt: now });
  }

  async deferOutbox(id: string, until: Date): Promise<void> {
    await this.outbox.update({ id }, { nextAttemptAt: until });
  }

  countUnsentOutbox(): Promise<number> {
    return this.outbox.countBy({ sentAt: IsNull() });
  }
}
