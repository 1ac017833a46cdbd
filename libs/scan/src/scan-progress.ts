import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock, EventLog, KEY_VALUE_STORE, type KeyValueStore } from '../../platform/src/index.js';

export const SCAN_STAGES = ['queued', 'vision', 'rule', 'answer', 'reward', 'done'] as const;
export type ScanStage = (typeof SCAN_STAGES)[number];
export type StageStatus = 'started' | 'completed' | 'failed';

/** Progress shown after each stage (the reference's 25/50/75/100), and where each stage starts. */
const PROGRESS: Record<ScanStage, { started: number; completed: number }> = {
  queued: { started: 0, completed: 0 },
  vision: { started: 5, completed: 25 },
  rule: { started: 30, completed: 50 },
  answer: { started: 55, completed: 75 },
  reward: { started: 80, completed: 95 },
  done: { started: 100, completed: 100 },
};

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

export function seqOf(stage: ScanStage, status: StageStatus): number {
  const offset = status === 'completed' ? 1 : status === 'failed' ? 2 : 0;
  return SCAN_STAGES.indexOf(stage) * 10 + offset;
}

export const isTerminal = (event: ScanProgressEvent): boolean =>
  event.status === 'failed' || (event.stage === 'done' && event.status === 'completed');

/** Per-job progress events: the worker records each stage, every API pod's stream reads them. */
@Injectable()
export class ScanProgress {
  private readonly log: EventLog<ScanProgressEvent>;

  constructor(
    @Inject(KEY_VALUE_STORE) store: KeyValueStore,
    @Inject(AppConfig) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.log = new EventLog(store, 'scan:events:', config.int('SCAN_EVENT_TTL_SECONDS'));
  }

  async record(
    jobId: string,
    stage: ScanStage,
    status: StageStatus,
    extra: Pick<ScanProgressEvent, 'result' | 'error' | 'message'> = {},
  ): Promise<ScanProgressEvent> {
    const event: ScanProgressEvent = {
      job_id: jobId,
      stage,
      status,
      seq: seqOf(stage, status),
      ts: Math.floor(this.clock.now().getTime() / 1000),
      progress: status === 'failed' ? PROGRESS[stage].started : PROGRESS[stage][status],
      ...extra,
    };
    await this.log.append(jobId, event);
    return event;
  }

  /** Events stored from list index `from` on, and the index to read from next time. */
  readFrom(jobId: string, from: number): Promise<{ events: ScanProgressEvent[]; next: number }> {
    return this.log.readFrom(jobId, from);
  }

  /** The furthest event so far (a redelivered job may repeat earlier ones), or null. */
  async latest(jobId: string): Promise<ScanProgressEvent | null> {
    const { events } = await this.readFrom(jobId, 0);
    return events.reduce<ScanProgressEvent | null>((best, e) => (!best || e.seq > best.seq ? e : best), null);
  }
}
