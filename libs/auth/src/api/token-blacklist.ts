import { Inject, Injectable } from '@nestjs/common';
import { Clock, KEY_VALUE_STORE, blacklistKey, type KeyValueStore } from '#platform';

/** Writes the blacklist every pod's guard reads: a revoked `jti`, kept until the token would expire anyway. */
@Injectable()
export class TokenBlacklist {
  constructor(
    @Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  async revoke(jti: string, expiresAt: Date, reason: string): Promise<void> {
    const ttlSeconds = Math.ceil((expiresAt.getTime() - this.clock.now().getTime()) / 1000);
    if (ttlSeconds <= 0) return;
    await this.kv.set(blacklistKey(jti), JSON.stringify({ reason }), { ttlSeconds });
  }
}
