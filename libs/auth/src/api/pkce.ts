import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 7636 S256: the verifier is 64 random bytes, the challenge its unpadded base64url SHA-256. */
export function newCodeVerifier(): string {
  return randomBytes(64).toString('base64url');
}

export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function verifierMatches(verifier: string, challenge: string): boolean {
  const actual = Buffer.from(codeChallengeOf(verifier));
  const expected = Buffer.from(challenge);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
