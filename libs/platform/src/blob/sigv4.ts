import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for our S3 requests (headers) and presigned URLs (query), by the AWS SDK's own
 * signer (`@smithy/signature-v4`) without the SDK client around it: the client's middleware stack,
 * endpoint rules and serde cost ~1 ms of CPU per S3 call (docs/PERFORMANCE.md, Scan at scale), where
 * signing is a fraction of that. sigv4.spec.ts checks it against the S3 documentation's worked examples.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary credentials (instance profile, web identity): sent as x-amz-security-token. */
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  host: string;
  /** Already URI-encoded as S3 expects (each segment once, `/` kept). */
  path: string;
  /** Lower-case names; `host` is added. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');
const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';
const SIGNATURE_PARAMETER = 'X-Amz-Signature';

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** SHA-256, or HMAC-SHA-256 when given a secret, over node:crypto: the hash the signer is built with. */
class NodeSha256 {
  private hash: Hash | Hmac;

  private readonly secret?: string | Uint8Array;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytesOf(secret);
    this.hash = this.fresh();
  }

  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

export class SigV4Signer {
  private readonly signer: SignatureV4;

  /** `credentials` is asked on every signature (a refreshing provider, or static keys). */
  constructor(region: string, credentials: () => Promise<AwsCredentials>) {
    this.signer = new SignatureV4({
      service: 's3',
      region,
      credentials,
      sha256: NodeSha256,
      // S3 signs the path as sent (each segment encoded once), not encoded again.
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  /** The headers to send: the request's own, `host`, `x-amz-date`, the payload hash, the token and `authorization`. */
  async sign(request: SignableRequest, now: Date): Promise<Record<string, string>> {
    const signed = await this.signer.sign(
      httpRequestOf(request, { ...request.headers, [PAYLOAD_HASH_HEADER]: request.payloadHash }),
      { signingDate: now },
    );
    return signed.headers;
  }

  /**
   * The query string of a presigned URL for `request` (its headers are the ones the client must send,
   * e.g. `content-type`), valid `expiresInSeconds` from `now`. The payload is unsigned, as S3 allows.
   */
  async presignQuery(
    request: Omit<SignableRequest, 'payloadHash'>,
    now: Date,
    expiresInSeconds: number,
  ): Promise<string> {
    // The payload hash the signature covers, but neither a header the client must send nor a parameter.
    const unsignedPayload = new Set([PAYLOAD_HASH_HEADER]);
    const presigned = await this.signer.presign(
      httpRequestOf(request, { ...request.headers, [PAYLOAD_HASH_HEADER]: UNSIGNED_PAYLOAD }),
      {
        signingDate: now,
        expiresIn: expiresInSeconds,
        unsignableHeaders: unsignedPayload,
        unhoistableHeaders: unsignedPayload,
      },
    );
    const { [SIGNATURE_PARAMETER]: signature, ...signed } = presigned.query as Record<string, string>;
    const canonical = Object.keys(signed)
      .sort()
      .map((name) => `${uriEncode(name)}=${uriEncode(signed[name])}`)
      .join('&');
    return `${canonical}&${SIGNATURE_PARAMETER}=${signature}`;
  }
}

function httpRequestOf(
  request: Omit<SignableRequest, 'payloadHash'>,
  headers: Record<string, string>,
): HttpRequest {
  const [hostname, port] = request.host.split(':');
  return {
    method: request.method,
    protocol: 'https:',
    hostname,
    port: port === undefined ? undefined : Number(port),
    path: request.path,
    query: {},
    headers: { ...headers, host: request.host },
  };
}
