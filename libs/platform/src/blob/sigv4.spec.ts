import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_PAYLOAD_HASH,
  SigV4Signer,
  UNSIGNED_PAYLOAD,
  uriEncode,
  type AwsCredentials,
} from './sigv4.js';

// The worked examples of https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
// and .../sigv4-query-string-auth.html: their credentials, date and expected signatures.
const EXAMPLE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const EXAMPLE_DATE = new Date('2013-05-24T00:00:00Z');
const EXAMPLE_HOST = 'examplebucket.s3.amazonaws.com';

describe('SigV4Signer', () => {
  const signerFor = (credentials: AwsCredentials): SigV4Signer =>
    new SigV4Signer('us-east-1', () => Promise.resolve(credentials));
  const signer = signerFor(EXAMPLE_CREDENTIALS);

  it('signs the GET Object example of the S3 documentation to its published signature', async () => {
    const headers = await signer.sign(
      {
        method: 'GET',
        host: EXAMPLE_HOST,
        path: '/test.txt',
        headers: { range: 'bytes=0-9' },
        payloadHash: EMPTY_PAYLOAD_HASH,
      },
      EXAMPLE_DATE,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
    expect(headers.host).toBe(EXAMPLE_HOST);
  });

  it('signs a PUT with its payload hash and an extra x-amz header (the example without its Date, which x-amz-date replaces)', async () => {
    const payloadHash = createHash('sha256').update('Welcome to Amazon S3.').digest('hex');
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const put = (hash: string): Promise<Record<string, string>> =>
      signer.sign(
        {
          method: 'PUT',
          host: EXAMPLE_HOST,
          path: '/test%24file.text',
          headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
          payloadHash: hash,
        },
        EXAMPLE_DATE,
      );
    const headers = await put(payloadHash);
    expect(headers['x-amz-content-sha256']).toBe(payloadHash);
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20130524\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=[0-9a-f]{64}$/,
    );
    // the signature covers the body: another payload, another signature
    expect((await put(EMPTY_PAYLOAD_HASH)).authorization).not.toBe(headers.authorization);
  });

  it('presigns the query-string example of the S3 documentation to its published signature', async () => {
    const query = await signer.presignQuery(
      { method: 'GET', host: EXAMPLE_HOST, path: '/test.txt', headers: {} },
      EXAMPLE_DATE,
      86400,
    );
    expect(query).toBe(
      'X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('sends and signs the session token of temporary credentials', async () => {
    const request = {
      method: 'HEAD',
      host: EXAMPLE_HOST,
      path: '/a.jpg',
      headers: {},
      payloadHash: UNSIGNED_PAYLOAD,
    };
    const plain = await signer.sign(request, EXAMPLE_DATE);
    const withToken = signerFor({ ...EXAMPLE_CREDENTIALS, sessionToken: 'token/+=' });
    const temporary = await withToken.sign(request, EXAMPLE_DATE);
    expect(temporary['x-amz-security-token']).toBe('token/+=');
    expect(temporary.authorization).toContain(
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,',
    );
    expect(temporary.authorization).not.toBe(plain.authorization);
    const query = await withToken.presignQuery(request, EXAMPLE_DATE, 60);
    expect(query).toContain('X-Amz-Security-Token=token%2F%2B%3D');
  });

  it('derives a new signing key when the day or the secret changes', async () => {
    const request = {
      method: 'GET',
      host: EXAMPLE_HOST,
      path: '/a.jpg',
      headers: {},
      payloadHash: UNSIGNED_PAYLOAD,
    };
    let credentials = EXAMPLE_CREDENTIALS;
    const rotating = new SigV4Signer('us-east-1', () => Promise.resolve(credentials));
    const first = (await rotating.sign(request, EXAMPLE_DATE)).authorization;
    const nextDay = (await rotating.sign(request, new Date('2013-05-25T00:00:00Z'))).authorization;
    credentials = { ...EXAMPLE_CREDENTIALS, secretAccessKey: 'other' };
    const rotated = (await rotating.sign(request, EXAMPLE_DATE)).authorization;
    expect(new Set([first, nextDay, rotated]).size).toBe(3);
    credentials = EXAMPLE_CREDENTIALS;
    expect((await rotating.sign(request, EXAMPLE_DATE)).authorization).toBe(first);
  });

  it('encodes as RFC 3986 does', async () => {
    expect(uriEncode("a b/c!'()*~")).toBe('a%20b%2Fc%21%27%28%29%2A~');
  });
});
