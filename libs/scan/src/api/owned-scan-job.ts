import { Injectable } from '@nestjs/common';
import { NotFound } from '#platform';
import type { ScanJob } from '../scan-job.entity.js';
import { ScanJobRepository } from '../scan-job.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's job or 404: an unknown id and another user's job answer the same (API.md). */
@Injectable()
export class OwnedScanJobs {
  constructor(private readonly jobs: ScanJobRepository) {}

  async get(jobId: string, userId: string): Promise<ScanJob> {
    // A malformed id is simply not found (and never reaches PostgreSQL's uuid parser).
    const job = UUID.test(jobId) ? await this.jobs.findOwned(jobId, userId) : null;
    if (!job) throw new NotFound('No such scan job');
    return job;
  }
}
