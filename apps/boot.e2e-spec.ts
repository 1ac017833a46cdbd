import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../libs/platform/src/blob/local-blob-store.js';
import { SystemClock } from '#platform';
import { startAppProcess, type AppProcess } from '../test/support/app-process.js';

describe('npm start on a fresh machine (embedded defaults, nothing configured)', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startAppProcess();
    await app.waitForReady();
  });

  afterAll(() => app.stop());

  it('is ready, documents the catalog route and serves the 13 characters', async () => {
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const docs = (await (await fetch(`${app.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(docs.paths)).toContain('/api/v1/character/catalog');
    const catalog = (await (await fetch(`${app.baseUrl}/api/v1/character/catalog`)).json()) as unknown[];
    expect(catalog).toHaveLength(13);
  });

  it('writes JSON logs carrying the request id of the request being served', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/character/catalog`, {
      headers: { 'X-Request-Id': 'boot-test-req-1' },
    });
    expect(response.headers.get('x-request-id')).toBe('boot-test-req-1');
    await expect
      .poll(() => app.output.some((line) => line.includes('"request_id":"boot-test-req-1"')))
      .toBe(true);
    const line = app.output.find((l) => l.includes('"request_id":"boot-test-req-1"'))!;
    expect(JSON.parse(line)).toMatchObject({ request_id: 'boot-test-req-1', level: expect.any(Number) });
  });

  it('exposes Prometheus metrics with the HTTP histogram labelled by route template', async () => {
    await fetch(`${app.baseUrl}/api/v1/character/catalog/char-petty`);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/route="\/api\/v1\/character\/catalog\/:code",status_code="200"/);
    expect(metrics).toContain('process_cpu_seconds_total');
  });
});

describe('a pod booted for one domain', () => {
  it('serves only that domain and opens no broker or queue', async () => {
    const app = await startAppProcess({ APP_ROLE: 'api', APP_DOMAINS: 'character' });
    try {
      await app.waitForReady();
      expect((await fetch(`${app.baseUrl}/api/v1/character/catalog`)).status).toBe(200);
      const me = await fetch(`${app.baseUrl}/api/v1/users/me`);
      expect(me.status).toBe(404);
      expect(await me.json()).toMatchObject({ code: 'NOT_FOUND' });
      const ready = (await (await fetch(`${app.baseUrl}/health/ready`)).json()) as {
        details: Record<string, unknown>;
      };
      expect(Object.keys(ready.details).sort()).toEqual(['database', 'key_value']);
      expect(existsSync(join(app.stateDir, 'queue.sqlite'))).toBe(false);
    } finally {
      await app.stop();
    }
  });

  it('refuses an unknown domain name at boot, listing the valid ones', async () => {
    const app = await startAppProcess({ APP_DOMAINS: 'character,billing' });
    const code = await app.exited;
    expect(code).not.toBe(0);
    const output = app.output.join('\n');
    expect(output).toContain('APP_DOMAINS');
    expect(output).toContain('billing');
    expect(output).toContain('valid names: all, auth, my, scan, character, location, info, chat');
  });
});

describe('graceful shutdown', () => {
  it('lets a request in flight at SIGTERM finish, then exits 0', async () => {
    const app = await startAppProcess({ APP_ROLE: 'api', APP_DOMAINS: 'scan' });
    await app.waitForReady();
    // A slow upload to the local blob store is a real long request: its body arrives in two halves.
    const secret = readFileSync(join(app.stateDir, 'blob-signing.secret'), 'utf8');
    const store = new LocalBlobStore(join(app.stateDir, 'blobs'), secret, new SystemClock());
    const { url } = await store.presignUpload('scan/slowupload.jpg', 'image/jpeg', 300, app.baseUrl);
    const body = Buffer.alloc(200_000, 7);
    const status = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: 'PUT', headers: { 'Content-Type': 'image/jpeg', 'Content-Length': body.length } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 100_000));
      setTimeout(() => {
        app.child.kill('SIGTERM');
        setTimeout(() => req.end(body.subarray(100_000)), 500);
      }, 200);
    });
    expect(await status).toBe(200);
    expect(await app.exited).toBe(0);
    expect(readFileSync(join(app.stateDir, 'blobs', 'scan', 'slowupload.jpg')).length).toBe(body.length);
  });
});
