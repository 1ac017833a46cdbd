/**
 * Key-value port: token blacklist, OAuth state, idempotency, rate limits, SSE replay, caches.
 * Values are strings (callers JSON-encode). Every method may reject when the store is unreachable;
 * callers that guard security decisions must fail closed on that rejection.
 */
export interface KeyValueStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  /** Several keys in one round trip, in order (null for a missing one); none asked, no round trip. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Sets the value; with `onlyIfAbsent` returns false (and changes nothing) when the key exists. */
  set(
    key: string,
    value: string,
    options?: { ttlSeconds?: number; onlyIfAbsent?: boolean },
  ): Promise<boolean>;
  /** Atomically reads and deletes: of two concurrent callers exactly one gets the value. */
  take(key: string): Promise<string | null>;
  delete(...keys: string[]): Promise<void>;
  /** Increments a counter; the TTL is set when the counter is created. Returns the new value and the seconds left. */
  increment(key: string, ttlSeconds: number): Promise<{ value: number; ttlSeconds: number }>;
  /**
   * Appends one or more values, in order and in one step, to a list, refreshing its TTL; returns the new
   * length. Every process watching the key (`watchList`) is told of each value, whichever process
   * appended.
   */
  append(key: string, values: readonly string[], ttlSeconds: number): Promise<number>;
  /** Items of a list from index `from` (0-based) to the end. */
  range(key: string, from: number): Promise<string[]>;
  /**
   * Pushes every later `append` to `key`, from any process sharing the store, to `watcher`. One
   * subscription per store serves all of its watchers (Redis pub/sub on the production adapter, a
   * local dispatch on the embedded one). Resolves once the subscription is live, so an append made
   * after that is never missed while the connection holds; when it may have been (the subscription
   * reconnected), `watcher.mayHaveMissed` is called and the list is the truth. Returns the unwatch.
   */
  watchList(key: string, watcher: ListWatcher): Promise<() => void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Receives the appends to one watched list. */
export interface ListWatcher {
  /** `value` was appended at index `length - 1`. */
  appended(length: number, value: string): void;
  /** Appends may have gone unseen (a lost subscription came back): re-read the list. */
  mayHaveMissed(): void;
  /** The subscription dropped: appends go unheard until `mayHaveMissed` says it is back. */
  connectionLost(): void;
}

export const KEY_VALUE_STORE = Symbol('KeyValueStore');
