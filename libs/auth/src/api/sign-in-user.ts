import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { AuthRateLimits } from './auth-rate-limits.js';
import type { ProviderProfile } from './oauth-providers.js';
import { RefreshTokenFamilies } from './refresh-token-families.js';
import type { SignedTokenPair } from './token-signer.js';
import type { User } from '../user.entity.js';
import { UserRepository } from '../user.repository.js';

export interface ClientContext {
  ip: string | null;
  userAgent: string | null;
  deviceId?: string | null;
}

export interface LoginSession {
  user: User;
  tokens: SignedTokenPair;
}

/** The end of every login (provider callback, native token route, dev login): user, new token family, audit row. */
@Injectable()
export class SignInUser {
  constructor(
    private readonly users: UserRepository,
    private readonly families: RefreshTokenFamilies,
    private readonly rateLimits: AuthRateLimits,
    private readonly clock: Clock,
  ) {}

  async execute(provider: string, profile: ProviderProfile, client: ClientContext): Promise<LoginSession> {
    await this.rateLimits.checkAccount(`${provider}:${profile.providerUserId}`);
    const user = await this.users.findOrCreateForLogin(provider, profile, this.clock.now());
    const tokens = await this.families.start(user.id, provider, client.deviceId ?? null);
    await this.users.recordLogin({
      userId: user.id,
      provider,
      accessJti: tokens.access.jti,
      loginIp: client.ip?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      issuedAt: this.clock.now(),
    });
    return { user, tokens };
  }
}
