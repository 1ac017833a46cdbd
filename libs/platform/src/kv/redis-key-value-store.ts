import { Redis } from 'ioredis';
import type { KeyValueStore } from './key-value-store.js';

const COMMAND_TIMEOUT_MS = 2000;

/**
 * Production adapter. Commands fail fast while Redis is down (no offline queue) so a guard that
 * depends on the blacklist can answer 503 at once instead of hanging.
 */
export class RedisKeyValueStore implements KeyValueStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;

  constructor(url: string, keyPrefix: string) {
    this.redis = new Redis(url, {
      keyPrefix,
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Connection errors surface through the rejected commands; without a listener ioredis would log each retry as unhandled.
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(
    key: string,
    value: string,
    options: { ttlSeconds?: number; onlyIfAbsent?: boolean } = {},
  ): Promise<boolean> {
    const ttl = options.ttlSeconds ? Math.max(1, Math.ceil(options.ttlSeconds)) : undefined;
    let result: string | null;
    if (ttl && options.onlyIfAbsent) result = await this.redis.set(key, value, 'EX', ttl, 'NX');
    else if (ttl) result = await this.redis.set(key, value, 'EX', ttl);
    else if (options.onlyIfAbsent) result = await this.redis.set(key, value, 'NX');
    else result = await this.redis.set(key, value);
    return result === 'OK';
  }

  async take(key: string): Promise<string | null> {
    return this.redis.getdel(key);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async increment(key: string, ttlSeconds: number): Promise<{ value: number; ttlSeconds: number }> {
    const [[, value], , [, ttl]] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, ttlSeconds, 'NX')
      .ttl(key)
      .exec()) as [[null, number], [null, number], [null, number]];
    return { value, ttlSeconds: ttl > 0 ? ttl : ttlSeconds };
  }

  async append(key: string, value: string, ttlSeconds: number): Promise<number> {
    const [[, length]] = (await this.redis.multi().rpush(key, value).expire(key, ttlSeconds).exec()) as [
      [null, number],
      [null, number],
    ];
    return length;
  }

  async range(key: string, from: number): Promise<string[]> {
    return this.redis.lrange(key, from, -1);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
