import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock } from '../clock/clock.js';
import {
  assertBlobKey,
  BlobNotFound,
  BlobTooLarge,
  type BlobHead,
  type BlobStore,
  type PresignedUpload,
} from './blob-store.js';

/** Where the app serves local blobs; lives under /api/ because that is the only prefix proxies forward. */
export const LOCAL_BLOB_ROUTE = '/api/v1/images/blob';
/** Read URLs of the local store stay valid this long (they play the CDN URL's role). */
const READ_URL_TTL_SECONDS = 7 * 24 * 3600;

export type BlobMethod = 'GET' | 'PUT';

/**
 * The object key in a local blob URL path, or null when the path is not one of ours or its escapes are
 * malformed (`%zz`): such a URL was never issued, whoever sends it.
 */
export function blobKeyOfPath(pathname: string): string | null {
  if (!pathname.startsWith(`${LOCAL_BLOB_ROUTE}/`)) return null;
  try {
    return decodeURIComponent(pathname.slice(LOCAL_BLOB_ROUTE.length + 1));
  } catch {
    return null;
  }
}

async function writeAtomically(path: string, data: Buffer | string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/**
 * Embedded default: objects in a local folder, reachable only through URLs carrying an HMAC over
 * (method, key, expiry[, content type]) — the browser's PUT carries no credentials, so the URL is the
 * authorisation, as with S3 presigned URLs.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  constructor(
    private readonly root: string,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  async presignUpload(
    key: string,
    contentType: string,
    expiresInSeconds: number,
    baseUrl: string,
  ): Promise<PresignedUpload> {
    assertBlobKey(key);
    const expires = this.epochSeconds() + expiresInSeconds;
    const url = this.signedUrl('PUT', key, expires, baseUrl, contentType);
    return { url, headers: { 'Content-Type': contentType }, expiresIn: expiresInSeconds };
  }

  publicUrl(key: string, baseUrl: string): string {
    assertBlobKey(key);
    return this.signedUrl('GET', key, this.epochSeconds() + READ_URL_TTL_SECONDS, baseUrl);
  }

  keyFromPublicUrl(url: string, baseUrl: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    // The signature covers key and expiry, not the host: our path and signature on another origin
    // (`http://127.0.0.1:3000@169.254.169.254/...` is host 169.254.169.254) is not our URL.
    if (parsed.username || parsed.password || parsed.origin !== new URL(baseUrl).origin) return null;
    const key = blobKeyOfPath(parsed.pathname);
    if (key === null) return null;
    const verdict = this.verify('GET', key, parsed.searchParams);
    return verdict === 'ok' ? key : null;
  }

  /** Checks a request against its URL signature; `contentType` is required for PUT. */
  verify(
    method: BlobMethod,
    key: string,
    query: URLSearchParams,
    contentType?: string,
  ): 'ok' | 'expired' | 'invalid' {
    const expires = Number(query.get('expires'));
    const signature = query.get('signature') ?? '';
    if (!Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
    try {
      assertBlobKey(key);
    } catch {
      return 'invalid';
    }
    const expected = Buffer.from(
      this.sign(method, key, expires, method === 'PUT' ? (contentType ?? '') : undefined),
      'hex',
    );
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
    return expires < this.epochSeconds() ? 'expired' : 'ok';
  }

  async head(key: string): Promise<BlobHead | null> {
    try {
      const info = await stat(this.path(key));
      const type = await readFile(`${this.path(key)}.type`, 'utf8').catch(() => undefined);
      return { size: info.size, contentType: type };
    } catch {
      return null;
    }
  }

  async get(key: string, { maxBytes }: { maxBytes?: number } = {}): Promise<Buffer> {
    try {
      if (maxBytes !== undefined) {
        const { size } = await stat(this.path(key));
        if (size > maxBytes) throw new BlobTooLarge(key, size);
      }
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFound(key);
      throw error;
    }
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename: a reader (or a concurrent rewrite of the same key) never sees a half-written file.
    await writeAtomically(path, bytes);
    await writeAtomically(`${path}.type`, contentType);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
    await rm(`${this.path(key)}.type`, { force: true });
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  private path(key: string): string {
    assertBlobKey(key);
    return join(this.root, key);
  }

  private signedUrl(
    method: BlobMethod,
    key: string,
    expires: number,
    baseUrl: string,
    contentType?: string,
  ): string {
    const url = new URL(`${LOCAL_BLOB_ROUTE}/${key}`, baseUrl);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', this.sign(method, key, expires, contentType));
    return url.toString();
  }

  private sign(method: BlobMethod, key: string, expires: number, contentType?: string): string {
    return createHmac('sha256', this.secret)
      .update([method, key, expires, contentType ?? ''].join('\n'))
      .digest('hex');
  }

  private epochSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}
