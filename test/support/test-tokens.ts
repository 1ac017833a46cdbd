import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TokenKeys, type TokenClaims } from '../../libs/platform/src/index.js';
import type { TestApp } from './test-app.js';

export interface TestUser {
  id: string;
  accessToken: string;
  /** `Authorization` header value for supertest's `.set()`. */
  bearer: string;
}

/**
 * A user row plus an access token signed exactly as the auth domain signs them (RS256 with the app's
 * current key, the claims of API.md), for tests of domains that only need an authenticated caller.
 */
export async function createTestUser(app: TestApp, nickname = 'tester'): Promise<TestUser> {
  const id = randomUUID();
  const dataSource = app.app.get(DataSource);
  const isPostgres = dataSource.options.type === 'postgres';
  await dataSource.query(
    isPostgres
      ? 'INSERT INTO users (id, username, nickname) VALUES ($1, $2, $3)'
      : 'INSERT INTO users (id, username, nickname) VALUES (?, ?, ?)',
    [id, `${nickname}-${id.slice(0, 8)}`, nickname],
  );
  const accessToken = await signAccessToken(app, id);
  return { id, accessToken, bearer: `Bearer ${accessToken}` };
}

export async function signAccessToken(app: TestApp, userId: string, provider = 'kakao'): Promise<string> {
  const keys = app.app.get(TokenKeys);
  const iat = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    sub: userId,
    jti: randomUUID(),
    type: 'access',
    iat,
    exp: iat + app.config.int('ACCESS_TOKEN_TTL_SECONDS'),
    iss: app.config.string('JWT_ISSUER'),
    aud: app.config.string('JWT_AUDIENCE'),
    provider,
  };
  const { kid, pem } = keys.signingKey();
  return app.app.get(JwtService).signAsync(claims, { algorithm: 'RS256', privateKey: pem, keyid: kid });
}
