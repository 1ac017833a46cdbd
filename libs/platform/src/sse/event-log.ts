import type { KeyValueStore } from '../kv/key-value-store.js';

/**
 * A job's events as a list in the key-value store: the worker appends, every API pod reads, so an SSE
 * stream works whichever pod serves it and replays after a reconnect. Each append keeps the list
 * for `ttlSeconds` after the job's last event.
 */
export class EventLog<E> {
  constructor(
    private readonly store: KeyValueStore,
    private readonly keyPrefix: string,
    private readonly ttlSeconds: number,
  ) {}

  async append(jobId: string, event: E): Promise<void> {
    await this.store.append(this.keyOf(jobId), JSON.stringify(event), this.ttlSeconds);
  }

  /** Events stored from list index `from` on, and the index to read from next time. */
  async readFrom(jobId: string, from: number): Promise<{ events: E[]; next: number }> {
    const raw = await this.store.range(this.keyOf(jobId), from);
    return { events: raw.map((text) => JSON.parse(text) as E), next: from + raw.length };
  }

  private keyOf(jobId: string): string {
    return `${this.keyPrefix}${jobId}`;
  }
}
