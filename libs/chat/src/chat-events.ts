import { Injectable } from '@nestjs/common';
import { JobEventLogs, JobStages, type JobEventLog, type StageStatus } from '#platform';
import { CHAT_LIMITS } from './chat.env.js';

/** In the order the app lists them (useAgentSSE); a stage's seq is its index × 10. */
export const CHAT_STAGES = [
  'queued',
  'intent',
  'vision',
  'waste_rag',
  'character',
  'location',
  'bulk_waste',
  'weather',
  'collection_point',
  'web_search',
  'image_generation',
  'general',
  'summarize',
  'answer',
  'done',
] as const;
export type ChatStage = (typeof CHAT_STAGES)[number];

/** Where each stage puts the progress bar when it starts and when it completes. */
const STAGES = new JobStages<ChatStage>(CHAT_STAGES, {
  queued: { started: 0, completed: 5 },
  summarize: { started: 6, completed: 9 },
  intent: { started: 10, completed: 20 },
  vision: { started: 25, completed: 35 },
  // Tools run in parallel: they share one band of the bar.
  waste_rag: { started: 40, completed: 50 },
  character: { started: 40, completed: 50 },
  location: { started: 40, completed: 50 },
  bulk_waste: { started: 40, completed: 50 },
  weather: { started: 40, completed: 50 },
  collection_point: { started: 40, completed: 50 },
  web_search: { started: 40, completed: 50 },
  image_generation: { started: 40, completed: 50 },
  general: { started: 40, completed: 50 },
  answer: { started: 55, completed: 95 },
  done: { started: 100, completed: 100 },
});

/** Token seqs start above every stage seq, as in the reference (1001, 1002, …). */
export const FIRST_TOKEN_SEQ = 1001;

export interface StageEventData {
  job_id: string;
  stage: ChatStage;
  status: StageStatus;
  /** Stage index × 10, +1 when completed, +2 when failed: every event of a job has its own seq. */
  seq: number;
  progress: number;
  message?: string;
}

export interface TokenEventData {
  job_id: string;
  content: string;
  seq: number;
  node: 'answer';
}

export interface ChatEvent {
  event: string;
  data: Record<string, unknown>;
}

export const stageSeq = (stage: ChatStage, status: StageStatus): number => STAGES.seq(stage, status);

export function stageEvent(
  jobId: string,
  stage: ChatStage,
  status: StageStatus,
  message?: string,
): ChatEvent {
  const data: StageEventData = {
    job_id: jobId,
    stage,
    status,
    seq: stageSeq(stage, status),
    progress: STAGES.progress(stage, status),
    ...(message ? { message } : {}),
  };
  return { event: stage, data: { ...data } };
}

export const isClosing = (event: ChatEvent): boolean => event.event === 'done' || event.event === 'error';

/** A job's stream: the worker appends stage, token and closing events, every API pod's stream reads them. */
@Injectable()
export class ChatEvents {
  readonly log: JobEventLog<ChatEvent>;

  constructor(logs: JobEventLogs) {
    this.log = logs.open(CHAT_LIMITS);
  }

  async append(jobId: string, event: ChatEvent): Promise<void> {
    await this.log.append(jobId, event);
  }

  async stage(jobId: string, stage: ChatStage, status: StageStatus, message?: string): Promise<void> {
    await this.append(jobId, stageEvent(jobId, stage, status, message));
  }

  async token(jobId: string, seq: number, content: string): Promise<void> {
    const data: TokenEventData = { job_id: jobId, content, seq, node: 'answer' };
    await this.append(jobId, { event: 'token', data: { ...data } });
  }

  /** Events from list index `from` on. */
  async readFrom(jobId: string, from: number): Promise<ChatEvent[]> {
    return (await this.log.readFrom(jobId, from)).events;
  }

  /** The highest token seq logged so far (a redelivered job continues after it), or 0. */
  async lastTokenSeq(jobId: string): Promise<number> {
    return (await this.readFrom(jobId, 0))
      .filter((e) => e.event === 'token')
      .reduce((max, e) => Math.max(max, Number(e.data.seq)), 0);
  }
}
