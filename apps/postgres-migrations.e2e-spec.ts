import { DataSource } from 'typeorm';
import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from './catalog.js';
import { freshPostgresSchema } from '../test/support/test-app.js';
import { envSpecsOf } from '../libs/platform/src/boot/bootstrap.js';
import { AppConfig } from '../libs/platform/src/config/app-config.js';
import {
  domainTables,
  describeMigrationContract,
  snapshotSchema,
  sqliteMigrationFixture,
} from '../libs/platform/src/database/database.contract.js';
import { dataSourceOptions, runMigrations } from '../libs/platform/src/database/database.module.js';

Logger.overrideLogger(['error']);

const specs = envSpecsOf(APP_CATALOG);
const migrations = APP_CATALOG.migrations;

async function postgresDataSource(poolSize = 2): Promise<DataSource> {
  const env = await freshPostgresSchema();
  const config = AppConfig.load(specs, { ...env, DATABASE_POOL_SIZE: String(poolSize) });
  return new DataSource(dataSourceOptions(config, migrations));
}

// The SQLite contract runs again here (it is also a unit test) so both schemas can be compared.
const sqliteSchema = describeMigrationContract('sqlite', migrations, () =>
  sqliteMigrationFixture(specs, migrations),
);

const postgresSchema = describeMigrationContract('postgresql (fresh schema)', migrations, async () => ({
  dataSource: await postgresDataSource(),
}));

describe('migrations on both drivers', () => {
  it('SQLite and PostgreSQL end up with the same tables, the same columns and the same seeded rows', () => {
    const sqlite = sqliteSchema();
    const postgres = postgresSchema();
    expect(sqlite, 'the SQLite contract ran first').toBeDefined();
    expect(postgres, 'the PostgreSQL contract ran first').toBeDefined();
    expect(domainTables(postgres!)).toEqual(domainTables(sqlite!));
    for (const table of domainTables(sqlite!)) {
      expect(postgres!.columns[table], table).toEqual(sqlite!.columns[table]);
      expect(postgres!.rows[table], `${table} rows`).toBe(sqlite!.rows[table]);
    }
  });

  it('PostgreSQL: concurrent pods take turns under the advisory lock and release it (pool of one: no deadlock)', async () => {
    const env = await freshPostgresSchema();
    const pods = await Promise.all(
      [1, 2, 3].map(() =>
        new DataSource(
          dataSourceOptions(AppConfig.load(specs, { ...env, DATABASE_POOL_SIZE: '1' }), migrations),
        ).initialize(),
      ),
    );
    try {
      const applied = await Promise.all(pods.map((pod) => runMigrations(pod)));
      // Exactly one pod applied them all; the others found nothing pending once they got the lock.
      expect(applied.map((names) => names.length).sort((a, b) => b - a)).toEqual([
        (migrations as unknown[]).length,
        0,
        0,
      ]);
      // The lock was released: it can be taken again at once from a new session.
      const [{ locked }] = (await pods[0]!.query('SELECT pg_try_advisory_lock($1) AS locked', [0x0ec02])) as {
        locked: boolean;
      }[];
      expect(locked).toBe(true);
      await pods[0]!.query('SELECT pg_advisory_unlock($1)', [0x0ec02]);
      expect(domainTables(await snapshotSchema(pods[1]!)).length).toBeGreaterThan(0);
    } finally {
      await Promise.all(pods.map((pod) => pod.destroy()));
    }
  });
});
