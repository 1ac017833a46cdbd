import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { chordMetres, EARTH_POINT_FUNCTION, greatCircleMetres } from './earth-geometry.js';
import { NearbySiteIndex, type NearbyQuery, type NearbySite } from './nearby-site-index.js';
import type { SiteSummary } from '../recycling-site.repository.js';

interface SiteRow {
  id: number;
  name: string;
  source: string;
  road_address: string | null;
  latitude: number;
  longitude: number;
  store_category: string;
  pickup_categories: string;
  opening_hours: SiteSummary['openingHours'];
  phone: string | null;
  homepage_url: string | null;
}

/**
 * PostgreSQL's spatial index: a GiST index on each active site's point on the sphere (cube extension,
 * see the location migration). The box condition lets the index find candidates, `<->` (chord length,
 * which orders exactly as great-circle distance does) walks them nearest-first, and the category
 * conditions sit in the same WHERE, so LIMIT counts only matching sites.
 */
@Injectable()
export class PostgresSiteIndex extends NearbySiteIndex {
  private cubeSchema: Promise<string> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  invalidate(): void {
    // Nothing cached: PostgreSQL maintains the index as rows change.
  }

  async nearby(query: NearbyQuery): Promise<NearbySite[]> {
    const cube = await this.cubeSchemaName();
    const point = `${EARTH_POINT_FUNCTION}(latitude, longitude)`;
    const centre = `${EARTH_POINT_FUNCTION}($1, $2)`;
    const params: unknown[] = [query.latitude, query.longitude, chordMetres(query.radiusM), query.limit];
    const filters: string[] = [];
    if (query.storeCategories) {
      params.push([...query.storeCategories]);
      filters.push(`AND store_category = ANY($${params.length}::text[])`);
    }
    if (query.pickupCategories) {
      params.push([...query.pickupCategories]);
      filters.push(`AND string_to_array(pickup_categories, ',') && $${params.length}::text[]`);
    }
    const rows = (await this.dataSource.query(
      `SELECT id, name, source, road_address, latitude, longitude, store_category, pickup_categories,
              opening_hours, phone, homepage_url
         FROM location_sites
        WHERE retired_at IS NULL
          AND ${cube}.cube_enlarge(${centre}, $3, 3) OPERATOR(${cube}.@>) ${point}
          AND ${point} OPERATOR(${cube}.<->) ${centre} <= $3
          ${filters.join(' ')}
        ORDER BY ${point} OPERATOR(${cube}.<->) ${centre}
        LIMIT $4`,
      params,
    )) as SiteRow[];
    return rows.map((row) => ({
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

  /** The extension may live in any schema; operators and functions are named with it explicitly. */
  private cubeSchemaName(): Promise<string> {
    this.cubeSchema ??= this.dataSource
      .query(
        "SELECT quote_ident(n.nspname) AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'cube'",
      )
      .then((rows: { schema: string }[]) => {
        if (!rows[0])
          throw new Error('the cube extension is not installed (location migration not applied?)');
        return rows[0].schema;
      })
      .catch((error: unknown) => {
        this.cubeSchema = undefined;
        throw error;
      });
    return this.cubeSchema;
  }
}
