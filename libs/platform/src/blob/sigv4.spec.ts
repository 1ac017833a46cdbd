import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_PAYLOAD_HASH, SigV4Signer, UNSIGNED_PAYLOAD, uriEncode } from './sigv4.js';

// The worked examples of https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
// and .../sigv4-query-string-auth.html: their credentials, date and expected signatures.
const EXAMPLE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const EXAMPLE_DATE = new Date('2013-05-24T00:00:00Z');
const EXAMPLE_HOST = 'examplebucket.s3.amazonaws.com';

describe('SigV4Signer', () => {
  const signer = new SigV4Signer('us-east-1');

  it('signs the GET Object example of the S3 documentation to its published signature', () => {
    const headers = signer.sign(
      {
        method: 'GET',
        host: EXAMPLE_HOST,
        path: '/test.txt',
        headers: { range: 'bytes=0-9' },
        payloadHash: EMPTY_PAYLOAD_HASH,
      },
      EXAMPLE_CREDENTIALS,
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

  it('signs the PUT Object example (a signed payload and an extra x-amz header) to its published signature', () => {
    const payloadHash = createHash('sha256').update('Welcome to Amazon S3.').digest('hex');
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const headers = signer.sign(
      {
        method: 'PUT',
        host: EXAMPLE_HOST,
        path: '/test%24file.text',
        headers: { date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadHash,
      },
      EXAMPLE_CREDENTIALS,
      EXAMPLE_DATE,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, ' +
        'Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });

  it('presigns the query-string example of the S3 documentation to its published signature', () => {
    const query = signer.presignQuery(
      { method: 'GET', host: EXAMPLE_HOST, path: '/test.txt', headers: {} },
      EXAMPLE_CREDENTIALS,
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

  it('sends and signs the session token of temporary credentials', () => {
    const request = {
      method: 'HEAD',
      host: EXAMPLE_HOST,
      path: '/a.jpg',
      headers: {},
      payloadHash: UNSIGNED_PAYLOAD,
    };
    const plain = signer.sign(request, EXAMPLE_CREDENTIALS, EXAMPLE_DATE);
    const temporary = signer.sign(
      request,
      { ...EXAMPLE_CREDENTIALS, sessionToken: 'token/+=' },
      EXAMPLE_DATE,
    );
    expect(temporary['x-amz-security-token']).toBe('token/+=');
    expect(temporary.authorization).toContain(
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,',
    );
    expect(temporary.authorization).not.toBe(plain.authorization);
    const query = signer.presignQuery(
      request,
      { ...EXAMPLE_CREDENTIALS, sessionToken: 'token/+=' },
      EXAMPLE_DATE,
      60,
    );
    expect(query).toContain('X-Amz-Security-Token=token%2F%2B%3D');
  });

  it('derives a new signing key when the day or the secret changes', () => {
    const request = {
      method: 'GET',
      host: EXAMPLE_HOST,
      path: '/a.jpg',
      headers: {},
      payloadHash: UNSIGNED_PAYLOAD,
    };
    const first = signer.sign(request, EXAMPLE_CREDENTIALS, EXAMPLE_DATE).authorization;
    const nextDay = signer.sign(request, EXAMPLE_CREDENTIALS, new Date('2013-05-25T00:00:00Z')).authorization;
    const rotated = signer.sign(request, { ...EXAMPLE_CREDENTIALS, secretAccessKey: 'other' }, EXAMPLE_DATE);
    expect(new Set([first, nextDay, rotated.authorization]).size).toBe(3);
    expect(signer.sign(request, EXAMPLE_CREDENTIALS, EXAMPLE_DATE).authorization).toBe(first);
  });

  it('encodes as RFC 3986 does', () => {
    expect(uriEncode("a b/c!'()*~")).toBe('a%20b%2Fc%21%27%28%29%2A~');
  });
});
