import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'prom-client';
import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_MAX_ATTEMPTS,
  CONTRACT_RETRY_BASE_MS,
  deferred,
  describeMessageBusContract,
  uniqueQueue,
} from './messaging.contract.js';
import { QUEUE_MESSAGES_PROCESSED } from './queue-metrics.js';
import { SqliteMessageBus } from './sqlite-message-bus.js';

// Dead-letter warnings are expected here; keep the output readable.
Logger.overrideLogger(['error']);

// The RabbitMQ adapter runs the same contract in rabbitmq-message-bus.e2e-spec.ts.
describeMessageBusContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-bus-'));
  const path = join(dir, 'queue.sqlite');
  return {
    open: async () =>
      new SqliteMessageBus({
        path,
        maxAttempts: CONTRACT_MAX_ATTEMPTS,
        retryBaseMs: CONTRACT_RETRY_BASE_MS,
        pollIntervalMs: 50,
      }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('queue_messages_processed_total', () => {
  it('is exposed by the default registry /metrics serves, labelled by queue and outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eco2-bus-'));
    const bus = new SqliteMessageBus({ path: join(dir, 'q.sqlite'), maxAttempts: 2, retryBaseMs: 10 });
    try {
      const queue = uniqueQueue('metrics');
      const done = deferred();
      await bus.consume(queue, async (message) => {
        if (message.attempt === 1) throw new Error('once');
        done.resolve();
      });
      await bus.publish(queue, {});
      await done.promise;
      await expect
        .poll(async () => await register.metrics())
        .toContain(`${QUEUE_MESSAGES_PROCESSED}{queue="${queue}",outcome="ack"} 1`);
      const text = await register.metrics();
      expect(text).toContain(`# TYPE ${QUEUE_MESSAGES_PROCESSED} counter`);
      expect(text).toContain(`${QUEUE_MESSAGES_PROCESSED}{queue="${queue}",outcome="retry"} 1`);
    } finally {
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
