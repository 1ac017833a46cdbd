import type { AppConfig } from '../config/app-config.js';
import type { EnvVarSpec } from '../config/env-schema.js';
import type { FeedTiming } from './job-feed.js';

/** The limits every queued, streamed job kind reads from env (`SCAN_…`, `CHAT_…`). */
export interface JobLimits {
  /** Jobs one worker runs at once. */
  concurrency: number;
  /** Bound of one job, from its first attempt. */
  jobTimeoutMs: number;
  /** How long a job's events stay replayable after its last one. */
  eventTtlSeconds: number;
  stream: FeedTiming;
}

export type JobLimitDefaults = Omit<JobLimits, 'stream'> & Omit<FeedTiming, 'unreadableLimitMs'>;

/**
 * How long a stream waits for an unreachable event store before it tells the client to come back:
 * longer than a Redis restart or failover blip, far shorter than a client's patience with a silent
 * stream (the app polls `/result` on the error).
 */
export const EVENT_STORE_OUTAGE_LIMIT_MS = 5000;

/**
 * The env variables of one job kind's limits, named `<PREFIX>_…`, with that kind's defaults. One
 * table for every kind, so scan and chat cannot drift apart in what they let an operator tune.
 */
export function jobLimitsEnv(prefix: string, label: string, defaults: JobLimitDefaults): EnvVarSpec[] {
  return [
    {
      name: `${prefix}_WORKER_CONCURRENCY`,
      kind: 'int',
      default: String(defaults.concurrency),
      min: 1,
      max: 512,
      description: `${label} jobs one AI worker handles at once (the work waits on the provider, not the CPU)`,
    },
    {
      name: `${prefix}_JOB_TIMEOUT_MS`,
      kind: 'int',
      default: String(defaults.jobTimeoutMs),
      min: 1000,
      description: `overall bound of one ${label} job; past it the job fails visibly`,
    },
    {
      name: `${prefix}_EVENT_TTL_SECONDS`,
      kind: 'int',
      default: String(defaults.eventTtlSeconds),
      min: 60,
      description: `how long a ${label} job’s events stay in the key-value store for SSE replay`,
    },
    {
      name: `${prefix}_SSE_KEEPALIVE_MS`,
      kind: 'int',
      default: String(defaults.keepAliveMs),
      min: 10,
      description: `interval of ${label} SSE keep-alives`,
    },
    {
      name: `${prefix}_SSE_MAX_WAIT_MS`,
      kind: 'int',
      default: String(defaults.maxWaitMs),
      min: 100,
      description: `longest a ${label} SSE stream stays open before it ends with an \`error\` event (timeout)`,
    },
    {
      name: `${prefix}_SSE_RECORD_CHECK_MS`,
      kind: 'int',
      default: String(defaults.recordCheckMs),
      min: 10,
      description: `quiet this long, a ${label} SSE stream asks the database whether the job finished without a closing event`,
    },
  ];
}

/** The limits `jobLimitsEnv(prefix, …)` declared, as configured. */
export function jobLimitsOf(config: AppConfig, prefix: string): JobLimits {
  return {
    concurrency: config.int(`${prefix}_WORKER_CONCURRENCY`),
    jobTimeoutMs: config.int(`${prefix}_JOB_TIMEOUT_MS`),
    eventTtlSeconds: config.int(`${prefix}_EVENT_TTL_SECONDS`),
    stream: {
      keepAliveMs: config.int(`${prefix}_SSE_KEEPALIVE_MS`),
      maxWaitMs: config.int(`${prefix}_SSE_MAX_WAIT_MS`),
      recordCheckMs: config.int(`${prefix}_SSE_RECORD_CHECK_MS`),
      unreadableLimitMs: EVENT_STORE_OUTAGE_LIMIT_MS,
    },
  };
}
