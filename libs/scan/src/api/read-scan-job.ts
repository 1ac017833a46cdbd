import { Injectable } from '@nestjs/common';
import type { ScanJobStatusDto } from '../dto/scan-job-status.dto.js';
import { OwnedScanJobs } from './owned-scan-job.js';
import { ScanProgress } from '../scan-progress.js';
import {
  finishedResultOf,
  pendingResultOf,
  type FinishedResultBody,
  type PendingResultBody,
} from '../scan-result-view.js';

/** `GET /{job_id}/result` and `GET /{job_id}`: the stored row, with live progress from the event log. */
@Injectable()
export class ReadScanJob {
  constructor(
    private readonly owned: OwnedScanJobs,
    private readonly progress: ScanProgress,
  ) {}

  async result(jobId: string, userId: string): Promise<FinishedResultBody | PendingResultBody> {
    const job = await this.owned.get(jobId, userId);
    return finishedResultOf(job) ?? pendingResultOf(await this.latestOrNull(jobId));
  }

  async status(jobId: string, userId: string): Promise<ScanJobStatusDto> {
    const job = await this.owned.get(jobId, userId);
    const finished = job.status === 'completed' || job.status === 'failed';
    const latest = finished ? null : await this.latestOrNull(jobId);
    const started = latest !== null && latest.stage !== 'queued';
    return {
      job_id: job.id,
      status: finished ? job.status : started ? 'running' : job.status,
      stage: finished ? 'done' : (latest?.stage ?? 'queued'),
      progress: finished ? 100 : (latest?.progress ?? 0),
      created_at: job.createdAt.toISOString(),
      completed_at: job.completedAt?.toISOString() ?? null,
    };
  }

  /** Progress is a nicety: without the key-value store the pending answer still works. */
  private async latestOrNull(jobId: string) {
    return this.progress.latest(jobId).catch(() => null);
  }
}
