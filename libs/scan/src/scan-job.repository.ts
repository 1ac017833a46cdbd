import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { PreparedReads, type CursorPosition, type PreparedEntityRead } from '#platform';
import { ScanJob } from './scan-job.entity.js';
import type { PipelineResult, ScanFailure, ScanReward } from './scan-result.types.js';

type JobColumns = QueryDeepPartialEntity<ScanJob>;

const UNFINISHED = ['queued', 'running'] as const;

export interface CompletedScan {
  pipelineResult: PipelineResult;
  provider: string;
  latencyMs: number;
  completedAt: Date;
}

/** The only place that queries the scan tables. */
@Injectable()
export class ScanJobRepository {
  /** Every scan reads its job by id several times (worker start and landing, the stream, `/result`). */
  private byId?: PreparedEntityRead<ScanJob>;
  private byIdAndUser?: PreparedEntityRead<ScanJob>;

  constructor(
    @InjectRepository(ScanJob) private readonly jobs: Repository<ScanJob>,
    private readonly preparedReads: PreparedReads,
  ) {}

  async insertJob(manager: EntityManager, job: ScanJob): Promise<void> {
    await manager.getRepository(ScanJob).insert(job as JobColumns);
  }

  async findById(id: string): Promise<ScanJob | null> {
    this.byId ??= this.preparedReads.prepareEntities(ScanJob, '"id" = :id');
    return (await this.byId({ id }))[0] ?? null;
  }

  findByIds(ids: string[]): Promise<ScanJob[]> {
    return this.jobs.findBy({ id: In(ids) });
  }

  async findOwned(id: string, userId: string): Promise<ScanJob | null> {
    this.byIdAndUser ??= this.preparedReads.prepareEntities(ScanJob, '"id" = :id AND "user_id" = :userId');
    return (await this.byIdAndUser({ id, userId }))[0] ?? null;
  }

  /** True when the job was queued and is now running. */
  async markRunning(id: string, now: Date): Promise<boolean> {
    const result = await this.jobs.update({ id, status: 'queued' }, { status: 'running', updatedAt: now });
    return (result.affected ?? 0) > 0;
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
}
