import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { distanceText, greatCircleMetres } from './earth-geometry.js';
import type { LocationEntryDto } from '../dto/location-entry.dto.js';
import type { SearchQuery } from '../dto/search-query.dto.js';
import { KakaoLocalClient, type KakaoPlace } from './kakao-local-client.js';
import { siteEntry, type ListedSite } from './location-entry.js';
import { koreaMomentOf } from './opening-hours.js';
import { NearbySiteIndex } from './nearby-site-index.js';
import { DEFAULT_RADIUS_M } from './nearby-centers.js';
import { RecyclingSiteRepository } from '../recycling-site.repository.js';
import { sitesMatchingText } from './site-text-match.js';

const MAX_RESULTS = 50;
/** A Kakao place this close to one of our sites is that site: show ours only. */
const SAME_PLACE_M = 50;

interface Point {
  latitude: number;
  longitude: number;
}

/**
 * `GET /search`: sites whose name or address matches, around the best match (the "anchor"): our best
 * textual match, else Kakao's first hit, around which our nearby sites are listed. Distances are from
 * lat/lon when given, else from the anchor, which then comes first. Kakao places are merged in only when
 * a key is configured, and never duplicate one of our sites.
 */
@Injectable()
export class SearchCenters {
  constructor(
    private readonly sites: RecyclingSiteRepository,
    private readonly index: NearbySiteIndex,
    private readonly kakao: KakaoLocalClient,
    private readonly clock: Clock,
  ) {}

  async execute(query: SearchQuery): Promise<LocationEntryDto[]> {
    const radiusM = query.radius ?? DEFAULT_RADIUS_M;
    const user =
      query.lat !== undefined && query.lon !== undefined
        ? { latitude: query.lat, longitude: query.lon }
        : null;
    const [matches, kakaoHits] = await Promise.all([
      sitesMatchingText(this.sites, query.q),
      this.kakao.keyword({
        query: query.q,
        sort: 'accuracy',
        ...(user ? { near: { ...user, radiusM: 20_000 } } : {}),
      }),
    ]);
    const anchor: Point | null = matches[0] ?? kakaoPoint(kakaoHits[0]);
    if (!anchor) return [];
    const within = (p: Point): boolean =>
      greatCircleMetres(anchor.latitude, anchor.longitude, p.latitude, p.longitude) <= radiusM;

    const moment = koreaMomentOf(this.clock.now());
    const ours: ListedSite[] =
      matches.length > 0
        ? matches.filter(within)
        : (
            await this.index.nearby({
              ...anchor,
              radiusM,
              limit: MAX_RESULTS,
              storeCategories: null,
              pickupCategories: null,
              hoursReadAt: moment,
            })
          ).map((n) => n.site);
    const aroundAnchor =
      this.kakao.isConfigured && matches.length > 0
        ? await this.kakao.keyword({ query: query.q, sort: 'distance', near: { ...anchor, radiusM } })
        : kakaoHits;
    const theirs = aroundAnchor.filter((place) => {
      const point = kakaoPoint(place)!;
      return (
        within(point) &&
        !ours.some(
          (site) =>
            greatCircleMetres(site.latitude, site.longitude, point.latitude, point.longitude) < SAME_PLACE_M,
        )
      );
    });

    const origin = user ?? anchor;
    const distanceFrom = (p: Point): number =>
      greatCircleMetres(origin.latitude, origin.longitude, p.latitude, p.longitude);
    // The anchor is listed first, so the stable sort keeps it ahead of anything at the same distance.
    const entries = [
      ...ours.map((site) => siteEntry(site, distanceFrom(site), moment)),
      ...theirs.map((place) => kakaoEntry(place, distanceFrom(kakaoPoint(place)!))),
    ];
    return entries.sort((a, b) => a.distance_km - b.distance_km).slice(0, MAX_RESULTS);
  }
}

function kakaoPoint(place: KakaoPlace | undefined): Point | null {
  return place ? { latitude: Number(place.y), longitude: Number(place.x) } : null;
}

/** A Kakao place we do not store: negative id (the reference's convention), no categories or hours. */
function kakaoEntry(place: KakaoPlace, distanceM: number): LocationEntryDto {
  const point = kakaoPoint(place)!;
  return {
    id: -Number(place.id) || 0,
    name: place.place_name,
    source: 'kakao',
    road_address: place.road_address_name || place.address_name || null,
    latitude: point.latitude,
    longitude: point.longitude,
    distance_km: Number((distanceM / 1000).toFixed(6)),
    distance_text: distanceText(distanceM),
    store_category: 'general',
    pickup_categories: ['general'],
    is_open: null,
    is_holiday: null,
    start_time: null,
    end_time: null,
    phone: place.phone || null,
    place_url: place.place_url || null,
    kakao_place_id: place.id,
  };
}
