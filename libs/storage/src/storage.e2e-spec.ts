import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataSource } from 'typeorm';
import { listenOnFreePort } from '../../../test/support/scan-flow.js';
import { bootTestApp, envFor, type Stack, type TestApp } from '../../../test/support/test-app.js';
import { createTestUser, type TestUser } from '../../../test/support/test-tokens.js';
import {
  BLOB_STORE,
  Clock,
  configuredPublicBaseUrl,
  MAX_UPLOAD_BYTES,
  PermanentFailure,
  ValidationFailed,
  type BlobStore,
} from '#platform';
import { DeleteUnusedUploads } from './worker/delete-unused-uploads.js';
import type { UploadUrlDto } from './dto/upload-url.dto.js';
import { ImageUploadRepository } from './image-upload.repository.js';
import { ImageUploads, InvalidImage } from './index.js';
import { ProcessUpload } from './worker/process-upload.js';
import { uploadBucketCorsRules } from './test-fixtures/bucket-cors.js';
import {
  exifHasGps,
  heicPhotoWithGps,
  plainJpeg,
  plainPng,
  sidewaysPhotoWithGps,
  TEXT_FILE,
} from './test-fixtures/images.js';

/** The app's origin in the browser (a dev server on another port): every upload is cross-origin. */
const APP_ORIGIN = 'http://localhost:5173';
const HOUR_MS = 3600_000;

describe.each<Stack>(['embedded', 'production'])('image uploads (%s adapters)', (stack) => {
  let app: TestApp;
  let baseUrl: string;
  /** Where the app says it is (http://localhost:<PORT> by default), which cdn_url values start with. */
  let publicOrigin: string;
  let images: ImageUploads;
  let rows: ImageUploadRepository;
  let blobs: BlobStore;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    app = await bootTestApp(
      await envFor(stack, { APP_DOMAINS: 'scan', WORKER_ROLES: 'storage', IMAGE_PENDING_SWEEP_MS: '200' }),
    );
    // A real listening server: the test PUTs to and reads from the absolute URLs the API hands out.
    baseUrl = await listenOnFreePort(app);
    publicOrigin = configuredPublicBaseUrl(app.config);
    images = app.app.get(ImageUploads);
    rows = app.app.get(ImageUploadRepository);
    blobs = app.app.get<BlobStore>(BLOB_STORE);
    alice = await createTestUser(app, 'alice');
    bob = await createTestUser(app, 'bob');
    if (stack === 'production') {
      const s3 = new S3Client({
        region: 'us-east-1',
        endpoint: app.env.S3_ENDPOINT,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      await s3.send(
        new PutBucketCorsCommand({
          Bucket: app.env.S3_BUCKET,
          CORSConfiguration: { CORSRules: uploadBucketCorsRules([APP_ORIGIN]) },
        }),
      );
      s3.destroy();
    }
  });

  afterAll(() => app?.close());

  async function presign(
    user: TestUser,
    body: Record<string, unknown>,
    channel = 'scan',
  ): Promise<UploadUrlDto> {
    const response = await fetch(`${baseUrl}/api/v1/images/${channel}`, {
      method: 'POST',
      headers: { authorization: user.bearer, 'content-type': 'application/json', origin: APP_ORIGIN },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as UploadUrlDto;
  }

  /** The browser's PUT: no credentials, only the signed headers. */
  function put(upload: UploadUrlDto, bytes: Buffer): Promise<Response> {
    return fetch(upload.upload_url, {
      method: 'PUT',
      headers: { ...upload.required_headers, origin: APP_ORIGIN },
      body: new Uint8Array(bytes),
    });
  }

  async function uploaded(user: TestUser, bytes: Buffer, contentType: string, channel = 'scan') {
    const upload = await presign(user, { filename: 'photo', content_type: contentType }, channel);
    expect((await put(upload, bytes)).status).toBe(200);
    return upload;
  }

  async function expectRefused(userId: string, imageUrl: string, message: RegExp): Promise<void> {
    const refusal = await images.resolveOwnedUpload({ userId, imageUrl, baseUrl: publicOrigin }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ValidationFailed);
    expect((refusal as ValidationFailed).details).toEqual([
      { field: 'image_url', message: expect.stringMatching(message) },
    ]);
  }

  async function invalidImageFrom(key: string): Promise<unknown> {
    return images.loadVerifiedImage(key).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it('signs an upload the app PUTs cross-origin and records it as the caller’s', async () => {
    const upload = await presign(alice, {
      filename: 'C:\\photos\\bottle.jpg',
      content_type: 'image/jpeg',
      size: 1234,
    });
    expect(upload.key).toMatch(/^scan\/[0-9a-f]{32}\.jpg$/);
    expect(upload.cdn_url).toMatch(/^https?:\/\//);
    expect(upload.expires_in).toBe(900);
    expect(upload.required_headers).toEqual({ 'Content-Type': 'image/jpeg' });
    // The browser's preflight for a plain cross-origin PUT with a Content-Type header.
    const preflight = await fetch(upload.upload_url, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/localhost:5173)$/);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');

    const putResponse = await put(upload, await plainJpeg());
    expect(putResponse.status).toBe(200);
    expect(putResponse.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/localhost:5173)$/);
    await expect(
      images.resolveOwnedUpload({ userId: alice.id, imageUrl: upload.cdn_url, baseUrl: publicOrigin }),
    ).resolves.toEqual({
      key: upload.key,
      channel: 'scan',
    });
    expect(await rows.findByPublicKey(upload.key)).toMatchObject({
      userId: alice.id,
      originalFilename: 'bottle.jpg',
      declaredContentType: 'image/jpeg',
      declaredSize: 1234,
    });
  });

  it('refuses unsupported types, oversize declarations and unknown channels with details', async () => {
    const post = (channel: string, body: unknown, bearer = alice.bearer) =>
      fetch(`${baseUrl}/api/v1/images/${channel}`, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const unsupported = await post('scan', { filename: 'a.gif', content_type: 'image/gif' });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'content_type', message: expect.stringContaining('image/jpeg') }],
    });
    const oversize = await post('chat', {
      filename: 'a.jpg',
      content_type: 'image/jpeg',
      size: MAX_UPLOAD_BYTES + 1,
    });
    expect(oversize.status).toBe(400);
    expect(await oversize.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'size', message: expect.stringContaining('10 MiB') }],
    });
    const channel = await post('avatars', { filename: 'a.jpg', content_type: 'image/jpeg' });
    expect(channel.status).toBe(400);
    expect(await channel.json()).toMatchObject({ details: [{ field: 'channel' }] });
    const noName = await post('my', { filename: 'photos/', content_type: 'image/png' });
    expect(noName.status).toBe(400);
    expect(await noName.json()).toMatchObject({ details: [{ field: 'filename' }] });
    expect((await post('scan', { filename: 'a.jpg', content_type: 'image/jpeg' }, '')).status).toBe(401);
  });

  it('serves a photo upright and without its GPS EXIF, after the storage worker processed it', async () => {
    const photo = await sidewaysPhotoWithGps();
    const original = await sharp(photo).metadata();
    expect(exifHasGps(original.exif)).toBe(true);
    expect(original.orientation).toBe(6);

    const upload = await uploaded(alice, photo, 'image/jpeg');
    // Before processing the public URL has nothing behind it: the unprocessed file is never served.
    expect((await fetch(upload.cdn_url)).status).toBe(404);
    await images.resolveOwnedUpload({ userId: alice.id, imageUrl: upload.cdn_url, baseUrl: publicOrigin });
    await vi.waitFor(async () => expect((await rows.findByPublicKey(upload.key))?.status).toBe('ready'), {
      timeout: 20_000,
      interval: 100,
    });
    const served = await fetch(upload.cdn_url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const cleaned = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect(cleaned).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect(cleaned.exif).toBeUndefined();
    expect(cleaned.orientation).toBeUndefined();

    const row = await rows.findByPublicKey(upload.key);
    expect(row).toMatchObject({ status: 'ready', detectedFormat: 'jpeg', width: 20, height: 40 });
    expect(await blobs.head(row!.stagingKey)).toBeNull();
    const thumbnail = await sharp(await blobs.get(row!.thumbnailKey)).metadata();
    expect(thumbnail.format).toBe('webp');
    expect(thumbnail.exif).toBeUndefined();
  });

  it('accepts an iPhone photo (HEIC, HEVC) and serves it as a JPEG without its GPS EXIF', async () => {
    const heic = heicPhotoWithGps();
    expect(exifHasGps((await sharp(heic).metadata()).exif)).toBe(true);

    const upload = await uploaded(alice, heic, 'image/heic');
    expect(upload.key).toMatch(/\.jpg$/);
    await images.resolveOwnedUpload({ userId: alice.id, imageUrl: upload.cdn_url, baseUrl: publicOrigin });
    await vi.waitFor(async () => expect((await rows.findByPublicKey(upload.key))?.status).toBe('ready'), {
      timeout: 20_000,
      interval: 100,
    });
    const served = await fetch(upload.cdn_url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const cleaned = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect(cleaned).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect(cleaned.exif).toBeUndefined();
    expect(await rows.findByPublicKey(upload.key)).toMatchObject({
      detectedFormat: 'heif',
      width: 64,
      height: 48,
    });
  });

  it('processes uploads nobody asked about through the pending sweep', async () => {
    const upload = await uploaded(bob, await plainJpeg(), 'image/jpeg', 'chat');
    await vi.waitFor(async () => expect((await rows.findByPublicKey(upload.key))?.status).toBe('ready'), {
      timeout: 20_000,
      interval: 100,
    });
    expect((await fetch(upload.cdn_url)).status).toBe(200);
  });

  it('processes a real upload promptly behind 110 upload URLs that are never used', async () => {
    const hoarders = await Promise.all(
      Array.from({ length: 6 }, (_, index) => createTestUser(app, `hoarder-${stack}-${index}`)),
    );
    for (let index = 0; index < 110; index++) {
      await presign(hoarders[index % hoarders.length]!, {
        filename: 'never.jpg',
        content_type: 'image/jpeg',
      });
    }
    const started = Date.now();
    const upload = await uploaded(bob, await plainJpeg(), 'image/jpeg', 'chat');
    await vi.waitFor(async () => expect((await rows.findByPublicKey(upload.key))?.status).toBe('ready'), {
      timeout: 10_000,
      interval: 100,
    });
    // Sweeps every 200 ms, 100 uploads each: the second sweep at the latest reaches it.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('limits the upload URLs a user holds unused: 429 with Retry-After past the limit', async () => {
    const hoarder = await createTestUser(app, `limited-${stack}`);
    for (let index = 0; index < 20; index++) {
      await presign(hoarder, { filename: 'never.jpg', content_type: 'image/jpeg' });
    }
    const refused = await fetch(`${baseUrl}/api/v1/images/scan`, {
      method: 'POST',
      headers: { authorization: hoarder.bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'one-more.jpg', content_type: 'image/jpeg' }),
    });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // The oldest unused URL leaves the count once its upload window (15 min + 1 min) is over.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(900);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(960);
    // Another user is not limited by it.
    await presign(alice, { filename: 'fine.jpg', content_type: 'image/jpeg' });
  });

  it('handles a PNG uploaded as image/jpeg by its real type', async () => {
    const upload = await uploaded(alice, await plainPng(), 'image/jpeg');
    const { key } = await images.resolveOwnedUpload({
      userId: alice.id,
      imageUrl: upload.cdn_url,
      baseUrl: publicOrigin,
    });
    const image = await images.loadVerifiedImage(key);
    // Decoded as the PNG it is, then served as what its URL promises, with a matching type.
    expect(image.mimeType).toBe('image/jpeg');
    expect((await sharp(image.bytes).metadata()).format).toBe('jpeg');
    expect(await rows.findByPublicKey(key)).toMatchObject({ status: 'ready', detectedFormat: 'png' });
  });

  it('rejects a text file uploaded as image/jpeg and never hands it to anyone', async () => {
    const upload = await uploaded(alice, TEXT_FILE, 'image/jpeg');
    const { key } = await images.resolveOwnedUpload({
      userId: alice.id,
      imageUrl: upload.cdn_url,
      baseUrl: publicOrigin,
    });
    const failure = await invalidImageFrom(key);
    expect(failure).toBeInstanceOf(InvalidImage);
    // A queue handler that lets it escape dead-letters the job at once instead of retrying.
    expect(failure).toBeInstanceOf(PermanentFailure);
    expect((failure as Error).message).toMatch(/not an image/);

    const row = await rows.findByPublicKey(key);
    expect(row).toMatchObject({ status: 'rejected' });
    expect(await blobs.head(row!.stagingKey)).toBeNull();
    expect(await blobs.head(key)).toBeNull();
    expect((await fetch(upload.cdn_url)).status).toBe(404);
    await expectRefused(alice.id, upload.cdn_url, /not a supported image/);
  });

  it('rejects an object larger than 10 MiB', async () => {
    const upload = await presign(alice, { filename: 'huge.jpg', content_type: 'image/jpeg' });
    const response = await put(upload, Buffer.alloc(MAX_UPLOAD_BYTES + 1024, 0xff));
    if (stack === 'embedded') {
      // The local upload route refuses it outright.
      expect(response.status).toBe(413);
      await expectRefused(alice.id, upload.cdn_url, /not been uploaded/);
    } else {
      // S3 takes any size on a presigned PUT: the storage worker enforces the limit.
      expect(response.status).toBe(200);
      const failure = await invalidImageFrom(upload.key);
      expect(failure).toBeInstanceOf(InvalidImage);
      expect((failure as Error).message).toMatch(/larger than/);
    }
  });

  it('resolves only a cdn_url issued to this caller for an object that was uploaded', async () => {
    const upload = await uploaded(alice, await plainJpeg(), 'image/jpeg');
    await expect(
      images.resolveOwnedUpload({ userId: alice.id, imageUrl: upload.cdn_url, baseUrl: publicOrigin }),
    ).resolves.toMatchObject({
      key: upload.key,
    });

    await expectRefused(bob.id, upload.cdn_url, /unknown image/);
    await expectRefused(alice.id, `https://images.example.com/${upload.key}`, /issued/);
    await expectRefused(alice.id, 'not a url', /issued/);
    const otherKey = new URL(upload.cdn_url);
    otherKey.pathname = otherKey.pathname.replace(/[0-9a-f](?=\.jpg$)/, (c) => (c === '0' ? '1' : '0'));
    await expectRefused(alice.id, otherKey.toString(), /issued|unknown image/);
    // The private staging object is not a readable image, whatever URL points at it.
    await expectRefused(
      alice.id,
      upload.cdn_url.replace(`/${upload.key}`, `/incoming/${upload.key}`),
      /issued|unknown/,
    );
    const signed = new URL(upload.cdn_url);
    if (signed.searchParams.has('signature')) {
      const signature = signed.searchParams.get('signature')!;
      signed.searchParams.set('signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
      await expectRefused(alice.id, signed.toString(), /issued/);
    }

    const neverUploaded = await presign(alice, { filename: 'later.jpg', content_type: 'image/jpeg' });
    await expectRefused(alice.id, neverUploaded.cdn_url, /not been uploaded/);
  });

  it('answers POST /scan with 400 for an image_url off our origin or with a malformed escape', async () => {
    const upload = await uploaded(alice, await plainJpeg(), 'image/jpeg');
    const own = new URL(upload.cdn_url);
    const hostile = [
      // The caller's own path and signature behind our origin as userinfo: the host is 169.254.169.254.
      `http://${own.host}@169.254.169.254${own.pathname}${own.search}`,
      `http://elsewhere.example${own.pathname}${own.search}`,
      `${own.origin}/api/v1/images/blob/scan/%zz.png${own.search}`,
      `${own.origin}${own.pathname.replace(/\/[^/]*$/, '/%E0%A4%A.jpg')}${own.search}`,
    ];
    for (const imageUrl of hostile) {
      const response = await fetch(`${baseUrl}/api/v1/scan`, {
        method: 'POST',
        headers: { authorization: alice.bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ image_url: imageUrl }),
      });
      expect(response.status, imageUrl).toBe(400);
      expect(await response.json(), imageUrl).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'image_url', message: expect.stringMatching(/issued/) }],
      });
    }
  });

  it('deletes uploads nobody used within 24 h and keeps the used ones', async () => {
    const clock = app.app.get(Clock);
    const start = new Date();
    let now = start;
    const fixedClock = vi.spyOn(clock, 'now').mockImplementation(() => new Date(now));
    try {
      const unused = await uploaded(alice, await plainJpeg(), 'image/jpeg');
      await images.loadVerifiedImage(unused.key);
      const used = await uploaded(alice, await plainJpeg(), 'image/jpeg');
      await images.markUsed(used.key);
      const abandoned = await presign(alice, { filename: 'never.jpg', content_type: 'image/jpeg' });
      now = new Date(start.getTime() + 2 * HOUR_MS);
      const recent = await uploaded(alice, await plainJpeg(), 'image/jpeg');

      now = new Date(start.getTime() + 25 * HOUR_MS);
      const cleanup = app.app.get(DeleteUnusedUploads);
      await cleanup.run();

      expect(await rows.findByPublicKey(unused.key)).toMatchObject({ status: 'deleted' });
      expect(await blobs.head(unused.key)).toBeNull();
      expect(await rows.findByPublicKey(abandoned.key)).toMatchObject({ status: 'deleted' });
      expect((await rows.findByPublicKey(used.key))?.status).not.toBe('deleted');
      expect((await rows.findByPublicKey(recent.key))?.status).not.toBe('deleted');
      await expect(images.loadVerifiedImage(recent.key)).resolves.toMatchObject({ mimeType: 'image/jpeg' });
      await expectRefused(alice.id, unused.cdn_url, /unknown image/);
      // A second run finds nothing left to do.
      expect(await cleanup.run()).toBe(0);
    } finally {
      fixedClock.mockRestore();
    }
  });

  it('treats a redelivered image.uploaded as already done', async () => {
    const upload = await uploaded(alice, await sidewaysPhotoWithGps(), 'image/jpeg');
    const { id } = (await rows.findByPublicKey(upload.key))!;
    const processUpload = app.app.get(ProcessUpload);
    // The worker and an inline load racing, then a late redelivery.
    const outcomes = await Promise.all([processUpload.runById(id), processUpload.runById(id)]);
    expect(outcomes).toEqual([{ status: 'ready' }, { status: 'ready' }]);
    const first = await rows.findById(id);
    const served = await blobs.get(upload.key);
    expect(await processUpload.runById(id)).toEqual({ status: 'ready' });
    expect(await rows.findById(id)).toEqual(first);
    expect((await blobs.get(upload.key)).equals(served)).toBe(true);
    expect(await processUpload.runById('00000000-0000-4000-8000-000000000000')).toEqual({
      status: 'gone',
    });
  });

  it('deletes every object of a deleted account through image.delete', async () => {
    const carol = await createTestUser(app, 'carol');
    const processed = await uploaded(carol, await plainJpeg(), 'image/jpeg');
    await images.loadVerifiedImage(processed.key);
    const pending = await uploaded(carol, await plainPng(), 'image/png', 'my');
    const keys = await Promise.all(
      [processed.key, pending.key].map(async (key) => {
        const row = (await rows.findByPublicKey(key))!;
        return [row.stagingKey, row.publicKey, row.thumbnailKey];
      }),
    );
    await images.queueDeletionForUser(carol.id);
    // Account deletion removes the user right after queueing; the upload rows go with it.
    const dataSource = app.app.get(DataSource);
    await dataSource.query(
      dataSource.options.type === 'postgres'
        ? 'DELETE FROM users WHERE id = $1'
        : 'DELETE FROM users WHERE id = ?',
      [carol.id],
    );
    expect(await rows.findByPublicKey(processed.key)).toBeNull();
    await vi.waitFor(
      async () => {
        for (const key of keys.flat()) expect(await blobs.head(key)).toBeNull();
      },
      { timeout: 20_000, interval: 100 },
    );
  });
});
