import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes, timestampColumns } from '#platform';
import { EARTH_POINT_FUNCTION } from '../api/earth-geometry.js';
import { cubeSchemaOf } from './cube-schema.js';

export class CreateLocationSites1732000006000 implements MigrationInterface {
  name = 'CreateLocationSites1732000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableTypes(queryRunner);
    const id = {
      name: 'id',
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment' as const,
    };
    await queryRunner.createTable(
      new Table({
        name: 'location_sites',
        columns: [
          id,
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'source_pk', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'region', type: 'varchar', length: '120', isNullable: true },
          { name: 'road_address', type: 'varchar', length: '255', isNullable: true },
          { name: 'lot_address', type: 'varchar', length: '255', isNullable: true },
          { name: 'address_note', type: 'varchar', length: '512', isNullable: true },
          { name: 'latitude', type: 'double precision' },
          { name: 'longitude', type: 'double precision' },
          { name: 'introduction', type: 'text', isNullable: true },
          { name: 'store_category', type: 'varchar', length: '32' },
          { name: 'pickup_categories', type: 'varchar', length: '255' },
          { name: 'collection_items', type: 'text', isNullable: true },
          { name: 'opening_hours', type: t.json },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'homepage_url', type: 'varchar', length: '512', isNullable: true },
          { name: 'search_text', type: 'text' },
          { name: 'source_metadata', type: t.json },
          { name: 'content_hash', type: 'varchar', length: '64' },
          { name: 'retired_at', type: t.timestamp, isNullable: true },
          ...timestampColumns(t),
        ],
        uniques: [{ name: 'uq_location_sites_source_pk', columnNames: ['source', 'source_pk'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'location_site_imports',
        columns: [
          id,
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'origin', type: 'varchar', length: '16' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'file_hash', type: 'varchar', length: '64' },
          { name: 'added', type: 'integer' },
          { name: 'updated', type: 'integer' },
          { name: 'retired', type: 'integer' },
          { name: 'unchanged', type: 'integer' },
          { name: 'skipped', type: 'integer' },
          { name: 'imported_at', type: t.timestamp },
        ],
        indices: [new TableIndex({ name: 'ix_location_site_imports_hash', columnNames: ['file_hash'] })],
      }),
    );
    if (!t.isPostgres) return;
    /*
     * The spatial index. cube is installed once per database (IF NOT EXISTS; it may live in any schema),
     * and everything below names its schema explicitly: earthdistance's own ll_to_earth() calls earth()
     * unqualified, which fails whenever `search_path` is a single app schema (as in every test). The
     * function is ll_to_earth's formula on a 6371 km sphere, so cube distances are chords in metres and
     * the GiST index answers both "inside the box" and nearest-first (KNN `<->`).
     */
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public');
    const schema = await cubeSchemaOf(queryRunner);
    await queryRunner.query(
      `CREATE FUNCTION ${EARTH_POINT_FUNCTION}(lat double precision, lon double precision) RETURNS ${schema}.cube
       LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
         SELECT ${schema}.cube(${schema}.cube(${schema}.cube(
           6371000 * cos(radians(lat)) * cos(radians(lon))),
           6371000 * cos(radians(lat)) * sin(radians(lon))),
           6371000 * sin(radians(lat)))
       $$`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_location_sites_earth ON location_sites USING gist (${EARTH_POINT_FUNCTION}(latitude, longitude)) WHERE retired_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('location_site_imports');
    await queryRunner.dropTable('location_sites');
    if (portableTypes(queryRunner).isPostgres) {
      await queryRunner.query(
        `DROP FUNCTION IF EXISTS ${EARTH_POINT_FUNCTION}(double precision, double precision)`,
      );
    }
  }
}
