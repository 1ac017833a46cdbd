import { distanceText } from './earth-geometry.js';
import type { LocationEntryDto } from '../dto/location-entry.dto.js';
import { openStateAt } from './opening-hours.js';
import type { SiteSummary } from '../recycling-site.repository.js';

/** A stored site as a list entry, its hours evaluated at `now`. */
export function siteEntry(site: SiteSummary, distanceM: number, now: Date): LocationEntryDto {
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
    ...openStateAt(site.openingHours, now),
    phone: site.phone,
    place_url: site.homepageUrl,
    kakao_place_id: null,
  };
}
