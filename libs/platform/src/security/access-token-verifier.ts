import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { Unauthorized } from '../errors/domain-error.js';
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

const CLOCK_TOLERANCE_SECONDS = 5;
/** Bounds the verified-token cache; past it the oldest entries go first. */
const VERIFIED_TOKENS = 5_000;
/**
 * The verified-token cache is keyed by a token's last characters (256 bits of its signature): a lookup
 * hashes those instead of the whole ~700-character token, which arrives as a new string with every
 * request (1.1 µs of GET /users/me's ~55, perf, issue 14). A hit still compares the whole token.
 */
const cacheKeyOf = (token: string): string => token.slice(-43);

/** Every claim our tokens carry and the checks below rely on: a token without one is not ours. */
function hasRequiredClaims(claims: Partial<TokenClaims>): claims is TokenClaims {
  return (
    Number.isFinite(claims.exp) &&
    Number.isFinite(claims.iat) &&
    typeof claims.iss === 'string' &&
    typeof claims.aud === 'string' &&
    typeof claims.type === 'string' &&
    typeof claims.jti === 'string' &&
    claims.jti !== '' &&
    typeof claims.sub === 'string' &&
    claims.sub !== ''
  );
}

/**
 * Verifies our RS256 tokens: the algorithm is pinned (so `alg: none` and HS256-with-the-public-key
 * forgeries fail), the key is chosen by `kid`, and iss/aud/exp/nbf/type/blacklist/user cutoff are all
 * checked. The signature check dominates the cost of a request, so a token that passed it is
 * remembered until it expires; the revocation checks still run on every request.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verifierByKid = new Map<string, JwtService>();
  private readonly verified = new Map<string, { token: string; claims: TokenClaims }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: TokenKeys,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly cutoffs: UserTokenCutoffs,
  ) {}

  /** Signature and claims only; `expected` is the token type the caller accepts. */
  async verifySignature(token: string, expected: TokenType): Promise<TokenClaims> {
    const claims = this.cachedClaims(token) ?? (await this.verifyUncached(token));
    if (claims.type !== expected) throw new Unauthorized();
    return claims;
  }

  async verifyAccessToken(token: string): Promise<AuthenticatedUser> {
    const claims = await this.verifySignature(token, 'access');
    // The blacklist is read with the user's cutoff: one round trip to the store per request.
    const {
      refused,
      values: [blacklisted],
    } = await this.cutoffs.refuses(claims.sub, claims.iat, [blacklistKey(claims.jti)]);
    if (refused || blacklisted !== null) throw new Unauthorized('TOKEN_REVOKED', 'Token revoked');
    return { id: claims.sub, provider: claims.provider, jti: claims.jti, exp: claims.exp };
  }

  private cachedClaims(token: string): TokenClaims | undefined {
    const key = cacheKeyOf(token);
    const entry = this.verified.get(key);
    if (entry?.token !== token) return undefined;
    const { claims } = entry;
    if (Date.now() / 1000 < claims.exp + CLOCK_TOLERANCE_SECONDS) return claims;
    // Expired: forgotten here, and the full check below answers TOKEN_EXPIRED.
    this.verified.delete(key);
    return undefined;
  }

  private async verifyUncached(token: string): Promise<TokenClaims> {
    const decoded = this.jwt.decode<{ header?: { kid?: string; alg?: string } } | null>(token, {
      complete: true,
    });
    const kid = decoded?.header?.kid;
    const verifier = kid ? this.verifierFor(kid) : undefined;
    if (!verifier || decoded?.header?.alg !== 'RS256') throw new Unauthorized();
    let claims: Partial<TokenClaims>;
    try {
      claims = await verifier.verifyAsync<Partial<TokenClaims>>(token, {
        algorithms: ['RS256'],
        issuer: this.config.string('JWT_ISSUER'),
        audience: this.config.string('JWT_AUDIENCE'),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      throw (error as Error).name === 'TokenExpiredError'
        ? new Unauthorized('TOKEN_EXPIRED', 'Token expired')
        : new Unauthorized();
    }
    if (!hasRequiredClaims(claims)) throw new Unauthorized();
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(cacheKeyOf(token), { token, claims });
    return claims;
  }

  /** One JwtService per verification key, holding the parsed KeyObject (not PEM parsed per request). */
  private verifierFor(kid: string): JwtService | undefined {
    let verifier = this.verifierByKid.get(kid);
    if (!verifier) {
      const publicKey = this.keys.publicKey(kid);
      if (!publicKey) return undefined;
      verifier = new JwtService({ publicKey });
      this.verifierByKid.set(kid, verifier);
    }
    return verifier;
  }
}
