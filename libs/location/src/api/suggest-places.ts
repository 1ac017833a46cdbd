import { Injectable } from '@nestjs/common';
import { greatCircleMetres } from './earth-geometry.js';
import type { PlaceSuggestionDto } from '../dto/place-suggestion.dto.js';
import { KakaoLocalClient } from './kakao-local-client.js';
import { RecyclingSiteRepository } from '../recycling-site.repository.js';
import { sitesMatchingText } from './site-text-match.js';

const MAX_SUGGESTIONS = 5;
const SAME_PLACE_M = 50;

/** `GET /suggest`: up to five places for the search box, our sites first, then Kakao's when configured. */
@Injectable()
export class SuggestPlaces {
  constructor(
    private readonly sites: RecyclingSiteRepository,
    private readonly kakao: KakaoLocalClient,
  ) {}

  async execute(text: string): Promise<PlaceSuggestionDto[]> {
    const [matches, places] = await Promise.all([
      sitesMatchingText(this.sites, text),
      this.kakao.keyword({ query: text, size: MAX_SUGGESTIONS }),
    ]);
    const ours: PlaceSuggestionDto[] = matches.slice(0, MAX_SUGGESTIONS).map((site) => ({
      place_name: site.name,
      address: site.roadAddress,
      latitude: site.latitude,
      longitude: site.longitude,
      place_url: site.homepageUrl,
    }));
    const theirs: PlaceSuggestionDto[] = places
      .map((place) => ({
        place_name: place.place_name,
        address: place.road_address_name || place.address_name || null,
        latitude: Number(place.y),
        longitude: Number(place.x),
        place_url: place.place_url || null,
      }))
      .filter(
        (place) =>
          !ours.some(
            (o) => greatCircleMetres(o.latitude, o.longitude, place.latitude, place.longitude) < SAME_PLACE_M,
          ),
      );
    return [...ours, ...theirs].slice(0, MAX_SUGGESTIONS);
  }
}
