import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock, KEY_VALUE_STORE, type KeyValueStore } from '#platform';
import type { OAuthProviderName } from './oauth-providers.js';

/** Everything the callback needs that must not come from the browser again. */
export interface PendingLogin {
  provider: OAuthProviderName;
  redirectUri: string;
  frontendOrigin: string;
  codeVerifier: string | null;
  codeChallenge: string | null;
  deviceId: string | null;
  expiresAt: string;
}

const stateKey = (state: string): string => `auth:oauth-state:${state}`;

/**
 * Pending logins by state. Consuming is atomic (get+delete in one step), so a state is redeemed at most
 * once even when a callback is replayed concurrently. The key's TTL cleans up; the stored expiry (on
 * the injected clock) is what decides.
 */
@Injectable()
export class OAuthStateStore {
  constructor(
    @Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async save(state: string, pending: Omit<PendingLogin, 'expiresAt'>): Promise<PendingLogin> {
    const ttlSeconds = this.config.int('OAUTH_STATE_TTL_SECONDS');
    const stored: PendingLogin = {
      ...pending,
      expiresAt: new Date(this.clock.now().getTime() + ttlSeconds * 1000).toISOString(),
    };
    await this.kv.set(stateKey(state), JSON.stringify(stored), { ttlSeconds, onlyIfAbsent: true });
    return stored;
  }

  /** The pending login without consuming it (the stand-in provider checks the redirect URI). */
  async peek(state: string): Promise<PendingLogin | null> {
    return this.live(await this.kv.get(stateKey(state)));
  }

  async consume(state: string): Promise<PendingLogin | null> {
    return this.live(await this.kv.take(stateKey(state)));
  }

  private live(stored: string | null): PendingLogin | null {
    if (!stored) return null;
    const pending = JSON.parse(stored) as PendingLogin;
    return new Date(pending.expiresAt).getTime() > this.clock.now().getTime() ? pending : null;
  }
}
