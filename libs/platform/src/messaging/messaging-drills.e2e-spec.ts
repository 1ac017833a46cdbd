import { Logger } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throwawayRabbitMq } from '../../../../test/support/throwaway-rabbitmq.js';
import type { Throwaway } from '../../../../test/support/throwaway.js';
import { PublishFailed, type MessageBus, type QueueMessage } from './message-bus.js';
import { deferred, uniqueQueue } from './messaging.contract.js';
import { RabbitMqMessageBus } from './rabbitmq-message-bus.js';
import { SqliteMessageBus } from './sqlite-message-bus.js';

/**
 * Acceptance 4 of issue 3, shown against a throwaway RabbitMQ (never the machine's standard broker) and,
 * where it means something, the embedded SQLite bus.
 */

Logger.overrideLogger(['error']);

const ROOT = new URL('../../../../', import.meta.url).pathname;

interface Received {
  queue: string;
  id: string;
  attempt: number;
  body: unknown;
}

/**
 * Starts test/support/stalled-consumer.ts as a separate OS process; `received` resolves once it has
 * received `count` messages (which it will never ack); `kill()` SIGKILLs it.
 */
async function stalledConsumer(
  env: Record<string, string>,
  count = 1,
): Promise<{ child: ChildProcess; received: Promise<Received[]>; kill(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      '@swc-node/register/esm-register',
      'test/support/stalled-consumer.ts',
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const received = new Promise<Received[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${count} deliveries within 45 s:\n${output}`)),
      45_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n').filter((l) => l.startsWith('RECEIVED '));
      if (lines.length >= count) {
        clearTimeout(timer);
        resolve(lines.map((line) => JSON.parse(line.slice('RECEIVED '.length)) as Received));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`consumer process exited before a delivery:\n${output}`));
    });
  });
  received.catch(() => undefined);
  return {
    child,
    received,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function firstDelivery<T>(
  bus: MessageBus,
  queue: Parameters<MessageBus['consume']>[0],
): Promise<QueueMessage<T>> {
  const got = deferred<QueueMessage<T>>();
  void bus.consume<T>(queue, async (message) => got.resolve(message));
  return got.promise;
}

async function settleTime(promise: Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const started = Date.now();
  try {
    await promise;
    return { ms: Date.now() - started };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe('messaging drills: throwaway RabbitMQ', () => {
  let broker: Throwaway;
  const buses: MessageBus[] = [];
  const bus = (options: { maxAttempts?: number; publishTimeoutMs?: number } = {}): RabbitMqMessageBus => {
    const created = new RabbitMqMessageBus({
      url: broker.url,
      maxAttempts: options.maxAttempts ?? 3,
      retryBaseMs: 50,
      prefetch: 4,
      publishTimeoutMs: options.publishTimeoutMs,
    });
    buses.push(created);
    return created;
  };

  beforeAll(async () => {
    broker = await throwawayRabbitMq();
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(buses.map((b) => b.close()));
    await broker?.destroy();
  }, 120_000);

  it('redelivers a message whose consumer process was killed before acking it', async () => {
    const queue = uniqueQueue('killed');
    const publisher = bus();
    await publisher.publish(queue, { job: 'survive-the-kill' }, { messageId: 'kill-me' });
    const consumer = await stalledConsumer({ BUS_KIND: 'rabbitmq', BUS_TARGET: broker.url, QUEUES: queue });
    try {
      expect(await consumer.received).toMatchObject([{ id: 'kill-me', body: { job: 'survive-the-kill' } }]);
    } finally {
      await consumer.kill();
    }
    const redelivered = await firstDelivery<{ job: string }>(bus(), queue);
    expect(redelivered.id).toBe('kill-me');
    expect(redelivered.body).toEqual({ job: 'survive-the-kill' });
    expect(await publisher.deadLetters(queue)).toEqual([]);
  });

  it('moves a message that failed N times to the dead-letter queue', async () => {
    const queue = uniqueQueue('poison');
    const consumer = bus({ maxAttempts: 4 });
    const attempts: number[] = [];
    await consumer.consume(queue, async (message) => {
      attempts.push(message.attempt);
      throw new Error('still broken');
    });
    await consumer.publish(queue, { poison: 'pill' });
    await expect.poll(() => consumer.deadLetters(queue), { timeout: 15_000 }).toEqual([{ poison: 'pill' }]);
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('broker outage: publishes fail loudly or are held, none is lost, consumers resume, stored messages survive', async () => {
    const live = uniqueQueue('outage');
    const kept = uniqueQueue('kept');
    const publisher = bus({ publishTimeoutMs: 1500 });
    const patient = bus({ publishTimeoutMs: 60_000 });
    const consumer = bus();
    const seen: string[] = [];
    await consumer.consume<string>(live, async (message) => void seen.push(message.body));
    await patient.publish(live, 'warm-up');
    await publisher.publish(live, 'before');
    await publisher.publish(kept, { stored: 'before the outage' });
    await expect.poll(() => seen.slice().sort()).toEqual(['before', 'warm-up']);

    await broker.stop();
    await expect(publisher.ping()).rejects.toThrow(/not connected/);

    // Loud: with a 1.5 s publish timeout the publish rejects (it is not kept anywhere).
    const failed = await settleTime(publisher.publish(live, 'retried', { messageId: 'retried-1' }));
    expect(failed.error).toBeInstanceOf(PublishFailed);
    expect(failed.ms).toBeLessThan(1500 + 1000);

    // Held: with a long publish timeout the publish waits for the broker instead.
    let heldSettled = false;
    const held = patient.publish(live, 'held').finally(() => (heldSettled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(heldSettled).toBe(false);

    await broker.start();
    await held;
    await expect
      .poll(
        () =>
          publisher.ping().then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 15_000 },
      )
      .toBe('up');
    // The caller of the failed publish retries it (an outbox relay does exactly this).
    await publisher.publish(live, 'retried', { messageId: 'retried-1' });

    // The consumer reconnected on its own and got both; the failed attempt left no duplicate behind.
    await expect
      .poll(() => seen.slice().sort(), { timeout: 15_000 })
      .toEqual(['before', 'held', 'retried', 'warm-up']);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((body) => body === 'retried')).toHaveLength(1);

    // Durable queue + persistent message: what was stored before the outage is still there.
    const survivor = await firstDelivery(bus(), kept);
    expect(survivor.body).toEqual({ stored: 'before the outage' });
  }, 90_000);
});

describe('messaging drills: embedded SQLite bus', () => {
  let dir: string;
  let path: string;
  const buses: MessageBus[] = [];
  const bus = (maxAttempts = 3): SqliteMessageBus => {
    const created = new SqliteMessageBus({
      path,
      maxAttempts,
      retryBaseMs: 50,
      leaseMs: 1000,
      pollIntervalMs: 50,
    });
    buses.push(created);
    return created;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eco2-drill-'));
    path = join(dir, 'queue.sqlite');
  });
  afterAll(async () => {
    await Promise.allSettled(buses.map((b) => b.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a killed consumer process: its message is redelivered once the lease runs out, or dead-lettered when consumers keep dying on it', async () => {
    const redeliver = uniqueQueue('killed');
    const deadly = uniqueQueue('deadly');
    await bus().publish(redeliver, { job: 'lease' }, { messageId: 'sqlite-kill-me' });
    await bus().publish(deadly, { kills: 'consumers' });
    // One process consumes both queues and settles nothing; its bus allows a single attempt.
    const consumer = await stalledConsumer(
      {
        BUS_KIND: 'sqlite',
        BUS_TARGET: path,
        QUEUES: `${redeliver},${deadly}`,
        LEASE_MS: '1000',
        MAX_ATTEMPTS: '1',
      },
      2,
    );
    try {
      const received = await consumer.received;
      expect(received.find((r) => r.queue === redeliver)).toEqual({
        queue: redeliver,
        id: 'sqlite-kill-me',
        attempt: 1,
        body: { job: 'lease' },
      });
      expect(received.find((r) => r.queue === deadly)).toMatchObject({ attempt: 1 });
    } finally {
      await consumer.kill();
    }

    // Redelivered to a new consumer after the dead one's lease ran out, counted as a second attempt.
    const redelivered = await firstDelivery<{ job: string }>(bus(3), redeliver);
    expect(redelivered).toMatchObject({ id: 'sqlite-kill-me', attempt: 2, body: { job: 'lease' } });

    // With one attempt allowed, a message whose consumer died is dead-lettered, not looped on forever.
    const survivor = bus(1);
    const handled: unknown[] = [];
    await survivor.consume(deadly, async (message) => void handled.push(message.body));
    await expect
      .poll(() => survivor.deadLetters(deadly), { timeout: 10_000 })
      .toEqual([{ kills: 'consumers' }]);
    expect(handled).toEqual([]);
  });

  it('moves a message that failed N times to the dead-letter queue', async () => {
    const queue = uniqueQueue('poison');
    const consumer = bus(4);
    const attempts: number[] = [];
    await consumer.consume(queue, async (message) => {
      attempts.push(message.attempt);
      throw new Error('still broken');
    });
    await consumer.publish(queue, { poison: 'pill' });
    await expect.poll(() => consumer.deadLetters(queue), { timeout: 10_000 }).toEqual([{ poison: 'pill' }]);
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('a publish on a closed bus rejects instead of vanishing', async () => {
    const closed = bus();
    await closed.close();
    await expect(closed.publish(uniqueQueue('closed'), { lost: false })).rejects.toThrow();
  });
});
