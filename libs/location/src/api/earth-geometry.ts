/** The sphere every distance here is measured on (as geokdbush and the reference's SQL fallback). */
export const EARTH_RADIUS_M = 6_371_000;

/** Name of the SQL function (created by the location migration) that maps lat/lon to a cube point. */
export const EARTH_POINT_FUNCTION = 'location_earth_point';

/** Name of the SQL function (created by the location migrations) answering a nearby query on PostgreSQL. */
export const NEARBY_SITES_FUNCTION = 'location_nearby_sites';

const rad = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function greatCircleMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Straight-line (chord) length through the sphere for a great-circle distance: what cube's `<->` measures. */
export function chordMetres(greatCircle: number): number {
  return 2 * EARTH_RADIUS_M * Math.sin(Math.min(Math.PI, greatCircle / EARTH_RADIUS_M) / 2);
}

/** "850m" under 1 km, else "1.2km", as the app shows it. */
export function distanceText(metres: number): string {
  return metres < 1000 ? `${Math.floor(metres)}m` : `${(metres / 1000).toFixed(1)}km`;
}

const HILBERT_ORDER = 16;
const HILBERT_SIDE = 2 ** HILBERT_ORDER;

/**
 * Position of a point along a Hilbert curve over the whole globe (cells of ~600 m by ~600 m at Korea's
 * latitudes): points close on the curve are close on the ground, so rows written in this order put
 * neighbours on the same pages, and a nearby query reads a few pages rather than one per site.
 */
export function hilbertIndex(latitude: number, longitude: number): number {
  const cell = (value: number, low: number, span: number): number =>
    Math.min(HILBERT_SIDE - 1, Math.max(0, Math.floor(((value - low) / span) * HILBERT_SIDE)));
  let x = cell(longitude, -180, 360);
  let y = cell(latitude, -90, 180);
  let index = 0;
  for (let side = HILBERT_SIDE / 2; side >= 1; side /= 2) {
    const right = x >= side ? 1 : 0;
    const up = y >= side ? 1 : 0;
    index += side * side * ((3 * right) ^ up);
    x -= right * side;
    y -= up * side;
    if (up === 0) {
      if (right === 1) {
        x = side - 1 - x;
        y = side - 1 - y;
      }
      [x, y] = [y, x];
    }
  }
  return index;
}
