/**
 * Key-value port: token blacklist, OAuth state, idempotency, rate limits, SSE replay, caches.
 * Values are strings (callers JSON-encode). Every method may reject when the store is unreachable;
 * callers that guard security decisions must fail closed on that rejection.
 */
export interface KeyValueStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
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
  /** Appends to a list, refreshing its TTL; returns the new length. */
  append(key: string, value: string, ttlSeconds: number): Promise<number>;
  /** Items of a list from index `from` (0-based) to the end. */
  range(key: string, from: number): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const KEY_VALUE_STORE = Symbol('KeyValueStore');
