import { Logger } from '@nestjs/common';
import type { ListWatcher } from './key-value-store.js';

const logger = new Logger('ListWatchers');

/**
 * The watchers of one process, by list key: what the store's single subscription fans out to. A
 * watcher that throws is the caller's bug; it must not stop the others from hearing the append.
 */
export class ListWatchers {
  private readonly byKey = new Map<string, Set<ListWatcher>>();

  get size(): number {
    return this.byKey.size;
  }

  add(key: string, watcher: ListWatcher): () => void {
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }

  appended(key: string, length: number, value: string): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const watcher of [...set]) guard(() => watcher.appended(length, value));
  }

  mayHaveMissed(): void {
    this.each((watcher) => watcher.mayHaveMissed());
  }

  connectionLost(): void {
    this.each((watcher) => watcher.connectionLost());
  }

  private each(call: (watcher: ListWatcher) => void): void {
    for (const set of this.byKey.values()) for (const watcher of [...set]) guard(() => call(watcher));
  }
}

function guard(call: () => void): void {
  try {
    call();
  } catch (error) {
    logger.error({ err: (error as Error).message }, 'a list watcher threw');
  }
}
