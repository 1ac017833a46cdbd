import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy } from '../../../../test/support/delay-proxy.js';
import { BOTH_DATABASES, freshPostgresSchema } from '../../../../test/support/test-app.js';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { JsonColumn, TimestampColumn } from './columns.js';
import { isDatabaseOutage } from './database-outage.js';
import { dataSourceOptions } from './database.module.js';
import { PreparedReads } from './prepared-reads.js';

@Entity('parcels')
class Parcel {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string;

  @JsonColumn({ nullable: true })
  contents: { items: string[]; fragile: boolean } | null;

  @Column({ type: 'integer', nullable: true })
  weight: number | null;

  @TimestampColumn({ name: 'sent_at' })
  sentAt: Date;
}

describe.each(BOTH_DATABASES)('PreparedReads on %s', (name, database) => {
  let dataSource: DataSource;
  let cleanup: () => void;

  beforeAll(async () => {
    const { env, cleanup: drop } = await database();
    cleanup = drop;
    dataSource = await new DataSource({
      ...dataSourceOptions(AppConfig.load(PLATFORM_ENV, { NODE_ENV: 'test', ...env }), []),
      entities: [Parcel],
    }).initialize();
    const postgres = dataSource.options.type === 'postgres';
    await dataSource.query(
      `CREATE TABLE parcels (id varchar(36) PRIMARY KEY, owner_id varchar(36) NOT NULL, contents ${postgres ? 'jsonb' : 'json'}, weight integer, sent_at ${postgres ? 'timestamptz' : 'datetime'} NOT NULL)`,
    );
    await dataSource.query('CREATE TABLE things (id integer PRIMARY KEY, kind varchar(20), size integer)');
    await dataSource.query(
      "INSERT INTO things (id, kind, size) VALUES (1, 'can', 3), (2, 'pet', 5), (3, 'can', 9), (4, 'pet', 1)",
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    cleanup?.();
  });

  it('binds named parameters in their order, a repeated name included, call after call', async () => {
    const read = new PreparedReads(dataSource).prepare(
      'SELECT id FROM things WHERE (kind = :kind AND size >= :min) OR id = :min ORDER BY id',
    );
    expect(await read({ kind: 'can', min: 4 })).toEqual([{ id: 3 }, { id: 4 }]);
    expect(await read({ min: 1, kind: 'pet' })).toEqual([{ id: 1 }, { id: 2 }, { id: 4 }]);
    expect(await read({ kind: 'glass', min: 100 })).toEqual([]);
  });

  it('reads whole entities hydrated exactly as TypeORM reads them: dates, JSON, nulls', async () => {
    const parcels = dataSource.getRepository(Parcel);
    await parcels.insert([
      {
        id: 'p1',
        ownerId: 'u1',
        contents: { items: ['캔', 'pet'], fragile: true },
        weight: 3,
        sentAt: new Date('2030-01-02T03:04:05.678Z'),
      },
      { id: 'p2', ownerId: 'u1', contents: null, weight: null, sentAt: new Date('2030-02-03T04:05:06.789Z') },
      {
        id: 'p3',
        ownerId: 'u2',
        contents: { items: [], fragile: false },
        weight: 1,
        sentAt: new Date('2030-03-04T05:06:07.890Z'),
      },
    ]);
    const read = new PreparedReads(dataSource).prepareEntities(Parcel, '"owner_id" = :owner ORDER BY "id"');
    const owned = await read({ owner: 'u1' });
    expect(owned).toEqual(await parcels.find({ where: { ownerId: 'u1' }, order: { id: 'ASC' } }));
    expect(owned[0]).toBeInstanceOf(Parcel);
    expect(owned[0].sentAt).toEqual(new Date('2030-01-02T03:04:05.678Z'));
    expect(owned[0].contents).toEqual({ items: ['캔', 'pet'], fragile: true });
    expect(owned[1]).toMatchObject({ contents: null, weight: null });
    expect(await read({ owner: 'nobody' })).toEqual([]);
  });

  it('refuses SQL the database cannot run with the driver’s error, not a silent empty answer', async () => {
    const read = new PreparedReads(dataSource).prepare('SELECT id FROM no_such_table WHERE id = :id');
    await expect(read({ id: 1 })).rejects.toThrow(/no_such_table|no such table/);
  });

  it('answers reads asked for together each with its own rows; one that fails rejects only its caller', async () => {
    const reads = new PreparedReads(dataSource);
    const bySize = reads.prepare('SELECT id FROM things WHERE size = :size');
    const byKind = reads.prepare('SELECT id FROM things WHERE kind = :kind ORDER BY id');
    const missing = reads.prepare('SELECT id FROM things WHERE id = :id');
    const broken = reads.prepare('SELECT id FROM no_such_table WHERE id = :id');
    const answers = await Promise.allSettled([
      bySize({ size: 9 }),
      broken({ id: 1 }),
      byKind({ kind: 'pet' }),
      missing({ id: 99 }),
    ]);
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : 'rejected'))).toEqual([
      [{ id: 3 }],
      'rejected',
      [{ id: 2 }, { id: 4 }],
      [],
    ]);
  });

  // PostgreSQL runs each read on a pooled connection as it comes; only SQLite gathers a turn's reads.
  if (name === 'SQLite')
    it('on SQLite, runs the reads asked for in one turn after it, together', async () => {
      const read = new PreparedReads(dataSource).prepare(
        'SELECT id FROM things WHERE kind = :kind ORDER BY id',
      );
      const cans = read({ kind: 'can' });
      const glass = read({ kind: 'glass' });
      // Written later in the same turn, by the same connection, before either read has run.
      (
        dataSource.driver as unknown as { databaseConnection: { exec(sql: string): void } }
      ).databaseConnection.exec("INSERT INTO things (id, kind, size) VALUES (5, 'glass', 2), (6, 'can', 4)");
      expect(await Promise.all([cans, glass])).toEqual([[{ id: 1 }, { id: 3 }, { id: 6 }], [{ id: 5 }]]);
    });
});

describe('PreparedReads when PostgreSQL goes away', () => {
  it('fails with an error the envelope answers as an outage (503), not a 500', async () => {
    const env = await freshPostgresSchema();
    const url = new URL(env.DATABASE_URL!);
    const proxy = await startDelayProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    const config = AppConfig.load(PLATFORM_ENV, { NODE_ENV: 'test', ...env, DATABASE_URL: url.toString() });
    const dataSource = await new DataSource(dataSourceOptions(config, [])).initialize();
    try {
      const read = new PreparedReads(dataSource).prepare('SELECT 1 AS one WHERE 1 = :one');
      expect(await read({ one: 1 })).toEqual([{ one: 1 }]);
      await proxy.close();
      const failure = await read({ one: 1 }).catch((error: unknown) => error);
      expect(isDatabaseOutage(failure), String(failure)).toBe(true);
    } finally {
      await dataSource.destroy().catch(() => undefined);
    }
  });
});
