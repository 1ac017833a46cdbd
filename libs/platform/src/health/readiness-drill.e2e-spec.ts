import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, embeddedEnv, type TestApp } from '../../../../test/support/test-app.js';
import { throwawayPostgres, throwawayRedis, type Throwaway } from '../../../../test/support/throwaway.js';

/**
 * Acceptance 5 of issue 3: readiness follows the real dependencies of the booted domains. The app runs
 * against a throwaway PostgreSQL and a throwaway Redis (never the machine's standard servers), which
 * are stopped and started under it; the app itself is never restarted.
 */
describe('readiness drill: throwaway PostgreSQL and Redis stop and come back', () => {
  let postgres: Throwaway;
  let redis: Throwaway;
  let app: TestApp;

  const ready = async (): Promise<{
    status: number;
    body: Record<string, unknown>;
    ms: number;
    retryAfter?: string;
  }> => {
    const started = Date.now();
    const response = await app.http.get('/health/ready');
    return {
      status: response.status,
      body: response.body as Record<string, unknown>,
      ms: Date.now() - started,
      retryAfter: response.headers['retry-after'],
    };
  };
  const readyStatus = async (): Promise<number> => (await ready()).status;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([throwawayPostgres(), throwawayRedis()]);
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('CREATE DATABASE eco2_ready');
    await admin.end();
    app = await bootTestApp(
      embeddedEnv({
        APP_ROLE: 'api',
        APP_DOMAINS: 'character',
        DATABASE_URL: postgres.url.replace(/\/postgres$/, '/eco2_ready'),
        REDIS_URL: redis.url,
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await Promise.allSettled([postgres?.destroy(), redis?.destroy()]);
  });

  it('is ready with both up, checking exactly the dependencies the character pod opened', async () => {
    const answer = await ready();
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.info as object).sort()).toEqual(['postgres', 'redis']);
    expect((await app.http.get('/api/v1/character/catalog')).status).toBe(200);
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE naming postgres while it is stopped, 200 again once it is back', async () => {
    await postgres.stop();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: expect.stringContaining('postgres'),
      request_id: expect.any(String),
    });
    expect(down.body.details).toEqual([{ field: 'postgres', message: expect.any(String) }]);
    expect(down.retryAfter).toBe('5');
    expect(down.ms).toBeLessThan(3000);
    // Liveness does not depend on the database: the process is fine, only not ready.
    expect((await app.http.get('/health/live')).status).toBe(200);

    await postgres.start();
    await expect.poll(readyStatus, { timeout: 20_000, interval: 250 }).toBe(200);
    // The pool replaced its dead connections: real queries work again.
    expect((await app.http.get('/api/v1/character/catalog')).status).toBe(200);
  });

  it('answers 503 naming redis while it is stopped, 200 again once it is back', async () => {
    await redis.stop();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: expect.stringContaining('redis'),
    });
    expect(down.body.details).toEqual([{ field: 'redis', message: expect.any(String) }]);
    expect(down.ms).toBeLessThan(3000);

    await redis.start();
    await expect.poll(readyStatus, { timeout: 20_000, interval: 250 }).toBe(200);
  });
});
