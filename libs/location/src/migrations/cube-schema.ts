import type { QueryRunner } from 'typeorm';

/**
 * The quoted schema the cube extension lives in (it may be any): SQL written by the location
 * migrations names cube's types, functions and operators with it explicitly, so it works whatever
 * `search_path` the app runs with.
 */
export async function cubeSchemaOf(queryRunner: QueryRunner): Promise<string> {
  const [row] = (await queryRunner.query(
    "SELECT quote_ident(n.nspname) AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'cube'",
  )) as { schema: string }[];
  if (!row) throw new Error('the cube extension is not installed');
  return row.schema;
}
