import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { InMemoryKeyValueStore } from '../kv/in-memory-key-value-store.js';
import { AccessTokenVerifier, blacklistKey, type TokenClaims } from './access-token-verifier.js';
import { TokenKeys } from './token-keys.js';
import { UserTokenCutoffs, userCutoffKey } from './user-token-cutoffs.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const config = AppConfig.load(PLATFORM_ENV, { JWT_PRIVATE_KEY: privateKey });
const keys = new TokenKeys(config);
const jwt = new JwtService({});

function setUp() {
  const clock = new FixedClock(new Date());
  const kv = new InMemoryKeyValueStore(clock);
  const verifier = new AccessTokenVerifier(jwt, keys, config, new UserTokenCutoffs(kv, config, clock));
  return { kv, verifier };
}

function sign(lifetimeSeconds: number): { token: string; claims: TokenClaims } {
  const iat = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    sub: randomUUID(),
    jti: randomUUID(),
    type: 'access',
    iat,
    exp: iat + lifetimeSeconds,
    iss: config.string('JWT_ISSUER'),
    aud: config.string('JWT_AUDIENCE'),
    provider: 'kakao',
  };
  const { kid, pem } = keys.signingKey();
  return { token: jwt.sign(claims, { algorithm: 'RS256', privateKey: pem, keyid: kid }), claims };
}

describe('AccessTokenVerifier', () => {
  afterEach(() => vi.useRealTimers());

  it('checks the signature once per token, and the blacklist on every request', async () => {
    const { kv, verifier } = setUp();
    const { token, claims } = sign(600);
    const decode = vi.spyOn(jwt, 'decode');
    await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ id: claims.sub });
    await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ id: claims.sub });
    expect(decode).toHaveBeenCalledTimes(1);
    await kv.set(blacklistKey(claims.jti), '{}');
    await expect(verifier.verifyAccessToken(token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('reads the blacklist and the user cutoff in one round trip to the store per request', async () => {
    const { kv, verifier } = setUp();
    const { token, claims } = sign(600);
    const get = vi.spyOn(kv, 'get');
    const getMany = vi.spyOn(kv, 'getMany');
    await verifier.verifyAccessToken(token);
    expect(get).not.toHaveBeenCalled();
    expect(getMany.mock.calls).toEqual([[[blacklistKey(claims.jti), userCutoffKey(claims.sub)]]]);
  });

  it('stops accepting a remembered token once it expires', async () => {
    const { verifier } = setUp();
    const { token } = sign(60);
    await verifier.verifyAccessToken(token);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 120_000 });
    await expect(verifier.verifyAccessToken(token)).rejects.toMatchObject({
      status: 401,
      code: 'TOKEN_EXPIRED',
    });
  });

  it('does not take a token for a remembered one it merely ends like', async () => {
    const { verifier } = setUp();
    const { token, claims } = sign(600);
    await verifier.verifyAccessToken(token);
    const [header, , signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url');
    await expect(verifier.verifyAccessToken(`${header}.${otherPayload}.${signature}`)).rejects.toMatchObject({
      status: 401,
    });
    await expect(verifier.verifyAccessToken(`x${token}`)).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ id: claims.sub });
  });

  it('refuses a token of the other type, even once remembered', async () => {
    const { verifier } = setUp();
    const { token } = sign(600);
    await verifier.verifySignature(token, 'access');
    await expect(verifier.verifySignature(token, 'refresh')).rejects.toMatchObject({ status: 401 });
  });
});
