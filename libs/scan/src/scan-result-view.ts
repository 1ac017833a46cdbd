import type { ScanJob } from './scan-job.entity.js';
import type { ScanProgressEvent } from './scan-progress.js';
import type { PipelineResult, ScanFailure, ScanReward } from './scan-result.types.js';

export const COMPLETED_MESSAGE = 'classification completed';
export const FAILED_MESSAGE = '분류 파이프라인 처리에 실패했습니다.';
export const PROCESSING_MESSAGE = '결과 준비 중입니다.';

export interface CompletedResultBody {
  task_id: string;
  status: 'completed';
  message: string;
  pipeline_result: PipelineResult;
  reward: ScanReward | null;
  error: null;
  provider: string | null;
  latency_ms: number | null;
}

export interface FailedResultBody {
  task_id: string;
  status: 'failed';
  message: string;
  pipeline_result: null;
  reward: null;
  error: ScanFailure;
}

export interface PendingResultBody {
  status: 'processing';
  message: string;
  current_stage: string;
  progress: number;
}

export type FinishedResultBody = CompletedResultBody | FailedResultBody;

/** The `/result` body of a completed job, from the columns its completion wrote. */
export function completedResultOf(
  job: Pick<ScanJob, 'id' | 'pipelineResult' | 'reward' | 'provider' | 'latencyMs'> & {
    pipelineResult: PipelineResult;
  },
): CompletedResultBody {
  return {
    task_id: job.id,
    status: 'completed',
    message: COMPLETED_MESSAGE,
    pipeline_result: job.pipelineResult,
    // The app shows "not rewarded" only for an explicit null, so the key is always present.
    reward: job.reward ?? null,
    error: null,
    provider: job.provider,
    latency_ms: job.latencyMs,
  };
}

/** The `/result` body of a finished job (also the `result` of the `done` SSE event), else null. */
export function finishedResultOf(job: ScanJob): FinishedResultBody | null {
  if (job.status === 'completed' && job.pipelineResult)
    return completedResultOf({ ...job, pipelineResult: job.pipelineResult });
  if (job.status === 'failed') {
    return {
      task_id: job.id,
      status: 'failed',
      message: FAILED_MESSAGE,
      pipeline_result: null,
      reward: null,
      error: job.error ?? { code: 'SCAN_FAILED', message: FAILED_MESSAGE },
    };
  }
  return null;
}

export function pendingResultOf(latest: ScanProgressEvent | null): PendingResultBody {
  return {
    status: 'processing',
    message: PROCESSING_MESSAGE,
    current_stage: latest?.stage ?? 'queued',
    progress: latest?.progress ?? 0,
  };
}
