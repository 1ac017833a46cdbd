import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore, ListWatcher } from './key-value-store.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The adapter under test, and another client of the same store (another pod, for a shared one). */
export interface StoreUnderTest {
  store: KeyValueStore;
  peer: KeyValueStore;
}

/**
 * The behaviour every KeyValueStore adapter must show. TTLs are real seconds (both adapters run on the
 * system clock here), so expiry tests wait just over one second.
 */
export function describeKeyValueStoreContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let store: KeyValueStore;
    let peer: KeyValueStore;
    const key = (label: string): string => `${label}:${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      ({ store, peer } = await factory());
    });
    afterAll(async () => {
      await store?.close();
      if (peer !== store) await peer?.close();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('gets what was set and null for a missing key', async () => {
      const k = key('plain');
      expect(await store.get(k)).toBeNull();
      expect(await store.set(k, 'v1')).toBe(true);
      expect(await store.get(k)).toBe('v1');
      expect(await store.set(k, 'v2')).toBe(true);
      expect(await store.get(k)).toBe('v2');
      await store.delete(k);
      expect(await store.get(k)).toBeNull();
    });

    it('reads several keys at once, in order, null for a missing one', async () => {
      const [a, b, c] = [key('many'), key('many'), key('many')];
      await store.set(a, 'a');
      await store.set(c, '이코');
      expect(await store.getMany([a, b, c])).toEqual(['a', null, '이코']);
      expect(await store.getMany([])).toEqual([]);
    });

    it('deletes several keys at once and accepts an empty list', async () => {
      const [a, b] = [key('del'), key('del')];
      await store.set(a, '1');
      await store.set(b, '2');
      await store.delete(a, b);
      await store.delete();
      expect([await store.get(a), await store.get(b)]).toEqual([null, null]);
    });

    it('expires a value after its TTL', async () => {
      const k = key('ttl');
      const lasting = key('lasting');
      await store.set(k, 'short', { ttlSeconds: 1 });
      await store.set(lasting, 'long', { ttlSeconds: 60 });
      expect(await store.get(k)).toBe('short');
      await sleep(1100);
      expect(await store.get(k)).toBeNull();
      expect(await store.get(lasting)).toBe('long');
    });

    it('onlyIfAbsent sets once, changes nothing after, and works again once the key expired', async () => {
      const k = key('nx');
      expect(await store.set(k, 'first', { onlyIfAbsent: true, ttlSeconds: 1 })).toBe(true);
      expect(await store.set(k, 'second', { onlyIfAbsent: true, ttlSeconds: 1 })).toBe(false);
      expect(await store.set(k, 'third', { onlyIfAbsent: true })).toBe(false);
      expect(await store.get(k)).toBe('first');
      await sleep(1100);
      expect(await store.set(k, 'fourth', { onlyIfAbsent: true })).toBe(true);
      expect(await store.get(k)).toBe('fourth');
    });

    it('take returns the value once and removes it', async () => {
      const k = key('take');
      await store.set(k, 'once');
      expect(await store.take(k)).toBe('once');
      expect(await store.take(k)).toBeNull();
      expect(await store.get(k)).toBeNull();
    });

    it('take is atomic: of N concurrent takes exactly one wins', async () => {
      for (let round = 0; round < 5; round++) {
        const k = key('race');
        await store.set(k, `prize-${round}`);
        const results = await Promise.all(Array.from({ length: 25 }, () => store.take(k)));
        expect(results.filter((r) => r !== null)).toEqual([`prize-${round}`]);
      }
    });

    it('of N concurrent onlyIfAbsent sets exactly one wins', async () => {
      const k = key('nx-race');
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.set(k, `v${i}`, { onlyIfAbsent: true, ttlSeconds: 30 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`v${results.indexOf(true)}`);
    });

    it('increments a counter whose TTL is set on creation and kept afterwards', async () => {
      const k = key('counter');
      expect(await store.increment(k, 30)).toEqual({ value: 1, ttlSeconds: 30 });
      const second = await store.increment(k, 999);
      expect(second.value).toBe(2);
      // The TTL was set by the first call; a later call's TTL does not extend it.
      expect(second.ttlSeconds).toBeGreaterThan(25);
      expect(second.ttlSeconds).toBeLessThanOrEqual(30);
      const counted = await Promise.all(Array.from({ length: 20 }, () => store.increment(k, 30)));
      expect(counted.map((c) => c.value).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 3),
      );
    });

    it('a counter starts again at 1 once its TTL ran out', async () => {
      const k = key('window');
      await store.increment(k, 1);
      expect((await store.increment(k, 1)).value).toBe(2);
      await sleep(1100);
      expect(await store.increment(k, 1)).toEqual({ value: 1, ttlSeconds: 1 });
    });

    it('appends to a list and reads ranges from an index', async () => {
      const k = key('list');
      expect(await store.range(k, 0)).toEqual([]);
      expect(await store.append(k, ['a'], 30)).toBe(1);
      expect(await store.append(k, ['b'], 30)).toBe(2);
      expect(await store.append(k, ['c'], 30)).toBe(3);
      expect(await store.range(k, 0)).toEqual(['a', 'b', 'c']);
      expect(await store.range(k, 1)).toEqual(['b', 'c']);
      expect(await store.range(k, 3)).toEqual([]);
      expect(await store.range(k, 10)).toEqual([]);
      expect(await store.append(k, ['d', 'e'], 30)).toBe(5);
      expect(await store.range(k, 2)).toEqual(['c', 'd', 'e']);
    });

    it('append refreshes the TTL of the whole list, which then expires', async () => {
      const k = key('stream');
      await store.append(k, ['x'], 1);
      await sleep(600);
      await store.append(k, ['y'], 1);
      await sleep(600);
      // 1.2 s after the first append, the refreshed TTL keeps both items.
      expect(await store.range(k, 0)).toEqual(['x', 'y']);
      await sleep(800);
      expect(await store.range(k, 0)).toEqual([]);
    });

    it('keeps values verbatim (unicode, JSON, empty string)', async () => {
      const k = key('verbatim');
      for (const value of ['', '이코에코 ♻️', JSON.stringify({ a: [1, 'two'], b: null })]) {
        await store.set(k, value);
        expect(await store.get(k)).toBe(value);
      }
    });

    describe('watchList', () => {
      /** What a watcher heard, and a way to wait until it heard `count` appends. */
      function recorder(): {
        heard: [number, string][];
        missed: number;
        lost: number;
        watcher: ListWatcher;
        until(count: number): Promise<void>;
      } {
        const heard: [number, string][] = [];
        const state = { heard, missed: 0, lost: 0 } as {
          heard: [number, string][];
          missed: number;
          lost: number;
        };
        let wake = (): void => undefined;
        return Object.assign(state, {
          watcher: {
            appended: (length: number, value: string) => {
              heard.push([length, value]);
              wake();
            },
            mayHaveMissed: () => state.missed++,
            connectionLost: () => state.lost++,
          },
          until: (count: number) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`heard ${heard.length} of ${count}`)), 3000);
              wake = () => {
                if (heard.length < count) return;
                clearTimeout(timer);
                resolve();
              };
              wake();
            }),
        });
      }

      it('pushes each append made by another client, in order, with its index and value', async () => {
        const k = key('watched');
        const other = key('other');
        const seen = recorder();
        const unwatch = await store.watchList(k, seen.watcher);
        try {
          await peer.append(k, ['a'], 30);
          await peer.append(other, ['not mine'], 30);
          await peer.append(k, ['이코 {"b":1}'], 30);
          await store.append(k, ['c'], 30);
          await seen.until(3);
          expect(seen.heard).toEqual([
            [1, 'a'],
            [2, '이코 {"b":1}'],
            [3, 'c'],
          ]);
          expect(await store.range(k, 0)).toEqual(['a', '이코 {"b":1}', 'c']);
        } finally {
          unwatch();
        }
      });

      it('pushes each value of a several-value append with its own index', async () => {
        const k = key('watched-many');
        const seen = recorder();
        const unwatch = await store.watchList(k, seen.watcher);
        try {
          await peer.append(k, ['a'], 30);
          await peer.append(k, ['b', 'c', 'd'], 30);
          await seen.until(4);
          expect(seen.heard).toEqual([
            [1, 'a'],
            [2, 'b'],
            [3, 'c'],
            [4, 'd'],
          ]);
        } finally {
          unwatch();
        }
      });

      it('fans one append out to every watcher of the key, and stops at unwatch', async () => {
        const k = key('fanout');
        const watchers = Array.from({ length: 50 }, () => recorder());
        const unwatches = await Promise.all(watchers.map((w) => store.watchList(k, w.watcher)));
        await peer.append(k, ['one'], 30);
        await Promise.all(watchers.map((w) => w.until(1)));
        for (const unwatch of unwatches.slice(1)) unwatch();
        await peer.append(k, ['two'], 30);
        await watchers[0]!.until(2);
        // The append after the unwatch reached the first watcher; the others heard only the first.
        await sleep(100);
        expect(watchers[0]!.heard).toEqual([
          [1, 'one'],
          [2, 'two'],
        ]);
        for (const w of watchers.slice(1)) expect(w.heard).toEqual([[1, 'one']]);
        unwatches[0]!();
      });

      it('delivers within a few milliseconds of the append, not at a poll interval', async () => {
        const k = key('latency');
        const seen = recorder();
        const unwatch = await store.watchList(k, seen.watcher);
        try {
          const delays: number[] = [];
          for (let i = 1; i <= 20; i++) {
            const started = performance.now();
            await peer.append(k, [String(i)], 30);
            await seen.until(i);
            delays.push(performance.now() - started);
          }
          delays.sort((a, b) => a - b);
          expect(delays[Math.floor(delays.length / 2)]).toBeLessThan(50);
        } finally {
          unwatch();
        }
      });
    });
  });
}
