import { Column, type ColumnOptions } from 'typeorm';
import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column decorators that map to the right type on both SQLite and PostgreSQL. Entities use these instead
 * of driver-specific types so one entity works on both adapters.
 */
export const TimestampColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column({ ...options, type: Date });
export const JsonColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column({ ...options, type: 'json' });

export interface PortableColumnTypes {
  uuid: string;
  timestamp: string;
  json: string;
  isPostgres: boolean;
}

/** The physical types migrations create, per driver. */
export function portableTypes(queryRunner: QueryRunner): PortableColumnTypes {
  const isPostgres = queryRunner.connection.driver.options.type === 'postgres';
  return isPostgres
    ? { uuid: 'uuid', timestamp: 'timestamptz', json: 'jsonb', isPostgres }
    : { uuid: 'varchar', timestamp: 'datetime', json: 'json', isPostgres };
}

/** A column holding an id generated in code: native `uuid` on PostgreSQL, `varchar(36)` on SQLite. */
export function uuidColumn(
  types: PortableColumnTypes,
  name: string,
  options: Omit<TableColumnOptions, 'name' | 'type' | 'length'> = {},
): TableColumnOptions {
  return { name, type: types.uuid, length: types.isPostgres ? undefined : '36', ...options };
}

/** The `id` primary key every table has. */
export const uuidPrimaryColumn = (types: PortableColumnTypes): TableColumnOptions =>
  uuidColumn(types, 'id', { isPrimary: true });

/** `created_at`/`updated_at` columns with a database default, for migrations. */
export function timestampColumns(types: PortableColumnTypes): TableColumnOptions[] {
  const now = types.isPostgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
  return [
    { name: 'created_at', type: types.timestamp, default: now },
    { name: 'updated_at', type: types.timestamp, default: now },
  ];
}
