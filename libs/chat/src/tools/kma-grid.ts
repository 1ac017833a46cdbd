/**
 * The Korea Meteorological Administration's forecast grid: a Lambert conformal conic projection
 * (standard parallels 30° and 60° N, origin 38° N 126° E at grid point (43, 136), 5 km cells), as in
 * the KMA's published conversion for VilageFcstInfoService (동네예보 격자 변환).
 */
const EARTH_RADIUS_KM = 6371.00877;
const CELL_KM = 5.0;
const STANDARD_PARALLEL_1 = 30.0;
const STANDARD_PARALLEL_2 = 60.0;
const ORIGIN_LONGITUDE = 126.0;
const ORIGIN_LATITUDE = 38.0;
const ORIGIN_X = 43;
const ORIGIN_Y = 136;

const RADIANS = Math.PI / 180;

export interface KmaGridPoint {
  nx: number;
  ny: number;
}

export function kmaGridPoint(latitude: number, longitude: number): KmaGridPoint {
  const re = EARTH_RADIUS_KM / CELL_KM;
  const slat1 = STANDARD_PARALLEL_1 * RADIANS;
  const slat2 = STANDARD_PARALLEL_2 * RADIANS;
  const olon = ORIGIN_LONGITUDE * RADIANS;
  const olat = ORIGIN_LATITUDE * RADIANS;
  const tanHalf = (lat: number): number => Math.tan(Math.PI * 0.25 + lat * 0.5);
  const sn = Math.log(Math.cos(slat1) / Math.cos(slat2)) / Math.log(tanHalf(slat2) / tanHalf(slat1));
  const sf = (Math.pow(tanHalf(slat1), sn) * Math.cos(slat1)) / sn;
  const ro = (re * sf) / Math.pow(tanHalf(olat), sn);
  const ra = (re * sf) / Math.pow(tanHalf(latitude * RADIANS), sn);
  let theta = longitude * RADIANS - olon;
  if (theta > Math.PI) theta -= 2 * Math.PI;
  if (theta < -Math.PI) theta += 2 * Math.PI;
  theta *= sn;
  // The KMA's own code rounds with floor(x + 0.5) after offsetting the origin.
  return {
    nx: Math.floor(ra * Math.sin(theta) + ORIGIN_X + 0.5),
    ny: Math.floor(ro - ra * Math.cos(theta) + ORIGIN_Y + 0.5),
  };
}
