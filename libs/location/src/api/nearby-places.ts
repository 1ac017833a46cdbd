import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import type { LocationEntryDto } from '../dto/location-entry.dto.js';
import { siteEntry } from './location-entry.js';
import { koreaMomentOf } from './opening-hours.js';
import { NearbySiteIndex } from './nearby-site-index.js';
import { RecyclingSiteRepository } from '../recycling-site.repository.js';
import type { PickupCategory, StoreCategory } from './site-categories.js';

/** What a caller (the chat assistant) may ask for by everyday name. */
export const PLACE_KINDS = [
  'any',
  'battery',
  'lamp',
  'clothing',
  'electronics',
  'pet',
  'can',
  'paper',
  'plastic',
  'glass',
  'buyback',
  'zero_waste',
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

interface KindFilter {
  pickup?: PickupCategory[];
  store?: StoreCategory[];
  source?: string;
  /** Items the site's own list must name: the pickup categories are too coarse for these. */
  itemWords?: RegExp;
}

const FILTERS: Record<PlaceKind, KindFilter> = {
  any: {},
  // Batteries and lamps fall under `electronics`, which also means phones and appliances: the site's
  // collected-items text decides.
  battery: { pickup: ['electronics'], itemWords: /건전지|폐전지|배터리|battery/i },
  lamp: { pickup: ['electronics'], itemWords: /형광등|전구|조명|lamp/i },
  clothing: { pickup: ['textile'] },
  electronics: { pickup: ['electronics'] },
  pet: { pickup: ['clear_pet', 'colored_pet'] },
  can: { pickup: ['can'] },
  paper: { pickup: ['paper'] },
  plastic: { pickup: ['plastic'] },
  glass: { pickup: ['glass'] },
  // KECO's sites are the buy-back (유가보상) ones: clean recyclables are paid for there.
  buyback: { source: 'keco' },
  zero_waste: { store: ['refill_zero'] },
};

export interface NearbyPlacesQuery {
  latitude: number;
  longitude: number;
  kind: PlaceKind;
  limit: number;
  radiusM: number;
}

export interface NearbyPlace extends LocationEntryDto {
  /** What the site says it collects (its own words), when it says. */
  collection_items: string | null;
}

/** Candidates looked at per requested place when the item words filter after the index. */
const CANDIDATES_PER_RESULT = 10;

/**
 * Sites near a point for one everyday kind of item, nearest first, with distances and today's
 * opening state: what other domains (the chat assistant's place tools) ask the location lib.
 */
@Injectable()
export class NearbyPlaces {
  constructor(
    private readonly index: NearbySiteIndex,
    private readonly sites: RecyclingSiteRepository,
    private readonly clock: Clock,
  ) {}

  async find(query: NearbyPlacesQuery): Promise<NearbyPlace[]> {
    const filter = FILTERS[query.kind];
    const narrowsAfter = filter.itemWords !== undefined || filter.source !== undefined;
    const moment = koreaMomentOf(this.clock.now());
    const found = await this.index.nearby({
      latitude: query.latitude,
      longitude: query.longitude,
      radiusM: query.radiusM,
      limit: narrowsAfter ? query.limit * CANDIDATES_PER_RESULT : query.limit,
      storeCategories: filter.store ? new Set(filter.store) : null,
      pickupCategories: filter.pickup ? new Set(filter.pickup) : null,
      hoursReadAt: moment,
    });
    const items = await this.sites.collectionItemsOf(found.map(({ site }) => site.id));
    return found
      .filter(({ site }) => filter.source === undefined || site.source === filter.source)
      .filter(({ site }) => !filter.itemWords || filter.itemWords.test(items.get(site.id) ?? ''))
      .slice(0, query.limit)
      .map(({ site, distanceM }) => ({
        ...siteEntry(site, distanceM, moment),
        collection_items:
          items
            .get(site.id)
            ?.replace(/\s*\n\s*/g, ', ')
            .slice(0, 300) || null,
      }));
  }
}
