import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource, MigrationExecutor, type DataSourceOptions, type MixedList } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { checkSqliteFile } from '../data/sqlite-file-check.js';
import { ensureStateDir, StateFileError } from '../data/state-dir.js';
import { DependencyProbes } from '../health/dependency-probes.js';
import { PreparedReads } from './prepared-reads.js';
import { Transactions } from './transactions.js';

// Any constant works; it only has to be the same in every pod so migrations run one pod at a time.
const MIGRATION_LOCK_ID = 0x0ec02;

export type MigrationList = MixedList<string | (new () => unknown)>;

export function dataSourceOptions(config: AppConfig, migrations: MigrationList): DataSourceOptions {
  const url = config.optionalString('DATABASE_URL');
  if (url) {
    const schema = config.optionalString('DATABASE_SCHEMA');
    return {
      type: 'postgres',
      url,
      migrations: migrations as DataSourceOptions['migrations'],
      migrationsTransactionMode: 'each',
      poolSize: config.int('DATABASE_POOL_SIZE'),
      connectTimeoutMS: 5000,
      extra: {
        statement_timeout: 15_000,
        idle_in_transaction_session_timeout: 30_000,
        // search_path rather than TypeORM's `schema`, so raw SQL in migrations lands in the same schema.
        ...(schema ? { options: `-c search_path=${schema}` } : {}),
      },
    };
  }
  return {
    type: 'better-sqlite3',
    database: join(ensureStateDir(config), 'eco2.sqlite'),
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => void db.pragma('busy_timeout = 5000'),
    migrations: migrations as DataSourceOptions['migrations'],
    migrationsTransactionMode: 'each',
  };
}

/**
 * Applies pending migrations and returns their names; on PostgreSQL under an advisory lock so
 * concurrent pods take turns. The lock belongs to a session, so the lock, the migrations and the
 * unlock all run on one dedicated connection: through the pool the unlock could land on another
 * connection and leave the lock held by an idle pooled session (and with a pool of one, a lock held
 * outside the migrations' connection would deadlock them).
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const logger = new Logger('Migrations');
  const lock = dataSource.options.type === 'postgres' ? dataSource.createQueryRunner() : undefined;
  if (lock) {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
  }
  try {
    const executor = new MigrationExecutor(dataSource, lock);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    if (applied.length > 0) logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
    return applied.map((m) => m.name);
  } finally {
    if (lock) {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
      await lock.release();
    }
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(migrations: MigrationList): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, migrations),
            autoLoadEntities: true,
            synchronize: false,
            migrationsRun: false,
            // A damaged state file stays damaged: retrying only delays the line that says so.
            toRetry: (error: unknown) => !(error instanceof StateFileError),
          }),
          dataSourceFactory: async (options) => {
            if (options!.type === 'better-sqlite3') await checkSqliteFile(options!.database);
            const dataSource = await new DataSource(options!).initialize();
            return dataSource;
          },
        }),
      ],
      providers: [
        Transactions,
        PreparedReads,
        {
          provide: 'DATABASE_READY',
          inject: [DataSource, AppConfig, DependencyProbes],
          useFactory: async (dataSource: DataSource, config: AppConfig, probes: DependencyProbes) => {
            if (config.bool('DATABASE_MIGRATE')) await runMigrations(dataSource);
            probes.register({
              name: dataSource.options.type === 'postgres' ? 'postgres' : 'database',
              ping: async () => void (await dataSource.query('SELECT 1')),
            });
            return true;
          },
        },
      ],
      exports: [Transactions, PreparedReads, 'DATABASE_READY'],
    };
  }
}
