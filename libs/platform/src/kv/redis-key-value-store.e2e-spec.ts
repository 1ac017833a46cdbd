import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/servers.js';
import { throwawayRedis, type Throwaway } from '../../../../test/support/throwaway.js';
import { describeKeyValueStoreContract } from './kv.contract.js';
import { RedisKeyValueStore } from './redis-key-value-store.js';

const redisUrl = (): string => {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through vitest (global setup)');
  return url;
};
const uniquePrefix = (): string =>
  `${process.env.TEST_REDIS_PREFIX ?? 'eco2test:'}kv-${randomBytes(4).toString('hex')}:`;

describeKeyValueStoreContract('redis', async () => {
  // Two clients on one prefix: an API pod watching what a worker pod appends.
  const prefix = uniquePrefix();
  return {
    store: new RedisKeyValueStore(redisUrl(), prefix),
    peer: new RedisKeyValueStore(redisUrl(), prefix),
  };
});

/** Time a promise takes to settle, and whether it rejected. */
async function settle(promise: Promise<unknown>): Promise<{ ms: number; rejected: boolean }> {
  const started = Date.now();
  const rejected = await promise.then(
    () => false,
    () => true,
  );
  return { ms: Date.now() - started, rejected };
}

describe('RedisKeyValueStore while Redis is down', () => {
  it('rejects quickly, never hangs, when Redis was never reachable', async () => {
    const store = new RedisKeyValueStore(`redis://127.0.0.1:${await freePort()}`, uniquePrefix());
    try {
      for (const call of [store.ping(), store.get('k'), store.set('k', 'v'), store.take('k')]) {
        const outcome = await settle(call);
        expect(outcome.rejected).toBe(true);
        expect(outcome.ms).toBeLessThan(3000);
      }
    } finally {
      await store.close();
    }
  });

  describe('a throwaway Redis that stops and starts again', () => {
    let server: Throwaway;
    let store: RedisKeyValueStore;
    let prefix: string;

    beforeAll(async () => {
      server = await throwawayRedis();
      prefix = uniquePrefix();
      store = new RedisKeyValueStore(server.url, prefix);
    });
    afterAll(async () => {
      await store?.close();
      await server?.destroy();
    });

    it('rejects at once while it is down and works again after it returns, without a new client', async () => {
      await store.set('before', 'x');
      expect(await store.get('before')).toBe('x');

      await server.stop();
      for (const call of [
        store.ping(),
        store.get('before'),
        store.increment('n', 10),
        store.append('l', ['a'], 10),
      ]) {
        const outcome = await settle(call);
        expect(outcome.rejected).toBe(true);
        expect(outcome.ms).toBeLessThan(2500);
      }
      await expect(store.take('before')).rejects.toThrow(/Redis unavailable|Connection|Stream|closed/i);

      await server.start();
      await expect
        .poll(
          () =>
            store.ping().then(
              () => 'up',
              () => 'down',
            ),
          { timeout: 10_000 },
        )
        .toBe('up');
      // The throwaway keeps no data across restarts (no persistence): the store is empty but usable.
      expect(await store.set('after', 'y')).toBe(true);
      expect(await store.get('after')).toBe('y');
    });

    it('a watch survives the outage: watchers hear it drop, are told to re-read, and later appends are pushed again', async () => {
      // Another pod on the same store, appending.
      const peer = new RedisKeyValueStore(server.url, prefix);
      const heard: string[] = [];
      let missed = 0;
      let lost = 0;
      const unwatch = await store.watchList('watched', {
        appended: (_length, value) => heard.push(value),
        mayHaveMissed: () => missed++,
        connectionLost: () => lost++,
      });
      try {
        await peer.append('watched', ['before'], 60);
        await expect.poll(() => heard, { timeout: 3000 }).toEqual(['before']);
        await server.stop();
        await expect.poll(() => lost, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
        await server.start();
        // Resubscribed and confirmed: every watcher hears it must re-read the list.
        await expect.poll(() => missed, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
        await expect
          .poll(
            () =>
              peer.append('watched', ['after'], 60).then(
                () => heard.includes('after'),
                () => false,
              ),
            { timeout: 10_000 },
          )
          .toBe(true);
      } finally {
        unwatch();
        await peer.close();
      }
    });
  });
});
