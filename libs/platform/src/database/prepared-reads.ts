import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityTarget } from 'typeorm';
import { gatherPerTurn } from '../event-loop/gather-per-turn.js';

export type Row = Record<string, unknown>;
export type PreparedRead = (parameters: Record<string, unknown>) => Promise<Row[]>;
export type PreparedEntityRead<T> = (parameters: Record<string, unknown>) => Promise<T[]>;

interface SqliteStatement {
  all(...values: unknown[]): Row[];
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  /** better-sqlite3's: `run` inside BEGIN … COMMIT (a savepoint inside an open transaction). */
  transaction<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => R;
}

interface WaitingRead {
  statement: () => SqliteStatement;
  values: unknown[];
  resolve(rows: Row[]): void;
  reject(error: unknown): void;
}

interface PostgresPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

/**
 * Reads on the hot path, prepared once and run on the driver itself: a better-sqlite3 statement, or a
 * named PostgreSQL statement (parsed and planned once per pooled connection, with the pool's statement
 * timeout). TypeORM's query path costs more CPU than such a read: a query runner per call, its event
 * broadcaster and logger, and the named parameters rewritten on every call. The SQL is written with
 * TypeORM's named parameters (`:id`); rows come back raw, to be hydrated by the caller. On SQLite the
 * reads asked for in one turn of the event loop run together after it (`SqliteTurnReads`, below).
 */
@Injectable()
export class PreparedReads {
  private readonly sqliteReads = new SqliteTurnReads(
    () => (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection,
  );

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
    // Prepared on first use: a repository is built before the migrations have created its tables.
    let prepared: SqliteStatement | undefined;
    const statement = (): SqliteStatement => (prepared ??= this.sqliteReads.connection().prepare(text));
    return (parameters) => this.sqliteReads.read(statement, valuesOf(parameters));
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

/**
 * The SQLite reads asked for in one turn of the event loop, run together right after it
 * (`gatherPerTurn`) in one read transaction, each answering its own caller (a read that fails rejects
 * only its caller).
 *
 * Why: run one by one, each as soon as it is asked, a read's request is answered in the middle of the
 * turn, between the reads of the next requests, and every response wakes the client anew. Under 32
 * connections, GET /users/me took 1.26-1.50x the requests per second and 0.67-0.81x the CPU per request
 * with its reads gathered (about 24 per turn) than without (paired runs, issue 14); most of the CPU saved
 * was the kernel's wake-ups of the reading side. The one transaction takes SQLite's file locks once per
 * turn instead of once per read (two `fcntl` calls and an `fstat` each): in a loop over the app's database
 * file, users/me's statement took 5.1-5.8 µs on its own and 2.4-2.7 µs inside a transaction. The reads see
 * what a read at the end of that turn sees (inside the transaction open on the connection, if any, as
 * before).
 */
class SqliteTurnReads {
  private readonly readAfterTurn = gatherPerTurn<WaitingRead>((turn) => this.readTogether(turn));

  constructor(readonly connection: () => SqliteConnection) {}

  read(statement: () => SqliteStatement, values: unknown[]): Promise<Row[]> {
    return new Promise((resolve, reject) => this.readAfterTurn({ statement, values, resolve, reject }));
  }

  private readTogether(turn: WaitingRead[]): void {
    let outcomes: ReadOutcome[];
    try {
      outcomes = this.connection().transaction(readEach)(turn);
    } catch (error) {
      for (const read of turn) read.reject(error);
      return;
    }
    turn.forEach((read, i) => {
      const outcome = outcomes[i];
      if ('rows' in outcome) read.resolve(outcome.rows);
      else read.reject(outcome.error);
    });
  }
}

type ReadOutcome = { rows: Row[] } | { error: unknown };

function readEach(reads: WaitingRead[]): ReadOutcome[] {
  return reads.map(({ statement, values }) => {
    try {
      return { rows: statement().all(...values) };
    } catch (error) {
      return { error };
    }
  });
}
