import { Module } from '@nestjs/common';
import { LocationSitesModule } from './location-sites.module.js';
import { NearbyPlaces } from './nearby-places.js';
import { ShippedSitesImport } from './shipped-sites-import.js';

/**
 * The place search other domains use in-process (the chat assistant's location tools), with the
 * shipped sites imported on boot wherever it runs: the AI worker may be the first pod to start.
 */
@Module({
  imports: [LocationSitesModule],
  providers: [NearbyPlaces, ShippedSitesImport],
  exports: [NearbyPlaces],
})
export class NearbyPlacesModule {}
