import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, embeddedEnv, type TestApp } from '../../../../test/support/test-app.js';

describe('HTTP conventions of API.md', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await bootTestApp(
      embeddedEnv({
        APP_ROLE: 'api',
        APP_DOMAINS: 'character',
        BODY_LIMIT: '1kb',
        CORS_ORIGINS: 'https://app.eco2.example',
      }),
    );
  });

  afterAll(() => app.close());

  it('answers malformed JSON with 400 and the envelope', async () => {
    const response = await app.http
      .post('/api/v1/character/catalog')
      .set('Content-Type', 'application/json')
      .send('{"broken": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Malformed JSON body',
      request_id: expect.any(String),
    });
  });

  it('refuses JSON nested deeper than 32 levels before any route code, and takes 32', async () => {
    const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const tooDeep = await app.http
      .post('/api/v1/character/catalog')
      .set('Content-Type', 'application/json')
      .send(nested(33));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.message).toBe('JSON body nested deeper than 32 levels');
    const deepest = await app.http
      .post('/api/v1/character/catalog')
      .set('Content-Type', 'application/json')
      .send(nested(32));
    expect(deepest.body.code).not.toBe('VALIDATION_ERROR');
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await app.http
      .post('/api/v1/character/catalog')
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const response = await app.http
      .post('/api/v1/character/catalog')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(4096) }));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with the 404 envelope', async () => {
    const response = await app.http.get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
  });

  it('echoes an allowed origin with credentials and says nothing to a disallowed one', async () => {
    const allowed = await app.http
      .options('/api/v1/character/catalog')
      .set('Origin', 'https://app.eco2.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.eco2.example');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const local = await app.http.get('/api/v1/character/catalog').set('Origin', 'http://localhost:5173');
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const disallowed = await app.http.get('/api/v1/character/catalog').set('Origin', 'https://evil.example');
    expect(disallowed.status).toBe(200);
    expect(disallowed.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts a sane X-Request-Id and replaces an unsafe one', async () => {
    const given = await app.http.get('/api/v1/nothing').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(given.body.request_id).toBe('abc-123');
    const unsafe = await app.http.get('/api/v1/nothing').set('X-Request-Id', 'a b\tc');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('CORS in production', () => {
  it('allows only configured origins, not localhost', async () => {
    const app = await bootTestApp(
      embeddedEnv({
        NODE_ENV: 'production',
        APP_ROLE: 'api',
        APP_DOMAINS: 'character',
        CORS_ORIGINS: 'https://app.eco2.example',
      }),
    );
    try {
      const local = await app.http.get('/api/v1/character/catalog').set('Origin', 'http://localhost:5173');
      expect(local.headers['access-control-allow-origin']).toBeUndefined();
      const configured = await app.http
        .get('/api/v1/character/catalog')
        .set('Origin', 'https://app.eco2.example');
      expect(configured.headers['access-control-allow-origin']).toBe('https://app.eco2.example');
    } finally {
      await app.close();
    }
  });
});
