import { distanceText } from './earth-geometry.js';
import type { LocationEntryDto } from '../dto/location-entry.dto.js';
import { openStateAt, type HoursExcerpt, type KoreaMoment } from './opening-hours.js';
import type { SiteSummary } from '../recycling-site.repository.js';

/**
 * What a list entry is made from: a stored site whose opening hours may hold only the entries read at
 * the moment the entry is made for (see entriesUnreadAt).
 */
export type ListedSite = Omit<SiteSummary, 'openingHours'> & { openingHours: HoursExcerpt };

/** A stored site as a list entry, its hours evaluated at `moment`. */
export function siteEntry(site: ListedSite, distanceM: number, moment: KoreaMoment): LocationEntryDto {
  return {
    id: site.id,
    name: site.name,
    source: site.source,
    road_address: site.roadAddress,
    latitude: site.latitude,
    longitude: site.longitude,
    distance_km: Number((distanceM / 1000).toFixed(6)),
    distance_text: distanceText(distanceM),
    store_category: site.storeCategory,
    pickup_categories: site.pickupCategories.split(','),
    ...openStateAt(site.openingHours, moment),
    phone: site.phone,
    place_url: site.homepageUrl,
    kakao_place_id: null,
  };
}
