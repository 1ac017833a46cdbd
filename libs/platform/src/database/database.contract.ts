import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config.js';
import type { EnvVarSpec } from '../config/env-schema.js';
import { dataSourceOptions, runMigrations, type MigrationList } from './database.module.js';

/** Tables (without TypeORM's bookkeeping) → their column names, sorted, plus row counts. */
export interface SchemaSnapshot {
  columns: Record<string, string[]>;
  rows: Record<string, number>;
}

const BOOKKEEPING = new Set(['migrations', 'typeorm_metadata']);

export async function snapshotSchema(dataSource: DataSource): Promise<SchemaSnapshot> {
  const isPostgres = dataSource.options.type === 'postgres';
  const columnRows = (
    isPostgres
      ? await dataSource.query(
          `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
           WHERE table_schema = current_schema()`,
        )
      : await dataSource.query(
          `SELECT m.name AS "table", p.name AS "column" FROM sqlite_master m, pragma_table_info(m.name) p
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
        )
  ) as { table: string; column: string }[];
  const columns: Record<string, string[]> = {};
  for (const { table, column } of columnRows) (columns[table] ??= []).push(column);
  for (const list of Object.values(columns)) list.sort();
  const rows: Record<string, number> = {};
  for (const table of Object.keys(columns).sort()) {
    const [{ count }] = (await dataSource.query(`SELECT COUNT(*) AS "count" FROM "${table}"`)) as {
      count: string;
    }[];
    rows[table] = Number(count);
  }
  return { columns, rows };
}

export function domainTables(snapshot: SchemaSnapshot): string[] {
  return Object.keys(snapshot.columns)
    .filter((table) => !BOOKKEEPING.has(table))
    .sort();
}

export interface MigrationFixture {
  /** A DataSource (not initialised) on an empty database/schema, with the migrations configured. */
  dataSource: DataSource;
  cleanup?(): Promise<void>;
}

/** The embedded driver: a fresh SQLite file in a temporary state folder. */
export async function sqliteMigrationFixture(
  specs: readonly EnvVarSpec[],
  migrations: MigrationList,
): Promise<MigrationFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'eco2-db-'));
  const config = AppConfig.load(specs, { STATE_DIR: dir });
  return {
    dataSource: new DataSource(dataSourceOptions(config, migrations)),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The product's migrations apply on an empty database, leave nothing pending, and re-running them
 * changes nothing. Returns a getter for the schema the run produced, for cross-driver comparisons.
 */
export function describeMigrationContract(
  name: string,
  migrations: MigrationList,
  factory: () => Promise<MigrationFixture>,
): () => SchemaSnapshot | undefined {
  let produced: SchemaSnapshot | undefined;
  describe(`migrations contract: ${name}`, () => {
    let fixture: MigrationFixture;
    let dataSource: DataSource;

    beforeAll(async () => {
      fixture = await factory();
      dataSource = await fixture.dataSource.initialize();
    });
    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await fixture?.cleanup?.();
    });

    it('applies every migration on an empty database and leaves none pending', async () => {
      expect(domainTables(await snapshotSchema(dataSource))).toEqual([]);
      const applied = await runMigrations(dataSource);
      expect(applied).toHaveLength((migrations as unknown[]).length);
      expect(await dataSource.showMigrations()).toBe(false);
      produced = await snapshotSchema(dataSource);
      expect(domainTables(produced).length).toBeGreaterThan(0);
      expect(produced.rows.migrations).toBe(applied.length);
    });

    it('re-running changes nothing: no migration applied, same tables, columns and rows', async () => {
      const before = await snapshotSchema(dataSource);
      expect(await runMigrations(dataSource)).toEqual([]);
      expect(await snapshotSchema(dataSource)).toEqual(before);
    });
  });
  return () => produced;
}
