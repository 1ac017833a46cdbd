import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainJpeg } from '../../libs/storage/src/testing.js';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { drillRequest, reportDrill } from '../support/drill-report.js';
import { readScanEvents, submitScan, uploadScanPhoto, type SseRead } from '../support/scan-flow.js';
import { bootTestApp, productionEnv, type TestApp } from '../support/test-app.js';
import { createTestUser, type TestUser } from '../support/test-tokens.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const STREAMS = 4;
const SUBMITS_IN_FLIGHT = 6;
const READS_IN_FLIGHT = 14;
/** Each way: every request that touches the database is still in flight when SIGTERM lands. */
const DATABASE_DELAY_MS = 400;

/**
 * A scan API pod as a real process gets SIGTERM while requests are in flight and SSE streams are
 * open. No AI worker runs, so every stream stays open on its queued job until the pod stops.
 */
describe('drill: SIGTERM with in-flight requests and open SSE streams', () => {
  let database: DelayProxy;
  let helper: TestApp;
  let pod: AppProcess;
  let user: TestUser;

  beforeAll(async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    database = await startDelayProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const base = await productionEnv({
      APP_ROLE: 'api',
      APP_DOMAINS: 'scan',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    const databaseUrl = new URL(base.DATABASE_URL!);
    databaseUrl.host = `127.0.0.1:${database.port}`;
    const env = { ...base, DATABASE_URL: databaseUrl.toString(), LOG_LEVEL: 'info' };
    // In-process twin on the same schema and state folder: it migrates, and signs tokens with the pod's keys.
    helper = await bootTestApp(env);
    user = await createTestUser(helper, 'sigterm-drill');
    pod = await startAppProcess(env);
    await pod.waitForReady();
  }, 180_000);

  afterAll(async () => {
    if (pod && pod.child.exitCode === null && pod.child.signalCode === null) pod.child.kill('SIGKILL');
    await helper?.close();
    await database?.close();
  });

  it('answers every in-flight request (no 5xx, no reset), ends every stream with a retry hint, exits 0 in time', async () => {
    const photo = await plainJpeg();
    const images = await Promise.all(
      Array.from({ length: STREAMS + SUBMITS_IN_FLIGHT }, () => uploadScanPhoto(pod.baseUrl, user, photo)),
    );
    const jobIds: string[] = [];
    for (const image of images.slice(0, STREAMS)) {
      const submitted = await submitScan(pod.baseUrl, user, { image_url: image, user_input: '페트병' });
      expect(submitted.status).toBe(202);
      jobIds.push(submitted.body.job_id as string);
    }
    const streams: Promise<SseRead>[] = jobIds.map((id) =>
      readScanEvents(pod.baseUrl, user, id, { timeoutMs: 30_000 }),
    );
    await new Promise((r) => setTimeout(r, 500));

    database.setDelay(DATABASE_DELAY_MS);
    const authorized = { authorization: user.bearer, 'content-type': 'application/json' };
    const inFlight = [
      ...images.slice(STREAMS).map((image) =>
        drillRequest(`${pod.baseUrl}/api/v1/scan`, {
          method: 'POST',
          headers: { ...authorized, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ image_url: image, user_input: '페트병' }),
        }),
      ),
      ...Array.from({ length: READS_IN_FLIGHT }, (_, i) =>
        drillRequest(`${pod.baseUrl}/api/v1/scan/${jobIds[i % STREAMS]}/result`, { headers: authorized }),
      ),
    ];
    await new Promise((r) => setTimeout(r, 500));
    const signalled = performance.now();
    pod.child.kill('SIGTERM');
    const [answers, reads, code] = await Promise.all([
      Promise.all(inFlight),
      Promise.all(streams),
      pod.exited,
    ]);
    const exitMs = Math.round(performance.now() - signalled);
    database.setDelay(0);

    const submitsAccepted = answers.slice(0, SUBMITS_IN_FLIGHT).filter((a) => a.status === 202).length;
    const [{ n }] = (await helper.app
      .get(DataSource)
      .query('SELECT count(*) AS n FROM scan_jobs WHERE user_id = $1', [user.id])) as { n: string }[];
    const stored = Number(n);
    const acceptedJobs = STREAMS + submitsAccepted;
    const retryHinted = reads.filter((read) => {
      const last = read.events.at(-1);
      return read.closedByServer && last?.event === 'error' && last.data.error === 'temporary';
    });
    reportDrill('sigterm-in-flight', {
      accepted: answers.filter((a) => a.kind !== 'refused').length,
      completed: answers.filter((a) => a.kind === 'ok').length,
      lost: Math.max(0, acceptedJobs - stored) + (STREAMS - retryHinted.length),
      duplicated: Math.max(0, stored - acceptedJobs),
      server_errors: answers.filter((a) => a.kind === 'server_error').length,
      refused: answers.filter((a) => a.kind === 'refused').length,
      streams: STREAMS,
      streams_with_retry_hint: retryHinted.length,
      exit_code: code ?? -1,
      exit_ms: exitMs,
    });

    // Sent half a second before SIGTERM, so each reached the pod; a refused one would show here too.
    expect(answers.filter((a) => a.kind !== 'ok')).toEqual([]);
    expect(submitsAccepted).toBe(SUBMITS_IN_FLIGHT);
    expect(stored).toBe(acceptedJobs);
    expect(retryHinted).toHaveLength(STREAMS);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  }, 90_000);
});
