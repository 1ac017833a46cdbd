import { jobLimitsEnv, type EnvVarSpec } from '#platform';

/** Prefix of the scan job limits in env (`SCAN_WORKER_CONCURRENCY`, …): see `jobLimitsEnv`. */
export const SCAN_LIMITS = 'SCAN';

export const SCAN_ENV: readonly EnvVarSpec[] = [
  ...jobLimitsEnv(SCAN_LIMITS, 'scan', {
    concurrency: 16,
    jobTimeoutMs: 180_000,
    eventTtlSeconds: 86_400,
    keepAliveMs: 15_000,
    maxWaitMs: 300_000,
    recordCheckMs: 5000,
  }),
  {
    name: 'SCAN_PROVIDER_ATTEMPTS',
    kind: 'int',
    default: '3',
    min: 1,
    max: 10,
    description: 'calls per pipeline step when the provider fails in a retryable way (garbage, 5xx, timeout)',
  },
  {
    name: 'SCAN_PROVIDER_RETRY_BASE_MS',
    kind: 'int',
    default: '500',
    min: 0,
    description: 'first backoff between provider calls of one step (doubles each time)',
  },
  {
    name: 'SCAN_IDEMPOTENCY_TTL_SECONDS',
    kind: 'int',
    default: '86400',
    min: 60,
    description: 'how long an Idempotency-Key maps to the job it created (per user)',
  },
  {
    name: 'WORKER_JOURNAL_PATH',
    kind: 'string',
    description: 'AI worker’s local SQLite journal (WAL); default ${STATE_DIR}/worker-journal.sqlite',
  },
  {
    name: 'WORKER_JOURNAL_SYNC_MS',
    kind: 'int',
    default: '1000',
    min: 10,
    description: 'first backoff of the journal sync loop while the database is unreachable (doubles, ≤ 30 s)',
  },
  {
    name: 'WORKER_JOURNAL_RETENTION_SECONDS',
    kind: 'int',
    default: '86400',
    min: 0,
    description: 'how long synced journal entries are kept (they answer redeliveries) before pruning',
  },
];
