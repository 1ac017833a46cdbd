import type { MigrationInterface, QueryRunner } from 'typeorm';
import { portableTypes } from '#platform';
import { EARTH_POINT_FUNCTION, NEARBY_SITES_FUNCTION } from '../api/earth-geometry.js';
import { cubeSchemaOf } from './cube-schema.js';
import { NearbySitesFunction1732000006001 } from './1732000006001-nearby-sites-function.js';

/**
 * The nearby function (see 1732000006001 for why a function), cheaper per site it returns and per site
 * it passes over:
 * - it sends only the opening-hours entries the caller names as unread: a site's week is ~870 bytes as
 *   text, of which an answer's open/closed state reads two days (three around a public holiday); sending
 *   and parsing the rest was a third of a 200-site answer's time;
 * - the radius is checked on the walk's first `max_sites` sites rather than on every site it visits:
 *   the walk is nearest-first, so the sites in the box but beyond the radius all come after those within
 *   it. The check rebuilds the site's point from its coordinates, the largest cost per site of a filtered
 *   walk, which passes over ten sites for each one it keeps when a tenth of the sites match.
 * The query is otherwise 1732000006001's, repeated as it stands because a migration's SQL is what ran,
 * not a shared piece that could change under it.
 */
export class NearbySitesLeanerWalk1732000006002 implements MigrationInterface {
  name = 'NearbySitesLeanerWalk1732000006002';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).isPostgres) return;
    await dropNearbySitesFunction(queryRunner, PREVIOUS_ARGUMENTS);
    const cube = await cubeSchemaOf(queryRunner);
    const point = `${EARTH_POINT_FUNCTION}(s.latitude, s.longitude)`;
    const centre = `${EARTH_POINT_FUNCTION}(at_lat, at_lon)`;
    // Argument names differ from the columns: in an SQL function a column of the same name would win.
    await queryRunner.query(
      `CREATE FUNCTION ${NEARBY_SITES_FUNCTION}(
         at_lat double precision, at_lon double precision, within_chord double precision, max_sites integer,
         store_filter text[], pickup_filter text[], unread_hours text[])
       RETURNS TABLE (id integer, name varchar, source varchar, road_address varchar, latitude double precision,
         longitude double precision, store_category varchar, pickup_categories varchar, opening_hours jsonb,
         phone varchar, homepage_url varchar)
       LANGUAGE sql STABLE PARALLEL SAFE
       SET enable_bitmapscan = off
       AS $$
         SELECT s.id, s.name, s.source, s.road_address, s.latitude, s.longitude, s.store_category,
                s.pickup_categories, s.opening_hours, s.phone, s.homepage_url
           FROM (
             SELECT s.id, s.name, s.source, s.road_address, s.latitude, s.longitude, s.store_category,
                    s.pickup_categories, s.opening_hours - unread_hours AS opening_hours, s.phone, s.homepage_url,
                    ${point} OPERATOR(${cube}.<->) ${centre} AS chord
               FROM location_sites s
              WHERE s.retired_at IS NULL
                AND ${cube}.cube_enlarge(${centre}, within_chord, 3) OPERATOR(${cube}.@>) ${point}
                AND (store_filter IS NULL OR s.store_category = ANY(store_filter))
                AND (pickup_filter IS NULL OR string_to_array(s.pickup_categories, ',') && pickup_filter)
              ORDER BY chord
              LIMIT max_sites) s
          WHERE s.chord <= within_chord
          ORDER BY s.chord
       $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).isPostgres) return;
    await dropNearbySitesFunction(queryRunner, `${PREVIOUS_ARGUMENTS}, text[]`);
    await new NearbySitesFunction1732000006001().up(queryRunner);
  }
}

const PREVIOUS_ARGUMENTS = 'double precision, double precision, double precision, integer, text[], text[]';

async function dropNearbySitesFunction(queryRunner: QueryRunner, argumentTypes: string): Promise<void> {
  await queryRunner.query(`DROP FUNCTION ${NEARBY_SITES_FUNCTION}(${argumentTypes})`);
}
