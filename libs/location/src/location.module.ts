import { Module } from '@nestjs/common';
import { CenterDetail } from './center-detail.js';
import { KakaoLocalClient } from './kakao-local-client.js';
import { LocationController } from './location.controller.js';
import { LocationSitesModule } from './location-sites.module.js';
import { NearbyCenters } from './nearby-centers.js';
import { SearchCenters } from './search-centers.js';
import { ShippedSitesImport } from './shipped-sites-import.js';
import { SuggestPlaces } from './suggest-places.js';

/** `/api/v1/locations`: recycling sites near a point, search, suggestions, detail. */
@Module({
  imports: [LocationSitesModule],
  controllers: [LocationController],
  providers: [
    NearbyCenters,
    CenterDetail,
    SearchCenters,
    SuggestPlaces,
    KakaoLocalClient,
    ShippedSitesImport,
  ],
})
export class LocationModule {}
