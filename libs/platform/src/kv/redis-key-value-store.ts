import { Redis } from 'ioredis';
import type { KeyValueStore } from './key-value-store.js';

const COMMAND_TIMEOUT_MS = 2000;

/** The error every command rejects with while Redis cannot be reached. */
export class KeyValueStoreUnavailable extends Error {
  constructor(reason: string) {
    super(`Redis unavailable: ${reason}`);
  }
}

type ExecResult = [Error | null, unknown][] | null;

function results(exec: ExecResult): unknown[] {
  if (!exec) throw new KeyValueStoreUnavailable('transaction aborted');
  for (const [error] of exec) if (error) throw error;
  return exec.map(([, value]) => value);
}

/**
 * Production adapter. Commands fail fast while Redis is down (no offline queue) so a guard that
 * depends on the blacklist can answer 503 at once instead of hanging. Only the very first connection
 * is waited for (briefly), so a store used right after construction does not fail spuriously.
 */
export class RedisKeyValueStore implements KeyValueStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private everReady = false;
  private lastError = 'not connected';

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
    this.redis.on('error', (error: Error) => (this.lastError = error.message || String(error)));
    this.redis.on('ready', () => (this.everReady = true));
  }

  async get(key: string): Promise<string | null> {
    return (await this.client()).get(key);
  }

  async set(
    key: string,
    value: string,
    options: { ttlSeconds?: number; onlyIfAbsent?: boolean } = {},
  ): Promise<boolean> {
    const redis = await this.client();
    const ttl = options.ttlSeconds ? Math.max(1, Math.ceil(options.ttlSeconds)) : undefined;
    let result: string | null;
    if (ttl && options.onlyIfAbsent) result = await redis.set(key, value, 'EX', ttl, 'NX');
    else if (ttl) result = await redis.set(key, value, 'EX', ttl);
    else if (options.onlyIfAbsent) result = await redis.set(key, value, 'NX');
    else result = await redis.set(key, value);
    return result === 'OK';
  }

  async take(key: string): Promise<string | null> {
    return (await this.client()).getdel(key);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length > 0) await (await this.client()).del(...keys);
  }

  async increment(key: string, ttlSeconds: number): Promise<{ value: number; ttlSeconds: number }> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const [value, , left] = results(
      await (await this.client()).multi().incr(key).expire(key, ttl, 'NX').ttl(key).exec(),
    ) as [number, number, number];
    return { value, ttlSeconds: left > 0 ? left : ttl };
  }

  async append(key: string, value: string, ttlSeconds: number): Promise<number> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const [length] = results(
      await (await this.client()).multi().rpush(key, value).expire(key, ttl).exec(),
    ) as [number, number];
    return length;
  }

  async range(key: string, from: number): Promise<string[]> {
    return (await this.client()).lrange(key, from, -1);
  }

  async ping(): Promise<void> {
    await (await this.client()).ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /**
   * The connected client. Before the first connection it waits up to the connect timeout; after that
   * a lost connection rejects at once (ioredis reconnects in the background).
   */
  private async client(): Promise<Redis> {
    const status = this.redis.status;
    if (status === 'ready') return this.redis;
    if (status === 'end' || status === 'close') throw new KeyValueStoreUnavailable('connection closed');
    if (this.everReady) throw new KeyValueStoreUnavailable(this.lastError);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new KeyValueStoreUnavailable(this.lastError));
      }, COMMAND_TIMEOUT_MS);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
    return this.redis;
  }
}
