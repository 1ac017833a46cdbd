import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
 * entries read at the query's moment.
 */
@Injectable()
export class PostgresSiteIndex extends NearbySiteIndex {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  invalidate(): void {
    // Nothing cached: PostgreSQL maintains the index as rows change.
  }

  async nearby(query: NearbyQuery): Promise<NearbySite[]> {
    const [{ sites }] = (await this.dataSource.query(
      `SELECT ${NEARBY_SITES_FUNCTION}($1, $2, $3, $4, $5::text[], $6::text[], $7::text[]) AS sites`,
      [
        query.latitude,
        query.longitude,
        chordMetres(query.radiusM),
        query.limit,
        query.storeCategories && [...query.storeCategories],
        query.pickupCategories && [...query.pickupCategories],
        entriesUnreadAt(query.hoursReadAt),
      ],
    )) as [{ sites: string }];
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
