export { NearbyPlacesModule } from './api/nearby-places.module.js';
export { NearbyPlaces, type NearbyPlace, type PlaceKind } from './api/nearby-places.js';
