import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { DependencyUnavailable, Unauthorized } from '../errors/domain-error.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../kv/key-value-store.js';
import { TokenKeys } from './token-keys.js';
import { UserTokenCutoffs } from './user-token-cutoffs.js';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  sub: string;
  jti: string;
  type: TokenType;
  iat: number;
  exp: number;
  nbf?: number;
  iss: string;
  aud: string;
  provider: string;
  /** Refresh-token family (one login). */
  fam?: string;
}

export interface AuthenticatedUser {
  id: string;
  provider: string;
  jti: string;
  exp: number;
}

export const blacklistKey = (jti: string): string => `auth:blacklist:${jti}`;

/**
 * Verifies our RS256 tokens: the algorithm is pinned (so `alg: none` and HS256-with-the-public-key
 * forgeries fail), the key is chosen by `kid`, and iss/aud/exp/nbf/type/blacklist/user cutoff are all
 * checked.
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: TokenKeys,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore,
    private readonly cutoffs: UserTokenCutoffs,
  ) {}

  /** Signature and claims only; `expected` is the token type the caller accepts. */
  async verifySignature(token: string, expected: TokenType): Promise<TokenClaims> {
    const decoded = this.jwt.decode<{ header?: { kid?: string; alg?: string } } | null>(token, {
      complete: true,
    });
    const kid = decoded?.header?.kid;
    const publicKey = kid ? this.keys.publicKeyPem(kid) : undefined;
    if (!publicKey || decoded?.header?.alg !== 'RS256') throw new Unauthorized();
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, {
        publicKey,
        algorithms: ['RS256'],
        issuer: this.config.string('JWT_ISSUER'),
        audience: this.config.string('JWT_AUDIENCE'),
        clockTolerance: 5,
      });
    } catch (error) {
      throw (error as Error).name === 'TokenExpiredError'
        ? new Unauthorized('TOKEN_EXPIRED', 'Token expired')
        : new Unauthorized();
    }
    if (claims.type !== expected || !claims.sub || !claims.jti) throw new Unauthorized();
    return claims;
  }

  async isRevoked(jti: string): Promise<boolean> {
    try {
      return (await this.kv.get(blacklistKey(jti))) !== null;
    } catch {
      // Fail closed: without the blacklist we cannot know the token is still valid.
      throw new DependencyUnavailable('token blacklist');
    }
  }

  async verifyAccessToken(token: string): Promise<AuthenticatedUser> {
    const claims = await this.verifySignature(token, 'access');
    const [revoked, cutOff] = await Promise.all([
      this.isRevoked(claims.jti),
      this.cutoffs.refuses(claims.sub, claims.iat),
    ]);
    if (revoked || cutOff) throw new Unauthorized('TOKEN_REVOKED', 'Token revoked');
    return { id: claims.sub, provider: claims.provider, jti: claims.jti, exp: claims.exp };
  }
}
