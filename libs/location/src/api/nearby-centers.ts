import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import type { CentersQuery } from '../dto/centers-query.dto.js';
import type { LocationEntryDto } from '../dto/location-entry.dto.js';
import { siteEntry } from './location-entry.js';
import { NearbySiteIndex } from './nearby-site-index.js';
import { koreaMomentOf } from './opening-hours.js';

export const DEFAULT_RADIUS_M = 5000;
const DEFAULT_LIMIT = 200;

/*
 * The reference's zoom table (1 = farthest … 20 = closest). The app sends 16 − Kakao map level, so its
 * zoom already grows as the map gets closer and indexes this table directly.
 */
const RADIUS_BY_ZOOM = [
  80_000, 60_000, 45_000, 30_000, 20_000, 15_000, 10_000, 8_000, 6_000, 4_500, 3_000, 2_000, 1_200, 800, 500,
  300, 200, 150, 120, 100,
];

export function radiusForZoom(zoom: number | undefined): number {
  return zoom === undefined ? DEFAULT_RADIUS_M : RADIUS_BY_ZOOM[Math.min(20, Math.max(1, zoom)) - 1];
}

/** Far zooms show fewer markers: 50 (≤3), 80 (4–6), 120 (7–9), 160 (10–12), 200 (≥13). */
export function limitForZoom(zoom: number | undefined): number {
  if (zoom === undefined) return DEFAULT_LIMIT;
  if (zoom <= 3) return 50;
  if (zoom <= 6) return 80;
  if (zoom <= 9) return 120;
  if (zoom <= 12) return 160;
  return 200;
}

/** `GET /centers`: the nearest sites around a point, filtered, nearest first. */
@Injectable()
export class NearbyCenters {
  constructor(
    private readonly index: NearbySiteIndex,
    private readonly clock: Clock,
  ) {}

  async execute(query: CentersQuery): Promise<LocationEntryDto[]> {
    const moment = koreaMomentOf(this.clock.now());
    const found = await this.index.nearby({
      latitude: query.lat,
      longitude: query.lon,
      radiusM: query.radius ?? radiusForZoom(query.zoom),
      limit: query.limit ?? limitForZoom(query.zoom),
      storeCategories: query.store_category ? new Set(query.store_category) : null,
      pickupCategories: query.pickup_category ? new Set(query.pickup_category) : null,
      hoursReadAt: moment,
    });
    return found.map(({ site, distanceM }) => siteEntry(site, distanceM, moment));
  }
}
