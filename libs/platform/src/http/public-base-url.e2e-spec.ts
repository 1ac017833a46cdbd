import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort } from '../../../../test/support/scan-flow.js';
import { bootTestApp, envFor, type TestApp } from '../../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../../test/support/test-tokens.js';

/** The origin of every URL the backend hands the browser, under each documented setting. */
describe.each([
  { setting: 'the default', env: {}, headers: {}, origin: (port: number) => `http://localhost:${port}` },
  {
    setting: 'PUBLIC_BASE_URL',
    env: { PUBLIC_BASE_URL: 'https://eco2.example/' },
    headers: { 'X-Forwarded-Host': 'proxy.example' },
    origin: () => 'https://eco2.example',
  },
  {
    setting: 'TRUST_PROXY behind a same-origin proxy',
    env: { TRUST_PROXY: 'true' },
    headers: { 'X-Forwarded-Host': 'app.example:8443', 'X-Forwarded-Proto': 'https' },
    origin: () => 'https://app.example:8443',
  },
])('public URLs with $setting', ({ env, headers, origin }) => {
  let app: TestApp;
  let user: TestUser;
  let expected: string;

  beforeAll(async () => {
    app = await bootTestApp(await envFor('embedded', { APP_DOMAINS: 'auth,scan', ...env }));
    await listenOnFreePort(app);
    user = await createTestUser(app);
    expected = origin(app.config.int('PORT'));
  });

  afterAll(() => app.close());

  it('puts that origin, never the Host header, into authorization_url, upload_url, cdn_url and the failed-login redirect', async () => {
    const started = await app.http
      .get('/api/v1/auth/kakao')
      .query({ frontend_origin: 'http://localhost:5173' })
      .set({ ...headers, Host: 'attacker.example' })
      .expect(200);
    expect(new URL(started.body.data.authorization_url).origin).toBe(expected);

    const upload = await app.http
      .post('/api/v1/images/scan')
      .set({ ...headers, Host: 'attacker.example', Authorization: user.bearer })
      .send({ filename: 'photo.jpg', content_type: 'image/jpeg' })
      .expect(200);
    expect(new URL(upload.body.upload_url).origin).toBe(expected);
    expect(new URL(upload.body.cdn_url).origin).toBe(expected);

    const failed = await app.http
      .get('/api/v1/auth/kakao/callback')
      .query({ error: 'access_denied', state: 'unknown' })
      .set({ ...headers, Host: 'attacker.example' })
      .expect(302);
    expect(failed.headers.location).toBe(`${expected}/#/login?error=oauth_failed`);
  });
});

describe('an empty or invalid Host on POST /images/{channel}', () => {
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    app = await bootTestApp(await envFor('embedded', { APP_DOMAINS: 'scan', TRUST_PROXY: 'true' }));
    await listenOnFreePort(app);
    user = await createTestUser(app);
  });

  afterAll(() => app.close());

  const uploadRows = (): Promise<number> =>
    app.app.get(DataSource).createQueryBuilder().from('image_uploads', 'u').getCount();

  /** A raw request, so the Host header goes out exactly as given (empty included). */
  function presign(extraHeaders: Record<string, string>): Promise<{ status: number; body: string }> {
    const body = JSON.stringify({ filename: 'photo.jpg', content_type: 'image/jpeg' });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: app.config.int('PORT'),
          method: 'POST',
          path: '/api/v1/images/scan',
          headers: {
            authorization: user.bearer,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...extraHeaders,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('never answers 5xx for an empty or invalid Host', async () => {
    for (const host of ['', 'a b', '[::1', 'x/y']) {
      expect((await presign({ host })).status).toBeLessThan(500);
    }
  });

  it('refuses an invalid forwarded host with 400 before writing anything', async () => {
    const before = await uploadRows();
    for (const forwarded of ['evil.example/path', 'user@evil.example', '[::1', 'a b']) {
      const answer = await presign({ 'x-forwarded-host': forwarded });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    expect(await uploadRows()).toBe(before);
  });
});
