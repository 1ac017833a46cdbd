import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig, envSpecsOf } from '#platform';
import { WorkerJournal } from '../libs/scan/src/worker/worker-journal.js';
import { startAppProcess, type AppProcess } from '../test/support/app-process.js';
import { startDelayProxy, type DelayProxy } from '../test/support/delay-proxy.js';
import { productionEnv } from '../test/support/test-app.js';
import { waitUntil } from '../test/support/wait.js';
import { APP_CATALOG } from './catalog.js';

const SHUTDOWN_TIMEOUT_MS = 8000;
/** Each way, so a database round trip takes twice this: a run is surely inside one when SIGTERM lands. */
const DATABASE_DELAY_MS = 1500;

interface LogLine {
  msg?: string;
  task?: string;
}

const logLines = (output: string[]): LogLine[] =>
  output.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });

/** A news feed that takes the request and never answers: a collection stays in its fetch. */
async function startHangingFeed(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer(() => requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/feed.xml`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A finished scan outcome waiting in the AI worker's journal, so the sync has a row to land. */
function journalOutcome(env: NodeJS.ProcessEnv): void {
  const journal = new WorkerJournal(AppConfig.load(envSpecsOf(APP_CATALOG), env));
  const jobId = randomUUID();
  const now = Date.now();
  journal.begin({ job_id: jobId, user_id: randomUUID(), image_key: 'scan/x.jpg', user_input: null }, now);
  journal.finish(jobId, { kind: 'failed', failure: { code: 'TEST', message: 'seeded' } }, now);
  journal.onApplicationShutdown();
}

const TASKS = [
  'outbox-relay',
  'scan-journal-sync',
  'storage-queue-pending-uploads',
  'storage-delete-unused-uploads',
  'news-collection',
] as const;

/** Index of the last log line of `task` with one of these messages, or -1. */
const lastIndexOf = (lines: LogLine[], task: string, messages: RegExp): number =>
  lines.findLastIndex((l) => l.task === task && messages.test(l.msg ?? ''));

describe('SIGTERM while every periodic task is in a run (real process, production adapters)', () => {
  let database: DelayProxy;
  let feed: Awaited<ReturnType<typeof startHangingFeed>>;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    [database, feed] = await Promise.all([
      startDelayProxy({ host: url.hostname, port: Number(url.port || 5432) }),
      startHangingFeed(),
    ]);
  });

  afterAll(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await database?.close();
    await feed?.close();
  });

  it('exits 0 within SHUTDOWN_TIMEOUT_MS; each run in progress ended during the drain; no unhandled rejection', async () => {
    // One process with the API domains and the workers that own the five tasks, each run often.
    const base = await productionEnv({
      APP_ROLE: 'all',
      APP_DOMAINS: 'scan,info',
      WORKER_ROLES: 'ai,storage',
      LOG_LEVEL: 'debug',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      OUTBOX_POLL_MS: '50',
      WORKER_JOURNAL_SYNC_MS: '50',
      WORKER_JOURNAL_PATH: join(mkdtempSync(join(tmpdir(), 'eco2-journal-')), 'worker-journal.sqlite'),
      IMAGE_PENDING_SWEEP_MS: '100',
      IMAGE_CLEANUP_INTERVAL_MS: '1000',
      NEWS_FEED_URLS: feed.url,
      NEWS_COLLECT_INTERVAL_SECONDS: '1',
      NEWS_FETCH_TIMEOUT_MS: '60000',
    });
    const databaseUrl = new URL(base.DATABASE_URL!);
    databaseUrl.host = `127.0.0.1:${database.port}`;
    const env = { ...base, DATABASE_URL: databaseUrl.toString() };
    app = await startAppProcess(env);
    await app.waitForReady();

    // Each task's real dependency turns slow: the database for four (the journal gets a row to land),
    // the news feed for the collection (it never answers).
    const slowFrom = app.output.length;
    database.setDelay(DATABASE_DELAY_MS);
    journalOutcome(env);
    const inRun = (task: string): boolean => {
      const lines = logLines(app!.output);
      const started = lastIndexOf(lines, task, /^periodic run started$/);
      return started > lastIndexOf(lines, task, /^periodic run (ended|failed)$/);
    };
    const startedSinceSlow = (task: string): boolean =>
      logLines(app!.output.slice(slowFrom)).some(
        (l) => l.task === task && l.msg === 'periodic run started',
      ) ||
      (task === 'news-collection' && feed.requests() > 0);
    await waitUntil(
      async () => TASKS.every((task) => inRun(task) && startedSinceSlow(task)),
      20_000,
      'every periodic task inside a slow run',
    );
    await new Promise((r) => setTimeout(r, 300));

    const signalled = performance.now();
    app.child.kill('SIGTERM');
    const code = await app.exited;
    const exitMs = Math.round(performance.now() - signalled);
    const lines = logLines(app.output);
    const draining = lines.findIndex((l) => l.msg === 'SIGTERM received: draining');
    const endedInDrain = TASKS.filter(
      (task) => lastIndexOf(lines, task, /^periodic run (ended|failed)$/) > draining,
    );
    console.log(
      `SIGTERM during ${TASKS.length} runs: exit ${code} after ${exitMs} ms (bound ${SHUTDOWN_TIMEOUT_MS} ms); ` +
        `runs ended during the drain: ${endedInDrain.join(', ')}`,
    );
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(draining).toBeGreaterThanOrEqual(0);
    // Each run in progress at SIGTERM ended (or failed) during the drain: awaited, not cut off.
    expect(endedInDrain).toEqual([...TASKS]);
    expect(app.output.join('\n')).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
    expect(lines.some((l) => l.msg === 'shutdown complete')).toBe(true);
  }, 90_000);
});
