import { Injectable } from '@nestjs/common';
import { AccessTokenVerifier, Unauthorized } from '#platform';
import { AuthRateLimits } from './auth-rate-limits.js';
import { RefreshTokenFamilies } from './refresh-token-families.js';
import type { SignedTokenPair } from './token-signer.js';

/** `POST /auth/refresh`: a valid, current refresh token buys a new pair; anything else is 401. */
@Injectable()
export class RefreshSession {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly families: RefreshTokenFamilies,
    private readonly rateLimits: AuthRateLimits,
  ) {}

  async execute(refreshToken: string | undefined): Promise<SignedTokenPair> {
    if (!refreshToken) throw new Unauthorized('UNAUTHORIZED', 'Refresh token required');
    const claims = await this.verifier.verifySignature(refreshToken, 'refresh');
    await this.rateLimits.checkAccount(`user:${claims.sub}`);
    return this.families.rotate(claims);
  }
}
