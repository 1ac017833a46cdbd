import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3 requests (headers) and presigned URLs (query), written against
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html and checked
 * against its worked examples (sigv4.spec.ts). The AWS SDK does the same work through a generic
 * middleware stack that cost ~1 ms of CPU per S3 call; this is the part of it our calls need.
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
const ALGORITHM = 'AWS4-HMAC-SHA256';

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `20130524T000000Z` */
const amzDateOf = (date: Date): string => date.toISOString().replace(/[-:]|\.\d{3}/g, '');

export class SigV4Signer {
  /** The day's signing key, derived by four HMACs: the same all day for the same secret. */
  private derived?: { secret: string; day: string; key: Buffer };

  constructor(private readonly region: string) {}

  /** The headers to send: the request's own, `host`, `x-amz-date`, the payload hash, the token and `authorization`. */
  sign(request: SignableRequest, credentials: AwsCredentials, now: Date): Record<string, string> {
    const amzDate = amzDateOf(now);
    const headers: Record<string, string> = {
      ...request.headers,
      host: request.host,
      'x-amz-content-sha256': request.payloadHash,
      'x-amz-date': amzDate,
    };
    if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
    const names = Object.keys(headers).sort();
    const signedHeaders = names.join(';');
    const canonical = [
      request.method,
      request.path,
      '',
      names.map((name) => `${name}:${headers[name].trim()}\n`).join(''),
      signedHeaders,
      request.payloadHash,
    ].join('\n');
    const scope = this.scopeOf(amzDate);
    const signature = this.signature(canonical, amzDate, credentials);
    headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }

  /**
   * The query string of a presigned URL for `request` (its headers are the ones the client must send,
   * e.g. `content-type`), valid `expiresInSeconds` from `now`. The payload is unsigned, as S3 allows.
   */
  presignQuery(
    request: Omit<SignableRequest, 'payloadHash'>,
    credentials: AwsCredentials,
    now: Date,
    expiresInSeconds: number,
  ): string {
    const amzDate = amzDateOf(now);
    const headers: Record<string, string> = { ...request.headers, host: request.host };
    const names = Object.keys(headers).sort();
    const query: Record<string, string> = {
      'X-Amz-Algorithm': ALGORITHM,
      'X-Amz-Credential': `${credentials.accessKeyId}/${this.scopeOf(amzDate)}`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(expiresInSeconds),
      'X-Amz-SignedHeaders': names.join(';'),
    };
    if (credentials.sessionToken) query['X-Amz-Security-Token'] = credentials.sessionToken;
    const canonicalQuery = Object.keys(query)
      .sort()
      .map((name) => `${uriEncode(name)}=${uriEncode(query[name])}`)
      .join('&');
    const canonical = [
      request.method,
      request.path,
      canonicalQuery,
      names.map((name) => `${name}:${headers[name].trim()}\n`).join(''),
      names.join(';'),
      UNSIGNED_PAYLOAD,
    ].join('\n');
    return `${canonicalQuery}&X-Amz-Signature=${this.signature(canonical, amzDate, credentials)}`;
  }

  private scopeOf(amzDate: string): string {
    return `${amzDate.slice(0, 8)}/${this.region}/s3/aws4_request`;
  }

  private signature(canonicalRequest: string, amzDate: string, credentials: AwsCredentials): string {
    const stringToSign = [ALGORITHM, amzDate, this.scopeOf(amzDate), sha256Hex(canonicalRequest)].join('\n');
    return createHmac('sha256', this.signingKey(credentials.secretAccessKey, amzDate.slice(0, 8)))
      .update(stringToSign)
      .digest('hex');
  }

  private signingKey(secret: string, day: string): Buffer {
    if (this.derived?.secret === secret && this.derived.day === day) return this.derived.key;
    let key = createHmac('sha256', `AWS4${secret}`).update(day).digest();
    for (const part of [this.region, 's3', 'aws4_request'])
      key = createHmac('sha256', key).update(part).digest();
    this.derived = { secret, day, key };
    return key;
  }
}
