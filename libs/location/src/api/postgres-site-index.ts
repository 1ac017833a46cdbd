import { Injectable } from '@nestjs/common';
import { PreparedReads, type PreparedRead } from '#platform';
import { chordMetres, greatCircleMetres, NEARBY_SITES_FUNCTION } from './earth-geometry.js';
import { NearbySiteIndex, type NearbyQuery, type NearbySite } from './nearby-site-index.js';
import { entriesUnreadAt, type HoursExcerpt } from './opening-hours.js';

interface SiteRow {
  id: number;
  name: string;
  source: string;
  road_address: string | null;
  latitude: number;
  longitude: number;
  store_category: string;
  pickup_categories: string;
  opening_hours: HoursExcerpt;
  phone: string | null;
  homepage_url: string | null;
}

/**
 * PostgreSQL's spatial index: a GiST index on each active site's point on the sphere (cube extension),
 * walked nearest-first inside the radius's box by the SQL function the location migrations create (see
 * there why a function); a category few sites have is looked up by category instead. The category
 * conditions sit in the same WHERE, so LIMIT counts only matching sites. One round trip per query, one
 * JSON text per answer (see migration 1732000006003 why not rows); of the opening hours, only the
 * entries read at the query's moment. Run as a prepared read (pg's pool) rather than through TypeORM's
 * query runner, which awaits pg's promise-returning `client.query`: that way each answer's text outlived
 * the young-generation collections (67 of 223 MB promoted per 1 000 queries, against 0.1 of 214), and the
 * old generation's collections set the tail (docs/PERFORMANCE.md, Locations).
 */
@Injectable()
export class PostgresSiteIndex extends NearbySiteIndex {
  private nearbySites?: PreparedRead;

  constructor(private readonly preparedReads: PreparedReads) {
    super();
  }

  invalidate(): void {
    // Nothing cached: PostgreSQL maintains the index as rows change.
  }

  async nearby(query: NearbyQuery): Promise<NearbySite[]> {
    // Prepared on first use: the provider exists in every location pod, only PostgreSQL ones query it.
    this.nearbySites ??= this.preparedReads.prepare(
      `SELECT ${NEARBY_SITES_FUNCTION}(:latitude, :longitude, :chord, :limit,
        CAST(:storeCategories AS text[]), CAST(:pickupCategories AS text[]), CAST(:unreadEntries AS text[]))
        AS sites`,
    );
    const [{ sites }] = (await this.nearbySites({
      latitude: query.latitude,
      longitude: query.longitude,
      chord: chordMetres(query.radiusM),
      limit: query.limit,
      storeCategories: query.storeCategories && [...query.storeCategories],
      pickupCategories: query.pickupCategories && [...query.pickupCategories],
      unreadEntries: entriesUnreadAt(query.hoursReadAt),
    })) as [{ sites: string }];
    return (JSON.parse(sites) as SiteRow[]).map((row) => ({
      site: {
        id: row.id,
        name: row.name,
        source: row.source,
        roadAddress: row.road_address,
        latitude: row.latitude,
        longitude: row.longitude,
        storeCategory: row.store_category,
        pickupCategories: row.pickup_categories,
        openingHours: row.opening_hours,
        phone: row.phone,
        homepageUrl: row.homepage_url,
      },
      distanceM: greatCircleMetres(query.latitude, query.longitude, row.latitude, row.longitude),
    }));
  }
}
