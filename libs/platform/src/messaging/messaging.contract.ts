import { randomBytes } from 'node:crypto';
import { register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentFailure, type MessageBus, type QueueMessage, type QueueName } from './message-bus.js';
import { QUEUE_MESSAGES_PROCESSED, type QueueOutcome } from './queue-metrics.js';

/** What the contract runs against. Every bus it opens must use these settings. */
export const CONTRACT_MAX_ATTEMPTS = 3;
export const CONTRACT_RETRY_BASE_MS = 50;

export interface MessageBusFixture {
  /** A new bus instance on the same durable storage (SQLite: the same file; RabbitMQ: a new connection to the same vhost). */
  open(): Promise<MessageBus>;
  cleanup?(): Promise<void>;
}

export function uniqueQueue(label: string): QueueName {
  return `test.${label}.${randomBytes(4).toString('hex')}`;
}

/** Current value of `queue_messages_processed_total{queue,outcome}` in the default registry. */
export async function processedCount(queue: string, outcome: QueueOutcome): Promise<number> {
  const metric = register.getSingleMetric(QUEUE_MESSAGES_PROCESSED);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.find((v) => v.labels.queue === queue && v.labels.outcome === outcome)?.value ?? 0;
}

export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves with the first `count` messages the handler collects. */
function collector<T>(count: number): {
  handler: (message: QueueMessage<T>) => Promise<void>;
  done: Promise<QueueMessage<T>[]>;
  seen: QueueMessage<T>[];
} {
  const seen: QueueMessage<T>[] = [];
  const finished = deferred<QueueMessage<T>[]>();
  return {
    seen,
    done: finished.promise,
    handler: async (message) => {
      seen.push(message);
      if (seen.length === count) finished.resolve(seen);
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every MessageBus adapter must show: at-least-once delivery, retries with backoff,
 * dead-lettering, concurrency limits, draining, durability across bus instances, and the
 * `queue_messages_processed_total` counter.
 */
export function describeMessageBusContract(name: string, factory: () => Promise<MessageBusFixture>): void {
  describe(`MessageBus contract: ${name}`, () => {
    let fixture: MessageBusFixture;
    const opened: MessageBus[] = [];
    const open = async (): Promise<MessageBus> => {
      const bus = await fixture.open();
      opened.push(bus);
      return bus;
    };

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await Promise.allSettled(opened.map((bus) => bus.close()));
      await fixture?.cleanup?.();
    });

    it('answers ping', async () => {
      const bus = await open();
      await expect(bus.ping()).resolves.toBeUndefined();
    });

    it('delivers every published message once, with its id, queue and attempt 1', async () => {
      const bus = await open();
      const queue = uniqueQueue('deliver');
      const before = await processedCount(queue, 'ack');
      await bus.publish(queue, { n: 0 }, { messageId: 'first-message' });
      for (let n = 1; n < 10; n++) await bus.publish(queue, { n, text: '이코 ♻️' });
      const { handler, done } = collector<{ n: number }>(10);
      await bus.consume(queue, handler, { concurrency: 4 });
      const messages = await done;
      expect(messages.map((m) => m.body.n).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(new Set(messages.map((m) => m.id)).size).toBe(10);
      expect(messages.find((m) => m.body.n === 0)!.id).toBe('first-message');
      expect(messages.every((m) => m.queue === queue && m.attempt === 1)).toBe(true);
      await expect.poll(() => processedCount(queue, 'ack')).toBe(before + 10);
    });

    it('delivers to a consumer that subscribed before the publish', async () => {
      const bus = await open();
      const queue = uniqueQueue('late');
      const { handler, done } = collector<string>(1);
      await bus.consume(queue, handler);
      await bus.publish(queue, 'hello');
      expect((await done)[0]!.body).toBe('hello');
    });

    it('retries a failing handler with growing backoff, then acks its success', async () => {
      const bus = await open();
      const queue = uniqueQueue('retry');
      const attempts: { attempt: number; at: number }[] = [];
      const succeeded = deferred<QueueMessage>();
      await bus.consume(queue, async (message) => {
        attempts.push({ attempt: message.attempt, at: Date.now() });
        if (message.attempt < CONTRACT_MAX_ATTEMPTS) throw new Error(`flaky ${message.attempt}`);
        succeeded.resolve(message);
      });
      await bus.publish(queue, { job: 'retry-me' }, { messageId: 'retry-id' });
      const final = await succeeded.promise;
      expect(final.body).toEqual({ job: 'retry-me' });
      expect(final.id).toBe('retry-id');
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      // Backoff: base, then twice the base (a little slack for timer granularity).
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(CONTRACT_RETRY_BASE_MS - 10);
      expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2 * CONTRACT_RETRY_BASE_MS - 10);
      await expect.poll(() => processedCount(queue, 'ack')).toBe(1);
      // Counted once the retry is handed back to the broker, which may confirm after the next delivery.
      await expect.poll(() => processedCount(queue, 'retry')).toBe(2);
      expect(await bus.deadLetters(queue)).toEqual([]);
    });

    it(`dead-letters a message that failed ${CONTRACT_MAX_ATTEMPTS} times, keeping its body`, async () => {
      const bus = await open();
      const queue = uniqueQueue('dlq');
      const attempts: number[] = [];
      await bus.consume(queue, async (message) => {
        attempts.push(message.attempt);
        throw new Error('always broken');
      });
      await bus.publish(queue, { poison: true, id: 7 });
      await expect.poll(() => bus.deadLetters(queue), { timeout: 10_000 }).toEqual([{ poison: true, id: 7 }]);
      expect(attempts).toEqual([1, 2, 3]);
      expect(await processedCount(queue, 'retry')).toBe(2);
      expect(await processedCount(queue, 'dead_letter')).toBe(1);
      expect(await processedCount(queue, 'ack')).toBe(0);
      // Reading the dead letters does not consume them.
      expect(await bus.deadLetters(queue)).toEqual([{ poison: true, id: 7 }]);
    });

    it('dead-letters at once on PermanentFailure', async () => {
      const bus = await open();
      const queue = uniqueQueue('permanent');
      const attempts: number[] = [];
      await bus.consume(queue, async (message) => {
        attempts.push(message.attempt);
        throw new PermanentFailure('cannot ever work');
      });
      await bus.publish(queue, { hopeless: 1 });
      await expect.poll(() => bus.deadLetters(queue), { timeout: 10_000 }).toEqual([{ hopeless: 1 }]);
      expect(attempts).toEqual([1]);
      expect(await processedCount(queue, 'retry')).toBe(0);
      expect(await processedCount(queue, 'dead_letter')).toBe(1);
    });

    it('never runs more handlers at once than the consumer concurrency', async () => {
      const bus = await open();
      const queue = uniqueQueue('concurrency');
      let running = 0;
      let peak = 0;
      const { handler: count, done } = collector<number>(8);
      await bus.consume<number>(
        queue,
        async (message) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(60);
          running--;
          await count(message);
        },
        { concurrency: 2 },
      );
      for (let n = 0; n < 8; n++) await bus.publish(queue, n);
      await done;
      expect(peak).toBe(2);
    });

    it('drain waits for the in-flight handler, settles it, and takes nothing new', async () => {
      const bus = await open();
      const queue = uniqueQueue('drain');
      const started = deferred();
      const release = deferred();
      const handled: number[] = [];
      await bus.consume(queue, async (message: QueueMessage<number>) => {
        started.resolve();
        await release.promise;
        handled.push(message.body);
      });
      await bus.publish(queue, 1);
      await started.promise;
      let drained = false;
      const draining = bus.drain().then(() => (drained = true));
      await sleep(150);
      expect(drained).toBe(false);
      release.resolve();
      await draining;
      expect(handled).toEqual([1]);
      expect(await processedCount(queue, 'ack')).toBe(1);

      // Published after the drain: kept for a later consumer, not given to the drained one.
      await bus.publish(queue, 2);
      await sleep(300);
      expect(handled).toEqual([1]);
      const next = await open();
      const { handler, done } = collector<number>(1);
      await next.consume(queue, handler);
      expect((await done).map((m) => m.body)).toEqual([2]);
      await sleep(200);
      // The acked message 1 was not delivered again.
      expect(handled).toEqual([1]);
    });

    it('keeps published messages durably for a new bus instance', async () => {
      const first = await open();
      const queue = uniqueQueue('durable');
      for (const n of [1, 2, 3]) await first.publish(queue, { n });
      await first.close();
      const second = await open();
      const { handler, done } = collector<{ n: number }>(3);
      await second.consume(queue, handler);
      expect((await done).map((m) => m.body.n).sort()).toEqual([1, 2, 3]);
    });
  });
}
