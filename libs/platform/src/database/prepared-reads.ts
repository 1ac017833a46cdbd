import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityTarget } from 'typeorm';

export type Row = Record<string, unknown>;
export type PreparedRead = (parameters: Record<string, unknown>) => Promise<Row[]>;
export type PreparedEntityRead<T> = (parameters: Record<string, unknown>) => Promise<T[]>;

interface SqliteConnection {
  prepare(sql: string): { all(...values: unknown[]): Row[] };
}

interface PostgresPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

/**
 * Reads on the hot path, prepared once and run on the driver itself: a better-sqlite3 statement, or a
 * named PostgreSQL statement (parsed and planned once per pooled connection, with the pool's statement
 * timeout). TypeORM's query path costs more CPU than such a read: a query runner per call, its event
 * broadcaster and logger, and the named parameters rewritten on every call. The SQL is written with
 * TypeORM's named parameters (`:id`); rows come back raw, to be hydrated by the caller.
 */
@Injectable()
export class PreparedReads {
  constructor(private readonly dataSource: DataSource) {}

  prepare(sql: string): PreparedRead {
    const { driver } = this.dataSource;
    // Rewriting with each name as its own value yields the dialect's placeholders and the names' order.
    const names = [...sql.matchAll(/:(\w+)/g)].map((match) => match[1]);
    const [text, order] = driver.escapeQueryWithParameters(
      sql,
      Object.fromEntries(names.map((name) => [name, name])),
    ) as [string, string[]];
    const valuesOf = (parameters: Record<string, unknown>): unknown[] =>
      order.map((name) => parameters[name]);
    if (this.dataSource.options.type === 'postgres') {
      const pool = (driver as unknown as { master: PostgresPool }).master;
      const name = `eco2_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      return async (parameters) => (await pool.query({ name, text, values: valuesOf(parameters) })).rows;
    }
    const connection = (driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    // Prepared on first use: a repository is built before the migrations have created its tables.
    let statement: ReturnType<SqliteConnection['prepare']> | undefined;
    return async (parameters) => (statement ??= connection.prepare(text)).all(...valuesOf(parameters));
  }

  /**
   * Whole rows of `entity` (every column, `WHERE where` in column names and named parameters), hydrated
   * as TypeORM hydrates them: the driver's conversions (dates, JSON) and the columns' transformers.
   * For an entity read by key on the hot path, where the query builder costs more than the query.
   */
  prepareEntities<T extends object>(entity: EntityTarget<T>, where: string): PreparedEntityRead<T> {
    const metadata = this.dataSource.getMetadata(entity);
    const { driver } = this.dataSource;
    const columns = metadata.columns.map((column) => `"${column.databaseName}"`).join(', ');
    const read = this.prepare(`SELECT ${columns} FROM "${metadata.tableName}" WHERE ${where}`);
    return async (parameters) =>
      (await read(parameters)).map((row) => {
        const hydrated = metadata.create() as T;
        for (const column of metadata.columns)
          column.setEntityValue(hydrated, driver.prepareHydratedValue(row[column.databaseName], column));
        return hydrated;
      });
  }
}
