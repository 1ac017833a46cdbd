export interface BlobHead {
  size: number;
  contentType: string | undefined;
}

export interface PresignedUpload {
  url: string;
  /** Headers the client must send with its PUT (the signature covers them). */
  headers: Record<string, string>;
  expiresIn: number;
}

/**
 * Blob storage port. `baseUrl` is the public origin the browser reached us on; only the local adapter
 * needs it (it serves its own URLs), the S3 adapter answers with S3/CDN URLs.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  presignUpload(
    key: string,
    contentType: string,
    expiresInSeconds: number,
    baseUrl: string,
  ): Promise<PresignedUpload>;
  /** Absolute URL the app reads the object from (CDN in production). */
  publicUrl(key: string, baseUrl: string): string;
  /**
   * The key behind a URL this store handed out (for the local store: on `baseUrl`'s origin), or null
   * for any URL it did not issue.
   */
  keyFromPublicUrl(url: string, baseUrl: string): string | null;
  head(key: string): Promise<BlobHead | null>;
  /**
   * The object's bytes. Rejects with `BlobNotFound` when there is no such object, and with `BlobTooLarge`
   * when it has more than `maxBytes`, without reading it: one request where a HEAD and a GET were two.
   */
  get(key: string, options?: { maxBytes?: number }): Promise<Buffer>;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
}

export const BLOB_STORE = Symbol('BlobStore');

export class BlobNotFound extends Error {
  constructor(key: string) {
    super(`no object ${key}`);
  }
}

export class BlobTooLarge extends Error {
  constructor(
    key: string,
    readonly size: number,
  ) {
    super(`object ${key} has ${size} bytes`);
  }
}

/** Object keys are `{channel}/{id}.{ext}`: no traversal, no surprises in URLs. */
export const BLOB_KEY_PATTERN = /^[a-z]+\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)?\.[a-z0-9]+$/;

export function assertBlobKey(key: string): void {
  if (!BLOB_KEY_PATTERN.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
}
