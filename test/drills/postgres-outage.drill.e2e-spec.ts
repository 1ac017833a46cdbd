import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainJpeg } from '../../libs/storage/src/testing.js';
import { drillRequest, reportDrill, type AnswerKind } from '../support/drill-report.js';
import { listenOnFreePort, uploadScanPhoto } from '../support/scan-flow.js';
import { bootTestApp, productionEnv, type TestApp } from '../support/test-app.js';
import { createTestUser, type TestUser } from '../support/test-tokens.js';
import { throwawayPostgres, type Throwaway } from '../support/throwaway.js';

const SCANS = 6;
const OUTAGE_MS = 4000;

/**
 * PostgreSQL stops under a running scan API pod and comes back; the pod is never restarted. The client
 * does what the app does with a 503: it retries the same request with the same Idempotency-Key.
 */
describe('drill: PostgreSQL down under an API pod', () => {
  let postgres: Throwaway;
  let app: TestApp;
  let baseUrl: string;
  let user: TestUser;
  const images: string[] = [];

  beforeAll(async () => {
    postgres = await throwawayPostgres();
    app = await bootTestApp(
      await productionEnv({
        APP_ROLE: 'api',
        APP_DOMAINS: 'scan',
        DATABASE_URL: postgres.url,
        DATABASE_SCHEMA: '',
      }),
    );
    baseUrl = await listenOnFreePort(app);
    user = await createTestUser(app, 'pg-api-drill');
    const photo = await plainJpeg();
    for (let i = 0; i < SCANS; i++) images.push(await uploadScanPhoto(baseUrl, user, photo));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await postgres?.destroy();
  });

  it('answers 503 with the envelope and readiness false while it is down, then accepts every retried scan exactly once', async () => {
    const answers: AnswerKind[] = [];
    const readiness: number[] = [];
    const jobIdsByKey = new Map<string, Set<string>>();
    /** Submits one scan, retrying on 503 as the app does, until it is accepted. */
    const submitUntilAccepted = async (image: string): Promise<void> => {
      const key = randomUUID();
      jobIdsByKey.set(key, new Set());
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const result = await drillRequest(`${baseUrl}/api/v1/scan`, {
          method: 'POST',
          headers: { authorization: user.bearer, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ image_url: image, user_input: '투명 페트병' }),
        });
        answers.push(result.kind);
        if (result.status === 202) {
          jobIdsByKey.get(key)!.add((result.body as { job_id: string }).job_id);
          // A second send of the same key after its 202 (a retry whose answer was lost) is the same job.
          const again = await drillRequest(`${baseUrl}/api/v1/scan`, {
            method: 'POST',
            headers: {
              authorization: user.bearer,
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            body: JSON.stringify({ image_url: image, user_input: '투명 페트병' }),
          });
          answers.push(again.kind);
          if (again.status === 202) jobIdsByKey.get(key)!.add((again.body as { job_id: string }).job_id);
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };

    await submitUntilAccepted(images[0]!);
    await submitUntilAccepted(images[1]!);
    await postgres.stop();
    const during = Promise.all(images.slice(2, 4).map(submitUntilAccepted));
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      readiness.push((await drillRequest(`${baseUrl}/health/ready`)).status);
      const read = await drillRequest(`${baseUrl}/api/v1/scan/${randomUUID()}/result`, {
        headers: { authorization: user.bearer },
      });
      answers.push(read.kind);
      await new Promise((r) => setTimeout(r, 250));
    }
    await postgres.start();
    const restarted = Date.now();
    await during;
    const recoveredMs = Date.now() - restarted;
    await Promise.all(images.slice(4).map(submitUntilAccepted));
    readiness.push((await drillRequest(`${baseUrl}/health/ready`)).status);

    const accepted = [...jobIdsByKey.values()].filter((ids) => ids.size > 0);
    const [{ n }] = (await app.app
      .get(DataSource)
      .query('SELECT count(*) AS n FROM scan_jobs WHERE user_id = $1', [user.id])) as { n: string }[];
    const stored = Number(n);
    const count = (kind: AnswerKind): number => answers.filter((k) => k === kind).length;
    reportDrill('postgres-down', {
      accepted: accepted.length,
      completed: stored,
      lost: Math.max(0, accepted.length - stored),
      duplicated: Math.max(0, stored - accepted.length) + accepted.filter((ids) => ids.size > 1).length,
      server_errors: count('server_error'),
      requests: answers.length,
      fail_closed_503: count('fail_closed'),
      ready_503: readiness.filter((s) => s === 503).length,
      recovered_after_ms: recoveredMs,
    });

    expect(count('server_error')).toBe(0);
    expect(count('fail_closed')).toBeGreaterThan(0);
    expect(readiness.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(readiness.filter((s) => s !== 503 && s !== 200)).toEqual([]);
    expect(readiness.at(-1)).toBe(200);
    expect(accepted).toHaveLength(SCANS);
    expect(accepted.every((ids) => ids.size === 1)).toBe(true);
    expect(stored).toBe(SCANS);
  }, 90_000);
});
