import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainJpeg } from '../../libs/storage/src/testing.js';
import { drillRequest, reportDrill, type AnswerKind } from '../support/drill-report.js';
import { listenOnFreePort, readScanEvents, submitScan, uploadScanPhoto } from '../support/scan-flow.js';
import { bootTestApp, productionEnv, type TestApp } from '../support/test-app.js';
import { createTestUser, type TestUser } from '../support/test-tokens.js';
import { throwawayRedis, type Throwaway } from '../support/throwaway.js';

const STREAMS = 5;

/**
 * Redis (token blacklist, job event logs, rate limits) stops under a running API pod and comes back;
 * the pod is never restarted. No AI worker runs, so every scan stays queued and its stream stays open.
 */
describe('drill: Redis down under an API pod', () => {
  let redis: Throwaway;
  let app: TestApp;
  let baseUrl: string;
  let user: TestUser;
  const jobIds: string[] = [];

  beforeAll(async () => {
    redis = await throwawayRedis();
    app = await bootTestApp(
      await productionEnv({
        APP_ROLE: 'api',
        APP_DOMAINS: 'scan',
        REDIS_URL: redis.url,
        OUTBOX_POLL_MS: '100',
      }),
    );
    baseUrl = await listenOnFreePort(app);
    user = await createTestUser(app, 'redis-drill');
    const photo = await plainJpeg();
    for (let i = 0; i < STREAMS; i++) {
      const submitted = await submitScan(baseUrl, user, {
        image_url: await uploadScanPhoto(baseUrl, user, photo),
        user_input: '투명 페트병',
      });
      expect(submitted.status).toBe(202);
      jobIds.push(submitted.body.job_id as string);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await redis?.destroy();
  });

  it('fails closed with 503 and the envelope, ends streams with a retryable error, and recovers without a restart', async () => {
    const authorized = { headers: { authorization: user.bearer } };
    const streams = jobIds.map((id) => readScanEvents(baseUrl, user, id, { timeoutMs: 40_000 }));
    // Every stream is open and has its `queued` event before the outage.
    await new Promise((r) => setTimeout(r, 1000));

    await redis.stop();
    const outageStarted = Date.now();
    const answers: AnswerKind[] = [];
    const envelopes: unknown[] = [];
    while (Date.now() - outageStarted < 3000) {
      const results = await Promise.all(
        jobIds.flatMap((id) => [
          drillRequest(`${baseUrl}/api/v1/scan/${id}/result`, authorized),
          drillRequest(`${baseUrl}/api/v1/scan/${id}/events`, authorized),
        ]),
      );
      for (const result of results) {
        answers.push(result.kind);
        if (result.kind === 'fail_closed') envelopes.push(result.body);
      }
    }
    const reads = await Promise.all(streams);
    const streamEndedMs = Date.now() - outageStarted;

    await redis.start();
    const recoveryStarted = Date.now();
    let recovered = false;
    while (!recovered && Date.now() - recoveryStarted < 20_000) {
      const result = await drillRequest(`${baseUrl}/api/v1/scan/${jobIds[0]}/result`, authorized);
      answers.push(result.kind);
      recovered = result.status === 202;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    const recoveryMs = Date.now() - recoveryStarted;
    // A stream opens again on the same pod (the throwaway Redis kept no events: the stream just waits).
    const reopened = await readScanEvents(baseUrl, user, jobIds[0]!, { timeoutMs: 1500 });

    const retryable = reads.filter((read) => {
      const last = read.events.at(-1);
      return read.closedByServer && last?.event === 'error' && last.data.error === 'temporary';
    });
    const duplicated = reads.reduce((sum, read) => {
      const ids = read.events.map((e) => e.id).filter((id) => id !== undefined);
      return sum + ids.length - new Set(ids).size;
    }, 0);
    const count = (kind: AnswerKind): number => answers.filter((k) => k === kind).length;
    reportDrill('redis-down', {
      accepted: STREAMS,
      completed: retryable.length,
      lost: STREAMS - retryable.length,
      duplicated,
      server_errors: count('server_error'),
      requests: answers.length,
      fail_closed_503: count('fail_closed'),
      streams_ended_after_ms: streamEndedMs,
      recovered_after_ms: recoveryMs,
    });

    expect(count('server_error')).toBe(0);
    expect(count('fail_closed')).toBeGreaterThan(0);
    for (const envelope of envelopes)
      expect(envelope).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.any(String),
        request_id: expect.any(String),
      });
    // Each stream had its `queued` event, then ended with the retryable error rather than hanging.
    for (const read of reads) expect(read.events[0]?.event).toBe('queued');
    expect(retryable).toHaveLength(STREAMS);
    expect(duplicated).toBe(0);
    expect(recovered).toBe(true);
    expect(reopened.events.every((e) => e.event !== 'error')).toBe(true);
  }, 90_000);
});
