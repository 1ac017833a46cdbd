import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertBlobKey, type BlobHead, type BlobStore, type PresignedUpload } from './blob-store.js';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Public read base (CloudFront). Defaults to the bucket's own URL. */
  cdnBaseUrl?: string;
  timeoutMs?: number;
}

/** Production adapter: presigned S3 PUTs for the browser, CDN URLs for reads. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly cdnBase: string;

  constructor(private readonly options: S3BlobStoreOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: Boolean(options.endpoint),
      // Without this, presigned PUT URLs carry a checksum of an empty body that real S3 rejects.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { requestTimeout: options.timeoutMs ?? 10_000, connectionTimeout: 3000 },
    };
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    this.client = new S3Client(config);
    const bucketUrl = options.endpoint
      ? `${options.endpoint.replace(/\/$/, '')}/${options.bucket}`
      : `https://${options.bucket}.s3.${options.region}.amazonaws.com`;
    this.cdnBase = (options.cdnBaseUrl ?? bucketUrl).replace(/\/$/, '');
  }

  async presignUpload(key: string, contentType: string, expiresInSeconds: number): Promise<PresignedUpload> {
    assertBlobKey(key);
    const command = new PutObjectCommand({ Bucket: this.options.bucket, Key: key, ContentType: contentType });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(['content-type']),
    });
    return { url, headers: { 'Content-Type': contentType }, expiresIn: expiresInSeconds };
  }

  publicUrl(key: string): string {
    assertBlobKey(key);
    return `${this.cdnBase}/${key}`;
  }

  /** Only under the configured CDN base; `baseUrl` plays no part, as in `publicUrl`. */
  keyFromPublicUrl(url: string): string | null {
    if (!url.startsWith(`${this.cdnBase}/`)) return null;
    const key = url.slice(this.cdnBase.length + 1).split(/[?#]/)[0] ?? '';
    try {
      assertBlobKey(key);
      return key;
    } catch {
      return null;
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, contentType: head.ContentType };
    } catch (error) {
      if (
        error instanceof NotFound ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        return null;
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
  }
}
