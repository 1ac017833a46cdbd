import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOTH_DATABASES } from '../../../../test/support/test-app.js';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { dataSourceOptions } from '../database/database.module.js';
import { outboxMigrations } from './migrations/index.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxMessageRepository } from './outbox-message.repository.js';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number): Date => new Date(T0.getTime() + ms);

describe.each(BOTH_DATABASES)('OutboxMessageRepository on %s', (_name, database) => {
  /** Two relays (pods), each with its own connection pool to the same database. */
  const relays: { dataSource: DataSource; messages: OutboxMessageRepository }[] = [];
  let cleanup: () => void;

  beforeAll(async () => {
    const { env, cleanup: drop } = await database();
    cleanup = drop;
    const options = dataSourceOptions(
      AppConfig.load(PLATFORM_ENV, { NODE_ENV: 'test', ...env }),
      outboxMigrations,
    );
    for (let i = 0; i < 2; i++) {
      const dataSource = await new DataSource({ ...options, entities: [OutboxMessage] }).initialize();
      if (i === 0) await dataSource.runMigrations();
      relays.push({
        dataSource,
        messages: new OutboxMessageRepository(dataSource.getRepository(OutboxMessage)),
      });
    }
  });

  afterAll(async () => {
    for (const { dataSource } of relays) await dataSource.destroy();
    cleanup?.();
  });

  beforeEach(async () => {
    await relays[0]!.dataSource.getRepository(OutboxMessage).clear();
  });

  async function addDue(count: number): Promise<void> {
    const { dataSource, messages } = relays[0]!;
    for (let i = 0; i < count; i++)
      await messages.insert(
        dataSource.manager,
        Object.assign(new OutboxMessage(), {
          id: randomUUID(),
          queue: 'scan.requested',
          body: { n: i },
          attempts: 0,
          nextAttemptAt: T0,
          sentAt: null,
          createdAt: later(i),
        }),
      );
  }

  it('claims a batch in one go: each row once more attempted and leased, none due until the lease ends', async () => {
    await addDue(3);
    const { messages } = relays[0]!;
    const due = await messages.due(T0, 50);
    expect(await messages.claim(due, T0, later(30_000))).toEqual(due);
    expect(await messages.due(later(29_999), 50)).toEqual([]);
    const afterLease = await messages.due(later(30_000), 50);
    expect(afterLease.map((m) => [m.id, m.attempts])).toEqual(due.map((m) => [m.id, 1]));
  });

  it('of two relays claiming the same due rows at once, in the same millisecond, each row goes to exactly one', async () => {
    await addDue(20);
    const [a, b] = relays;
    const [dueA, dueB] = await Promise.all([a!.messages.due(T0, 50), b!.messages.due(T0, 50)]);
    const [claimedA, claimedB] = await Promise.all([
      a!.messages.claim(dueA, T0, later(30_000)),
      b!.messages.claim(dueB, T0, later(30_000)),
    ]);
    const ids = [...claimedA, ...claimedB].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(dueA.map((m) => m.id).sort());
  });

  it('claims nothing a relay read before another relay claimed, deferred or sent it', async () => {
    await addDue(3);
    const [a, b] = relays;
    const [first, second, third] = await a!.messages.due(T0, 50);
    await b!.messages.claim([first!], T0, later(30_000));
    await b!.messages.defer([second!.id], later(500));
    await b!.messages.markSent([third!.id], T0);
    expect(await a!.messages.claim([first!, second!, third!], T0, later(30_000))).toEqual([]);
  });

  it('marks several rows sent, and accepts none', async () => {
    await addDue(2);
    const { messages } = relays[0]!;
    const due = await messages.due(T0, 50);
    await messages.markSent([], T0);
    await messages.markSent(
      due.map((m) => m.id),
      T0,
    );
    expect(await messages.due(later(3_600_000), 50)).toEqual([]);
  });
});
