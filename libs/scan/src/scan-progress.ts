import { Injectable } from '@nestjs/common';
import { Clock, JobEventLogs, JobStages, type JobEventLog, type StageStatus } from '#platform';
import type { ScanJob } from './scan-job.entity.js';
import { SCAN_LIMITS } from './scan.env.js';
import { finishedResultOf } from './scan-result-view.js';

export const SCAN_STAGES = ['queued', 'vision', 'rule', 'answer', 'reward', 'done'] as const;
export type ScanStage = (typeof SCAN_STAGES)[number];

/** Progress shown after each stage (the reference's 25/50/75/100), and where each stage starts. */
const STAGES = new JobStages<ScanStage>(SCAN_STAGES, {
  queued: { started: 0, completed: 0 },
  vision: { started: 5, completed: 25 },
  rule: { started: 30, completed: 50 },
  answer: { started: 55, completed: 75 },
  reward: { started: 80, completed: 95 },
  done: { started: 100, completed: 100 },
});

export interface ScanProgressEvent {
  job_id: string;
  stage: ScanStage;
  status: StageStatus;
  /** stage index × 10, +1 when completed, +2 when failed: failures get their own seq. */
  seq: number;
  /** Epoch seconds. */
  ts: number;
  progress: number;
  result?: unknown;
  error?: string;
  message?: string;
}

type EventDetails = Pick<ScanProgressEvent, 'result' | 'error' | 'message'>;

/** One event to record: a stage, its status and what the event carries besides. */
export type StageChange = { stage: ScanStage; status: StageStatus } & EventDetails;

export const seqOf = (stage: ScanStage, status: StageStatus): number => STAGES.seq(stage, status);

export const isTerminal = (event: ScanProgressEvent): boolean =>
  event.status === 'failed' || (event.stage === 'done' && event.status === 'completed');

/** Per-job progress events: the worker records each stage, every API pod's stream reads them. */
@Injectable()
export class ScanProgress {
  readonly log: JobEventLog<ScanProgressEvent>;

  constructor(
    logs: JobEventLogs,
    private readonly clock: Clock,
  ) {
    this.log = logs.open(SCAN_LIMITS);
  }

  async record(
    jobId: string,
    stage: ScanStage,
    status: StageStatus,
    extra: EventDetails = {},
  ): Promise<ScanProgressEvent> {
    const [event] = await this.recordAll(jobId, [{ stage, status, ...extra }]);
    return event;
  }

  /**
   * Several events in one write (one round trip to the store): a stage's end with the next stage's
   * start, when nothing happens between them that a client would wait on.
   */
  async recordAll(jobId: string, changes: readonly StageChange[]): Promise<ScanProgressEvent[]> {
    const ts = Math.floor(this.clock.now().getTime() / 1000);
    const events = changes.map(({ stage, status, ...extra }) =>
      this.eventOf(jobId, stage, status, ts, extra),
    );
    await this.log.append(jobId, ...events);
    return events;
  }

  /** The furthest event so far (a redelivered job may repeat earlier ones), or null. */
  async latest(jobId: string): Promise<ScanProgressEvent | null> {
    const { events } = await this.log.readFrom(jobId, 0);
    return events.reduce<ScanProgressEvent | null>((best, e) => (!best || e.seq > best.seq ? e : best), null);
  }

  /**
   * The closing event of a finished job rebuilt from its row (`done` completed, or `done` failed), so
   * a job whose events expired, or whose closing event was never logged, still closes; else null.
   */
  closingEventOf(job: ScanJob): ScanProgressEvent | null {
    const result = finishedResultOf(job);
    if (!result) return null;
    const ts = Math.floor((job.completedAt ?? job.updatedAt).getTime() / 1000);
    return result.status === 'completed'
      ? this.eventOf(job.id, 'done', 'completed', ts, { result })
      : this.eventOf(job.id, 'done', 'failed', ts, {
          error: result.error.code,
          message: result.error.message,
          result,
        });
  }

  private eventOf(
    jobId: string,
    stage: ScanStage,
    status: StageStatus,
    ts: number,
    extra: EventDetails,
  ): ScanProgressEvent {
    return {
      job_id: jobId,
      stage,
      status,
      seq: STAGES.seq(stage, status),
      ts,
      progress: STAGES.progress(stage, status),
      ...extra,
    };
  }
}
