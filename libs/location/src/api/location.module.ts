import { Module } from '@nestjs/common';
import { CenterDetail } from './center-detail.js';
import { KakaoLocalClient } from './kakao-local-client.js';
import { LocationController } from './location.controller.js';
import { LocationSitesModule } from './location-sites.module.js';
import { NearbyPlacesModule } from './nearby-places.module.js';
import { NearbyCenters } from './nearby-centers.js';
import { SearchCenters } from './search-centers.js';
import { SuggestPlaces } from './suggest-places.js';

/** `/api/v1/locations`: recycling sites near a point, search, suggestions, detail. */
@Module({
  imports: [LocationSitesModule, NearbyPlacesModule],
  controllers: [LocationController],
  providers: [NearbyCenters, CenterDetail, SearchCenters, SuggestPlaces, KakaoLocalClient],
})
export class LocationModule {}
