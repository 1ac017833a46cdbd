import { Module, type INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { ErrorEnvelopeFilter } from '../errors/error-envelope.filter.js';
import { configureHttp, createHttpAdapter } from '../http/configure-http.js';
import { blobKey, describeBlobStoreContract, sampleBytes } from './blob.contract.js';
import { BLOB_STORE } from './blob-store.js';
import { LocalBlobController } from './local-blob.controller.js';
import { LOCAL_BLOB_ROUTE, LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/**
 * PUTs `total` bytes with chunked transfer encoding (no Content-Length), honouring back-pressure and
 * stopping as soon as the server answers or closes; resolves with the answer, or the socket error.
 */
function streamChunked(
  url: string,
  contentType: string,
  total: number,
): Promise<{ status: number; body: unknown } | { error: string }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0xff);
    let sent = 0;
    let answered = false;
    const request = httpRequest(url, { method: 'PUT', headers: { 'Content-Type': contentType } });
    request.on('response', (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString()) }),
      );
    });
    request.on('error', (error) => {
      if (!answered) resolve({ error: error.message });
    });
    const writeMore = (): void => {
      while (!answered && !request.destroyed && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', writeMore);
      }
      if (!answered && !request.destroyed) request.end();
    };
    writeMore();
  });
}

/** The local store behind the real LocalBlobController and HTTP conventions, on a real port. */
async function serveLocalStore(clock: FixedClock): Promise<{
  store: LocalBlobStore;
  app: INestApplication;
  baseUrl: string;
  dir: string;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-blobs-'));
  const store = new LocalBlobStore(dir, 'contract-test-secret', clock);
  @Module({ controllers: [LocalBlobController], providers: [{ provide: BLOB_STORE, useValue: store }] })
  class LocalBlobTestModule {}
  const config = AppConfig.load(PLATFORM_ENV, { NODE_ENV: 'test' });
  const app = await NestFactory.create<NestFastifyApplication>(
    LocalBlobTestModule,
    createHttpAdapter(config),
    {
      bodyParser: false,
      logger: false,
    },
  );
  await configureHttp(app, config, pino({ level: 'silent' }));
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { store, app, dir, baseUrl: `http://127.0.0.1:${port}` };
}

// The S3 adapter runs the same contract in s3-blob-store.e2e-spec.ts.
describeBlobStoreContract('local', async () => {
  const served = await serveLocalStore(new FixedClock(new Date()));
  return {
    store: served.store,
    baseUrl: served.baseUrl,
    cleanup: async () => {
      await served.app.close();
      rmSync(served.dir, { recursive: true, force: true });
    },
  };
});

describe('S3BlobStore URLs', () => {
  it('reads through the CDN base URL when one is set, and only accepts that base back', () => {
    const store = new S3BlobStore({
      bucket: 'eco2-images',
      region: 'ap-northeast-2',
      cdnBaseUrl: 'https://cdn.eco2.example/',
      accessKeyId: 'x',
      secretAccessKey: 'y',
    });
    const url = store.publicUrl('scan/abc.jpg');
    expect(url).toBe('https://cdn.eco2.example/scan/abc.jpg');
    expect(store.keyFromPublicUrl(url)).toBe('scan/abc.jpg');
    expect(store.keyFromPublicUrl(`${url}?w=200`)).toBe('scan/abc.jpg');
    expect(store.keyFromPublicUrl('https://cdn.eco2.example.evil.test/scan/abc.jpg')).toBeNull();
    expect(
      store.keyFromPublicUrl('https://eco2-images.s3.ap-northeast-2.amazonaws.com/scan/abc.jpg'),
    ).toBeNull();
  });

  it('presigns the browser PUT on the bucket host for AWS and path-style on an endpoint, signing the content type', async () => {
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
    const aws = new S3BlobStore({ bucket: 'eco2-images', region: 'ap-northeast-2', ...credentials });
    const onAws = new URL((await aws.presignUpload('scan/abc.jpg', 'image/jpeg', 300)).url);
    expect(`${onAws.origin}${onAws.pathname}`).toBe(
      'https://eco2-images.s3.ap-northeast-2.amazonaws.com/scan/abc.jpg',
    );
    expect(onAws.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(onAws.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(onAws.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKID\/\d{8}\/ap-northeast-2\/s3\/aws4_request$/,
    );
    expect(onAws.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const compatible = new S3BlobStore({
      bucket: 'eco2-test',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000/',
      ...credentials,
    });
    const onEndpoint = new URL((await compatible.presignUpload('chat/x.png', 'image/png', 60)).url);
    expect(`${onEndpoint.origin}${onEndpoint.pathname}`).toBe('http://127.0.0.1:9000/eco2-test/chat/x.png');
  });
});

describe('LocalBlobStore signed URLs (HMAC, expiring) through the real controller', () => {
  const clock = new FixedClock(new Date('2030-01-01T00:00:00Z'));
  let served: Awaited<ReturnType<typeof serveLocalStore>>;
  const bytes = sampleBytes(512);

  beforeAll(async () => {
    served = await serveLocalStore(clock);
  });
  afterAll(async () => {
    await served?.app.close();
    if (served) rmSync(served.dir, { recursive: true, force: true });
  });

  const put = (url: string, contentType = 'image/jpeg'): Promise<Response> =>
    fetch(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body: bytes });
  const envelope = async (response: Response): Promise<{ code: string; message: string }> =>
    (await response.json()) as { code: string; message: string };

  it('refuses a tampered signature, key or expiry with 403 and the error envelope', async () => {
    const key = blobKey();
    const { url } = await served.store.presignUpload(key, 'image/jpeg', 300, served.baseUrl);
    const signed = new URL(url);
    const signature = signed.searchParams.get('signature')!;

    const flipped = new URL(signed);
    flipped.searchParams.set('signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    const otherKey = new URL(signed);
    otherKey.pathname = `${LOCAL_BLOB_ROUTE}/${blobKey()}`;
    const longer = new URL(signed);
    longer.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 3600));
    const unsigned = new URL(signed);
    unsigned.search = '';

    for (const tampered of [flipped, otherKey, longer, unsigned]) {
      const response = await put(tampered.toString());
      expect(response.status, tampered.toString()).toBe(403);
      expect((await envelope(response)).code).toBe('FORBIDDEN');
    }
    expect(await served.store.head(key)).toBeNull();
    // The untouched URL still works.
    expect((await put(url)).status).toBe(200);
  });

  it('refuses an expired upload URL, and a PUT with another content type than the one signed', async () => {
    const key = blobKey();
    const { url } = await served.store.presignUpload(key, 'image/jpeg', 60, served.baseUrl);
    const wrongType = await put(url, 'image/png');
    expect(wrongType.status).toBe(403);
    clock.advance(61_000);
    const expired = await put(url);
    expect(expired.status).toBe(403);
    expect((await envelope(expired)).message).toMatch(/expired/i);
    expect(await served.store.head(key)).toBeNull();
  });

  it('keeps read and upload signatures apart, and expires read URLs too', async () => {
    const key = blobKey();
    await served.store.put(key, bytes, 'image/jpeg');
    const readUrl = served.store.publicUrl(key, served.baseUrl);
    expect((await fetch(readUrl)).status).toBe(200);
    // A read URL does not authorise an upload over the object.
    expect((await put(readUrl)).status).toBe(403);
    const { url: uploadUrl } = await served.store.presignUpload(key, 'image/jpeg', 300, served.baseUrl);
    expect((await fetch(uploadUrl)).status).toBe(403);
    // A tampered read URL is neither served nor recognised as ours.
    const tampered = readUrl.replace(
      /signature=([0-9a-f])/,
      (_, c: string) => `signature=${c === '0' ? '1' : '0'}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    expect(served.store.keyFromPublicUrl(tampered, served.baseUrl)).toBeNull();
    clock.advance(8 * 24 * 3600 * 1000);
    expect((await fetch(readUrl)).status).toBe(403);
    expect(served.store.keyFromPublicUrl(readUrl, served.baseUrl)).toBeNull();
  });

  it('answers an 11 MiB chunked upload with 413 and the envelope, not a connection reset', async () => {
    const key = blobKey();
    const { url } = await served.store.presignUpload(key, 'image/jpeg', 300, served.baseUrl);
    const answer = await streamChunked(url, 'image/jpeg', 11 * 1024 * 1024);
    expect(answer).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await served.store.head(key)).toBeNull();
  });

  it('answers 404 for a signed URL of a missing object and never lets a path escape the folder', async () => {
    const missing = served.store.publicUrl(blobKey(), served.baseUrl);
    expect((await fetch(missing)).status).toBe(404);
    for (const path of [
      '..%2F..%2Fetc%2Fpasswd',
      'contract%2F..%2F..%2Fx.jpg',
      'contract/x.jpg/../../../y.jpg',
      'contract/%zz.jpg',
    ]) {
      const response = await fetch(
        `${served.baseUrl}${LOCAL_BLOB_ROUTE}/${path}?expires=9999999999&signature=${'0'.repeat(64)}`,
      );
      expect([400, 403, 404], path).toContain(response.status);
    }
  });
});
