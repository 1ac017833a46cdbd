export { NearbyPlacesModule } from './nearby-places.module.js';
export { NearbyPlaces, type NearbyPlace, type PlaceKind } from './nearby-places.js';
