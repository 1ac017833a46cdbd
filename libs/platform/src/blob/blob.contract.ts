import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFound, BlobTooLarge, type BlobStore } from './blob-store.js';

export interface BlobStoreFixture {
  store: BlobStore;
  /** The origin the browser reached the app on (only the local adapter builds URLs from it). */
  baseUrl: string;
  cleanup?(): Promise<void>;
}

export const blobKey = (ext = 'jpg'): string => `contract/${randomBytes(6).toString('hex')}.${ext}`;

/** Bytes that look like a JPEG, with every byte value present so nothing gets re-encoded unnoticed. */
export function sampleBytes(size = 4096): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 256;
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

/** The behaviour every BlobStore adapter must show, driven through real HTTP where a browser would be. */
export function describeBlobStoreContract(name: string, factory: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.cleanup?.();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('presignUpload gives a URL a browser can PUT to with the given headers; the object then reads back', async () => {
      const key = blobKey();
      const bytes = sampleBytes();
      const upload = await store.presignUpload(key, 'image/jpeg', 300, fixture.baseUrl);
      expect(upload.expiresIn).toBe(300);
      expect(upload.headers['Content-Type']).toBe('image/jpeg');
      // No credentials of ours travel with the PUT: the URL is the authorisation.
      const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
      expect(put.status).toBe(200);

      expect(await store.head(key)).toEqual({ size: bytes.length, contentType: 'image/jpeg' });
      expect((await store.get(key)).equals(bytes)).toBe(true);

      const read = await fetch(store.publicUrl(key, fixture.baseUrl));
      expect(read.status).toBe(200);
      expect(Buffer.from(await read.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('put, head, get and delete an object', async () => {
      const key = blobKey('png');
      const bytes = sampleBytes(1234);
      expect(await store.head(key)).toBeNull();
      await store.put(key, bytes, 'image/png');
      expect(await store.head(key)).toEqual({ size: 1234, contentType: 'image/png' });
      expect((await store.get(key)).equals(bytes)).toBe(true);
      await store.put(key, Buffer.from('replaced'), 'image/png');
      expect((await store.get(key)).toString()).toBe('replaced');
      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFound);
      // Deleting what is not there is not an error (cleanup jobs retry).
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    it('get refuses an object over maxBytes without reading it, and reads one at the bound', async () => {
      const key = blobKey();
      await store.put(key, sampleBytes(3000), 'image/jpeg');
      const refused = await store.get(key, { maxBytes: 2999 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BlobTooLarge);
      expect((refused as BlobTooLarge).size).toBe(3000);
      expect((await store.get(key, { maxBytes: 3000 })).equals(sampleBytes(3000))).toBe(true);
      await expect(store.get(blobKey(), { maxBytes: 3000 })).rejects.toBeInstanceOf(BlobNotFound);
      await store.delete(key);
    });

    it('keyFromPublicUrl inverts publicUrl, also for two-level keys', async () => {
      for (const key of [blobKey(), `scan/${randomBytes(4).toString('hex')}/thumb_1.webp`]) {
        const url = store.publicUrl(key, fixture.baseUrl);
        expect(() => new URL(url)).not.toThrow();
        expect(store.keyFromPublicUrl(url, fixture.baseUrl)).toBe(key);
      }
    });

    it('keyFromPublicUrl answers null for URLs it did not hand out', async () => {
      const key = blobKey();
      const url = new URL(store.publicUrl(key, fixture.baseUrl));
      const foreign = [
        'not a url',
        '',
        `https://elsewhere.example/${key}`,
        `https://elsewhere.example/api/v1/images/blob/${key}`,
        `${url.origin}/api/v1/users/me`,
        `${url.origin}${url.pathname.replace(key, '../../etc/passwd')}${url.search}`,
        `${url.origin}${url.pathname.replace(key, 'contract/no-extension')}${url.search}`,
        'javascript:alert(1)',
        // Our path and signature on another host, also hidden behind our origin as userinfo.
        `https://elsewhere.example${url.pathname}${url.search}`,
        `http://${url.host}@169.254.169.254${url.pathname}${url.search}`,
        `${url.protocol}//user:pass@${url.host}${url.pathname}${url.search}`,
        `${url.origin}${url.pathname.replace(/\/[^/]*$/, '/%zz.png')}${url.search}`,
      ];
      for (const candidate of foreign)
        expect(store.keyFromPublicUrl(candidate, fixture.baseUrl), candidate).toBeNull();
    });

    it('refuses keys outside the {channel}/{id}.{ext} pattern', async () => {
      for (const bad of [
        '../escape.jpg',
        'contract/../../x.jpg',
        '/abs/path.jpg',
        'contract/a b.jpg',
        'noext',
      ]) {
        await expect(store.presignUpload(bad, 'image/jpeg', 60, fixture.baseUrl), bad).rejects.toThrow(
          /invalid blob key/,
        );
        expect(() => store.publicUrl(bad, fixture.baseUrl), bad).toThrow(/invalid blob key/);
      }
    });
  });
}
