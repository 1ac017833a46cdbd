import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../clock/clock.js';
import { DependencyUnavailable } from '../errors/domain-error.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../kv/key-value-store.js';

export const userCutoffKey = (userId: string): string => `auth:user-not-before:${userId}`;

/** How long another pod may keep honouring a token after its user's cutoff: revocation must reach every pod within 1 s. */
const CACHE_MILLISECONDS = 500;
/** Bounds the in-process cache; past it the oldest entries go first. */
const CACHE_ENTRIES = 10_000;

/** An unreadable value refuses everything rather than nothing. */
const parseNotBefore = (stored: string | null): number | null =>
  stored === null ? null : Number(stored) || Number.POSITIVE_INFINITY;

interface CachedCutoff {
  notBefore: number | null;
  fetchedAt: number;
}

/**
 * Revocation by user: every token of a user issued before their cutoff (`iat` < `notBefore`, in
 * seconds) is refused, whichever device holds it and however often it was refreshed. Kept in the
 * key-value store so every pod sees it, cached here for at most CACHE_MILLISECONDS, and failing closed.
 */
@Injectable()
export class UserTokenCutoffs {
  private readonly cache = new Map<string, CachedCutoff>();

  constructor(
    @Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Refuses every token issued to the user so far (account deletion). */
  async cutOff(userId: string): Promise<void> {
    // Rounded up: `iat` is rounded down, so every token issued before now has an `iat` below it.
    const notBefore = Math.ceil(this.clock.now().getTime() / 1000);
    // Kept as long as any token issued before it could still be presented (plus the verifier's leeway).
    const ttlSeconds =
      Math.max(this.config.int('ACCESS_TOKEN_TTL_SECONDS'), this.config.int('REFRESH_TOKEN_TTL_SECONDS')) +
      60;
    await this.kv.set(userCutoffKey(userId), String(notBefore), { ttlSeconds });
    this.remember(userId, notBefore);
  }

  /**
   * Whether the user's cutoff refuses a token issued at `issuedAt` (the `iat` claim, seconds), and the
   * values of `alsoRead`, keys the caller needs for the same request: one round trip to the store for
   * both (only `alsoRead` while the cached cutoff is fresh).
   */
  async refuses(
    userId: string,
    issuedAt: number,
    alsoRead: readonly string[] = [],
  ): Promise<{ refused: boolean; values: (string | null)[] }> {
    const cached = this.cache.get(userId);
    const fresh = cached && performance.now() - cached.fetchedAt < CACHE_MILLISECONDS;
    let values: (string | null)[];
    try {
      values = await this.kv.getMany(fresh ? alsoRead : [...alsoRead, userCutoffKey(userId)]);
    } catch {
      // Fail closed: without the cutoffs we cannot know the user still exists (nor, for the
      // verifier, that the token is not blacklisted).
      throw new DependencyUnavailable('token revocation list');
    }
    const notBefore = fresh ? cached.notBefore : this.remember(userId, parseNotBefore(values.pop()!));
    return { refused: notBefore !== null && issuedAt < notBefore, values };
  }

  private remember(userId: string, notBefore: number | null): number | null {
    this.cache.delete(userId);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(userId, { notBefore, fetchedAt: performance.now() });
    return notBefore;
  }
}
