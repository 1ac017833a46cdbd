import { Redis } from 'ioredis';
import type { KeyValueStore, ListWatcher } from './key-value-store.js';
import { ListWatchers } from './list-watchers.js';

const COMMAND_TIMEOUT_MS = 2000;

/** The error every command rejects with while Redis cannot be reached. */
export class KeyValueStoreUnavailable extends Error {
  constructor(reason: string) {
    super(`Redis unavailable: ${reason}`);
  }
}

/**
 * RPUSH + EXPIRE + a PUBLISH per value in one step, so a watcher hears of every item in list order,
 * with its index: `[key without prefix, length with this item, value]` on the store's one channel.
 * ARGV: TTL, channel, key without prefix, then the values.
 */
const APPEND_AND_PUBLISH = `
local length = redis.call('RPUSH', KEYS[1], unpack(ARGV, 4))
redis.call('EXPIRE', KEYS[1], ARGV[1])
local first = length - (#ARGV - 3)
for i = 4, #ARGV do
  redis.call('PUBLISH', ARGV[2], cjson.encode({ARGV[3], first + i - 3, ARGV[i]}))
end
return length`;

/** The pub/sub channel a store with `keyPrefix` announces its appends on (channels are not key-prefixed). */
export const appendsChannelOf = (keyPrefix: string): string => `${keyPrefix}kv:appends`;

/** One announcement on that channel: the list key (without the prefix), its new length, the value. */
export function parseAppended(message: string): { key: string; length: number; value: string } {
  const [key, length, value] = JSON.parse(message) as [string, number, string];
  return { key, length, value };
}

type AppendingRedis = Redis & {
  appendAndPublish(
    key: string,
    ttl: number,
    channel: string,
    bareKey: string,
    ...values: string[]
  ): Promise<number>;
};

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
  private readonly redis: AppendingRedis;
  private everReady = false;
  private lastError = 'not connected';
  private readonly appendsChannel: string;
  private readonly watchers = new ListWatchers();
  /** The one subscriber connection of this store, opened by the first watch. */
  private subscriber?: { redis: Redis; live: Promise<unknown> };

  constructor(
    private readonly url: string,
    keyPrefix: string,
  ) {
    this.appendsChannel = appendsChannelOf(keyPrefix);
    this.redis = new Redis(url, {
      keyPrefix,
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    }) as AppendingRedis;
    this.redis.defineCommand('appendAndPublish', { numberOfKeys: 1, lua: APPEND_AND_PUBLISH });
    // Connection errors surface through the rejected commands; without a listener ioredis would log each retry as unhandled.
    this.redis.on('error', (error: Error) => (this.lastError = error.message || String(error)));
    this.redis.on('ready', () => (this.everReady = true));
  }

  async get(key: string): Promise<string | null> {
    return (await this.client()).get(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return (await this.client()).mget(...keys);
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

  async append(key: string, values: readonly string[], ttlSeconds: number): Promise<number> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const redis = (await this.client()) as AppendingRedis;
    return redis.appendAndPublish(key, ttl, this.appendsChannel, key, ...values);
  }

  async watchList(key: string, watcher: ListWatcher): Promise<() => void> {
    const unwatch = this.watchers.add(key, watcher);
    try {
      await this.subscribed();
      return unwatch;
    } catch (error) {
      unwatch();
      throw error;
    }
  }

  /**
   * The subscriber connection, subscribed. It queues commands while disconnected (a subscription must
   * survive an outage), so the first subscribe is bounded here instead. After a reconnect ioredis
   * subscribes again; once that is confirmed (a PING answered after it), every watcher re-reads.
   */
  private async subscribed(): Promise<void> {
    if (!this.subscriber) {
      const redis = new Redis(this.url, {
        lazyConnect: false,
        connectTimeout: COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      redis.on('error', (error: Error) => (this.lastError = error.message || String(error)));
      redis.on('message', (_channel: string, message: string) => this.dispatch(message));
      let readyBefore = false;
      redis.on('ready', () => {
        if (readyBefore)
          void redis.ping().then(
            () => this.watchers.mayHaveMissed(),
            () => undefined,
          );
        readyBefore = true;
      });
      redis.on('close', () => {
        if (readyBefore) this.watchers.connectionLost();
      });
      const live = redis.subscribe(this.appendsChannel);
      this.subscriber = { redis, live };
      live.catch(() => {
        // A failed first subscribe is retried by the next watch.
        if (this.subscriber?.redis === redis) this.subscriber = undefined;
        redis.disconnect();
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeyValueStoreUnavailable(this.lastError)), COMMAND_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.subscriber.live, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private dispatch(message: string): void {
    const { key, length, value } = parseAppended(message);
    this.watchers.appended(key, length, value);
  }

  async range(key: string, from: number): Promise<string[]> {
    return (await this.client()).lrange(key, from, -1);
  }

  async ping(): Promise<void> {
    await (await this.client()).ping();
  }

  async close(): Promise<void> {
    this.subscriber?.redis.disconnect();
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
