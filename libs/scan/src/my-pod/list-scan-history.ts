import { Injectable } from '@nestjs/common';
import { decodeCursor, pageOf } from '#platform';
import type { ScanHistoryItemDto, ScanHistoryPageDto } from '../dto/scan-history.dto.js';
import type { ScanJob } from '../scan-job.entity.js';
import { ScanJobRepository } from '../scan-job.repository.js';

const DEFAULT_LIMIT = 20;

/** `GET /api/v1/users/me/scans`: the caller's scans newest first, keyset pages on (created_at, id). */
@Injectable()
export class ListScanHistory {
  constructor(private readonly jobs: ScanJobRepository) {}

  async run(userId: string, limit = DEFAULT_LIMIT, cursor?: string): Promise<ScanHistoryPageDto> {
    const after = decodeCursor(cursor);
    const rows = await this.jobs.history(userId, limit, after);
    const page = pageOf(rows, limit, (job) => ({ key: job.createdAt.toISOString(), id: job.id }));
    return { items: page.items.map(historyItemOf), next_cursor: page.nextCursor };
  }
}

function historyItemOf(job: ScanJob): ScanHistoryItemDto {
  const reward = job.reward;
  return {
    job_id: job.id,
    status: job.status,
    image_url: job.imageUrl,
    user_input: job.userInput,
    classification: job.pipelineResult?.classification_result.classification ?? null,
    reward: reward
      ? {
          code: reward.code,
          name: reward.name,
          received: reward.received,
          already_owned: reward.already_owned,
        }
      : null,
    error: job.error,
    result_url: `/api/v1/scan/${job.id}/result`,
    created_at: job.createdAt.toISOString(),
    completed_at: job.completedAt?.toISOString() ?? null,
  };
}
