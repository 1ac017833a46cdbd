import type { MigrationInterface, QueryRunner } from 'typeorm';
import { portableTypes } from '#platform';
import { EARTH_POINT_FUNCTION, NEARBY_SITES_FUNCTION } from '../api/earth-geometry.js';
import { cubeSchemaOf } from './cube-schema.js';

/**
 * The nearby query as a function, so it can carry its own planner setting. cube's `@>` has a fixed
 * selectivity guess (0.1 % of the table), so the planner expects a few dozen sites in the box even when
 * a 60 km box over Seoul holds half of them; it then picks a bitmap scan, fetches every site in the
 * box and sorts them all (150–200 ms at 100 000 sites). Without bitmap scans the only plan left that
 * avoids the sort is the GiST index walking the box nearest-first (`<->` as the index's ORDER BY), and
 * LIMIT stops it after the sites it needs. `SET` also keeps the function from being inlined, which is
 * what lets the setting apply. Its columns are what `GET /centers` maps; a change to them changes this.
 */
export class NearbySitesFunction1732000006001 implements MigrationInterface {
  name = 'NearbySitesFunction1732000006001';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).isPostgres) return;
    const cube = await cubeSchemaOf(queryRunner);
    const point = `${EARTH_POINT_FUNCTION}(s.latitude, s.longitude)`;
    const centre = `${EARTH_POINT_FUNCTION}(at_lat, at_lon)`;
    // Argument names differ from the columns: in an SQL function a column of the same name would win.
    await queryRunner.query(
      `CREATE FUNCTION ${NEARBY_SITES_FUNCTION}(
         at_lat double precision, at_lon double precision, within_chord double precision, max_sites integer,
         store_filter text[], pickup_filter text[])
       RETURNS TABLE (id integer, name varchar, source varchar, road_address varchar, latitude double precision,
         longitude double precision, store_category varchar, pickup_categories varchar, opening_hours jsonb,
         phone varchar, homepage_url varchar)
       LANGUAGE sql STABLE PARALLEL SAFE
       SET enable_bitmapscan = off
       AS $$
         SELECT s.id, s.name, s.source, s.road_address, s.latitude, s.longitude, s.store_category,
                s.pickup_categories, s.opening_hours, s.phone, s.homepage_url
           FROM location_sites s
          WHERE s.retired_at IS NULL
            AND ${cube}.cube_enlarge(${centre}, within_chord, 3) OPERATOR(${cube}.@>) ${point}
            AND ${point} OPERATOR(${cube}.<->) ${centre} <= within_chord
            AND (store_filter IS NULL OR s.store_category = ANY(store_filter))
            AND (pickup_filter IS NULL OR string_to_array(s.pickup_categories, ',') && pickup_filter)
          ORDER BY ${point} OPERATOR(${cube}.<->) ${centre}
          LIMIT max_sites
       $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).isPostgres) return;
    await queryRunner.query(
      `DROP FUNCTION IF EXISTS ${NEARBY_SITES_FUNCTION}(double precision, double precision, double precision, integer, text[], text[])`,
    );
  }
}
