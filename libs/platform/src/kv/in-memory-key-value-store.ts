import type { Clock } from '../clock/clock.js';
import type { KeyValueStore, ListWatcher } from './key-value-store.js';
import { ListWatchers } from './list-watchers.js';

interface Entry {
  value: string | string[];
  expiresAt: number | null;
}

/** Embedded default: correct for one process only (a second process would not see these keys). */
export class InMemoryKeyValueStore implements KeyValueStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly watchers = new ListWatchers();

  constructor(private readonly clock: Clock) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.stringAt(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.stringAt(key));
  }

  async set(
    key: string,
    value: string,
    options: { ttlSeconds?: number; onlyIfAbsent?: boolean } = {},
  ): Promise<boolean> {
    if (options.onlyIfAbsent && this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.expiry(options.ttlSeconds) });
    return true;
  }

  async take(key: string): Promise<string | null> {
    // Read and delete in one synchronous step: an `await` between them would let a concurrent take
    // read the same value.
    const entry = this.live(key);
    this.entries.delete(key);
    return typeof entry?.value === 'string' ? entry.value : null;
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async increment(key: string, ttlSeconds: number): Promise<{ value: number; ttlSeconds: number }> {
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: this.expiry(ttlSeconds) });
      return { value: 1, ttlSeconds };
    }
    if (typeof entry.value !== 'string' || !/^-?\d+$/.test(entry.value))
      throw new Error(`value of ${key} is not an integer`);
    const value = Number(entry.value) + 1;
    entry.value = String(value);
    // Like Redis `EXPIRE NX`: a counter without an expiry gets one, an existing expiry is kept.
    entry.expiresAt ??= this.expiry(ttlSeconds);
    const left =
      entry.expiresAt === null
        ? ttlSeconds
        : Math.max(0, Math.ceil((entry.expiresAt - this.clock.now().getTime()) / 1000));
    return { value, ttlSeconds: left };
  }

  async append(key: string, values: readonly string[], ttlSeconds: number): Promise<number> {
    const entry = this.live(key);
    const list = Array.isArray(entry?.value) ? entry.value : [];
    const first = list.length;
    list.push(...values);
    this.entries.set(key, { value: list, expiresAt: this.expiry(ttlSeconds) });
    values.forEach((value, i) => this.watchers.appended(key, first + i + 1, value));
    return list.length;
  }

  async range(key: string, from: number): Promise<string[]> {
    const entry = this.live(key);
    return Array.isArray(entry?.value) ? entry.value.slice(from) : [];
  }

  /** In one process the append itself is the notification: nothing can be missed. */
  async watchList(key: string, watcher: ListWatcher): Promise<() => void> {
    return this.watchers.add(key, watcher);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private expiry(ttlSeconds?: number): number | null {
    return ttlSeconds ? this.clock.now().getTime() + ttlSeconds * 1000 : null;
  }

  private stringAt(key: string): string | null {
    const entry = this.live(key);
    return typeof entry?.value === 'string' ? entry.value : null;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of this.entries.keys()) this.live(key);
  }
}
