import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy } from '../../../../test/support/delay-proxy.js';
import { freshPostgresSchema } from '../../../../test/support/test-app.js';
import { AppConfig } from '../config/app-config.js';
import { PLATFORM_ENV } from '../config/env-schema.js';
import { isDatabaseOutage } from './database-outage.js';
import { dataSourceOptions } from './database.module.js';
import { PreparedReads } from './prepared-reads.js';

const STACKS: [string, () => Promise<{ env: NodeJS.ProcessEnv; cleanup(): void }>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eco2-prepared-'));
      return { env: { STATE_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ['PostgreSQL', async () => ({ env: await freshPostgresSchema(), cleanup: () => undefined })],
];

describe.each(STACKS)('PreparedReads on %s', (_name, database) => {
  let dataSource: DataSource;
  let cleanup: () => void;

  beforeAll(async () => {
    const { env, cleanup: drop } = await database();
    cleanup = drop;
    dataSource = await new DataSource(
      dataSourceOptions(AppConfig.load(PLATFORM_ENV, { NODE_ENV: 'test', ...env }), []),
    ).initialize();
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

  it('refuses SQL the database cannot run with the driver’s error, not a silent empty answer', async () => {
    const read = new PreparedReads(dataSource).prepare('SELECT id FROM no_such_table WHERE id = :id');
    await expect(read({ id: 1 })).rejects.toThrow(/no_such_table|no such table/);
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
