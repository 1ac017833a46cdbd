import type { MigrationInterface, QueryRunner } from 'typeorm';
import { portableTypes } from '#platform';
import { EARTH_POINT_FUNCTION, NEARBY_SITES_FUNCTION } from '../api/earth-geometry.js';
import { cubeSchemaOf } from './cube-schema.js';
import { NearbySitesFunction1732000006001 } from './1732000006001-nearby-sites-function.js';
import { NearbySitesLeanerWalk1732000006002 } from './1732000006002-nearby-sites-leaner-walk.js';

const WALK = 'location_nearby_sites_walk';
const BY_STORE = 'location_nearby_sites_by_store_category';
const BY_PICKUP = 'location_nearby_sites_by_pickup_category';
const PICKUP_INDEX = 'ix_location_sites_pickup_categories';
const STORE_INDEX = 'ix_location_sites_store_category';

/**
 * The nearby function (1732000006001 says why a function), changed in two ways:
 *
 * - It answers with one JSON array (text) instead of a row per site. The pg client builds a row's
 *   objects while it reads the socket, and in a process answering queries back to back most of them
 *   were still reachable at the next young-generation collection (41–60 % of what the client allocated
 *   survived, against 3 % for the same objects built after the query): each collection copied ~6 MB and
 *   paused the process 5–15 ms, once every 30–50 queries, which made the bench's p99. One string per
 *   answer, parsed by the caller, survives as one string.
 * - A category that few sites have is looked up by category, not by walking the box. The walk visits
 *   sites nearest-first and keeps those that match; with 2 or 23 matching sites in 100 000 it passes
 *   over every site in the box (50 000 in 60 km over Seoul, ~100 ms). The function reads the table's
 *   statistics (most common values of `store_category`; most common elements of the pickup
 *   index's array), so the choice costs no scan. The category path is taken when the expected matches m
 *   satisfy m² ≤ max_sites × sites: it reads m sites, the walk ~max_sites × sites ÷ m of them in a dense
 *   area. Without statistics (a table never analysed) the walk is taken, as before.
 * Both paths return the sites within the radius, nearest first, at most `max_sites`.
 * 1732000006002's query is repeated as it stands because a migration's SQL is what ran.
 */
export class NearbySitesAsJson1732000006003 implements MigrationInterface {
  name = 'NearbySitesAsJson1732000006003';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).isPostgres) return;
    await queryRunner.query(`DROP FUNCTION ${NEARBY_SITES_FUNCTION}(${ARGUMENT_TYPES})`);
    const cube = await cubeSchemaOf(queryRunner);
    const point = `${EARTH_POINT_FUNCTION}(s.latitude, s.longitude)`;
    const centre = `${EARTH_POINT_FUNCTION}(at_lat, at_lon)`;
    const pickupArray = "string_to_array(s.pickup_categories, ',')";
    await queryRunner.query(
      `CREATE INDEX ${STORE_INDEX} ON location_sites (store_category) WHERE retired_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ${PICKUP_INDEX} ON location_sites USING gin ((string_to_array(pickup_categories, ','))) WHERE retired_at IS NULL`,
    );
    // One JSON object per site, its keys the columns below (the caller maps them; `chord` is left over).
    const answer = "coalesce(json_agg(s ORDER BY s.chord), '[]')::text";
    const columns = (chord: string) => `s.id, s.name, s.source, s.road_address, s.latitude, s.longitude,
        s.store_category, s.pickup_categories, s.opening_hours - unread_hours AS opening_hours, s.phone,
        s.homepage_url, ${chord} AS chord`;
    const storeMatches = '(store_filter IS NULL OR s.store_category = ANY(store_filter))';
    const pickupMatches = `(pickup_filter IS NULL OR ${pickupArray} && pickup_filter)`;
    const signature = `(at_lat double precision, at_lon double precision, within_chord double precision,
         max_sites integer, store_filter text[], pickup_filter text[], unread_hours text[])`;
    // The nearest `max_sites` sites of `matching`, by `chord`, as one JSON text; `radius` filters after
    // the LIMIT (the walk's way, see below) or is part of `matching`.
    const answerFunction = (
      name: string,
      plannerSetting: string,
      chord: string,
      matching: string,
      radius = '',
    ) =>
      queryRunner.query(
        `CREATE FUNCTION ${name}${signature} RETURNS text
         LANGUAGE sql STABLE PARALLEL SAFE
         SET ${plannerSetting}
         AS $$
           SELECT ${answer}
             FROM (
               SELECT ${columns(chord)}
                 FROM location_sites s
                WHERE s.retired_at IS NULL AND ${matching} AND ${storeMatches} AND ${pickupMatches}
                ORDER BY chord
                LIMIT max_sites) s
            ${radius}
         $$`,
      );
    // 1732000006002's walk; the radius is checked on its first max_sites sites (see there why).
    await answerFunction(
      WALK,
      'enable_bitmapscan = off',
      `${point} OPERATOR(${cube}.<->) ${centre}`,
      `${cube}.cube_enlarge(${centre}, within_chord, 3) OPERATOR(${cube}.@>) ${point}`,
      'WHERE s.chord <= within_chord',
    );
    // The category paths read every matching site through the category's index and keep those within
    // the radius. Inside a function the planner sees the category as a parameter and guesses a share of
    // the table that would make it scan the whole table (the choice to come here was made on the
    // category's statistics), so sequential scans are off; and the distance is cube_distance(), the
    // function behind `<->`, which the GiST index cannot serve, for the planner not to walk the box again.
    const chordByFunction = `${cube}.cube_distance(${point}, ${centre})`;
    for (const [name, driver] of [
      [BY_STORE, 's.store_category = ANY(store_filter)'],
      [BY_PICKUP, `${pickupArray} && pickup_filter`],
    ]) {
      await answerFunction(
        name,
        'enable_seqscan = off',
        chordByFunction,
        `${driver} AND ${chordByFunction} <= within_chord`,
      );
    }
    // The choice. Statistics: the share of rows holding each most common value of `store_category` and
    // each most common element of the pickup index's array, kept by ANALYZE (or autovacuum); a value
    // missing from the list is rarer than every value on it and counts as none. No statistics: the walk.
    // PL/pgSQL keeps the plans of these look-ups for the session; an SQL function would plan them per call.
    const call = '(at_lat, at_lon, within_chord, max_sites, store_filter, pickup_filter, unread_hours)';
    // The look-ups name the schema and relation as values: joined on pg_class instead, pg_stats is
    // planned as a scan of every statistic in the database (20 ms with a few hundred).
    const shareOf = (filter: string, statistic: string, values: string, freqs: string) =>
      `SELECT coalesce(sum(f.freq), 0) INTO ${filter.replace('filter', 'share')}
         FROM pg_stats st
         LEFT JOIN unnest(st.${values}::text::text[], st.${freqs}) AS f(value, freq) ON f.value = ANY(${filter})
        WHERE st.schemaname = site_schema AND ${statistic}
        GROUP BY st.attname`;
    await queryRunner.query(
      `CREATE FUNCTION ${NEARBY_SITES_FUNCTION}${signature} RETURNS text
       LANGUAGE plpgsql STABLE PARALLEL SAFE
       AS $$
       DECLARE
         site_schema name;
         sites double precision;
         store_share double precision;
         pickup_share double precision;
       BEGIN
         IF store_filter IS NULL AND pickup_filter IS NULL THEN
           RETURN ${WALK}${call};
         END IF;
         SELECT n.nspname, greatest(c.reltuples, 0) INTO site_schema, sites
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.oid = 'location_sites'::regclass;
         IF store_filter IS NOT NULL THEN
           ${shareOf('store_filter', "st.tablename = 'location_sites' AND st.attname = 'store_category'", 'most_common_vals', 'most_common_freqs')};
         END IF;
         IF pickup_filter IS NOT NULL THEN
           ${shareOf('pickup_filter', `st.tablename = '${PICKUP_INDEX}'`, 'most_common_elems', 'most_common_elem_freqs')};
         END IF;
         IF coalesce((least(store_share, pickup_share) * sites) ^ 2 > max_sites * sites, true) THEN
           RETURN ${WALK}${call};
         ELSIF pickup_share IS NULL OR store_share <= pickup_share THEN
           RETURN ${BY_STORE}${call};
         END IF;
         RETURN ${BY_PICKUP}${call};
       END
       $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).isPostgres) return;
    const signature = `(${ARGUMENT_TYPES})`;
    for (const name of [NEARBY_SITES_FUNCTION, WALK, BY_STORE, BY_PICKUP]) {
      await queryRunner.query(`DROP FUNCTION ${name}${signature}`);
    }
    await queryRunner.query(`DROP INDEX ${PICKUP_INDEX}`);
    await queryRunner.query(`DROP INDEX ${STORE_INDEX}`);
    // 1732000006002 replaces 1732000006001's function: recreate that first, for it to replace.
    await new NearbySitesFunction1732000006001().up(queryRunner);
    await new NearbySitesLeanerWalk1732000006002().up(queryRunner);
  }
}

const ARGUMENT_TYPES =
  'double precision, double precision, double precision, integer, text[], text[], text[]';
