/** Mainland Korea, Jeju and the islands (Ulleungdo, Dokdo, Baengnyeongdo) fit in this box. */
const LATITUDE = { min: 33, max: 39 };
const LONGITUDE = { min: 124, max: 132 };

const inKorea = (lat: number, lon: number): boolean =>
  lat >= LATITUDE.min && lat <= LATITUDE.max && lon >= LONGITUDE.min && lon <= LONGITUDE.max;

/** "37.45255496043788?" → 37.45…: stray characters around a single decimal number are dropped. */
function decimal(raw: string): { value: number; hadStrayCharacters: boolean } | null {
  const text = raw.trim();
  const match = /^[^\d\-.]*(-?\d+(?:\.\d+)?)[^\d.]*$/.exec(text);
  return match ? { value: Number(match[1]), hadStrayCharacters: match[1] !== text } : null;
}

export type CoordinateReading =
  { latitude: number; longitude: number; correction?: string } | { problem: string };

/**
 * WGS84 coordinates of a Korean site, or why there are none. Latitude and longitude ranges cannot
 * overlap in Korea, so a swapped pair is unambiguous and is corrected (and reported) rather than lost.
 */
export function readKoreanCoordinates(latitudeText: string, longitudeText: string): CoordinateReading {
  if (!latitudeText.trim() || !longitudeText.trim()) return { problem: 'no coordinates' };
  const given = `(${latitudeText.trim()}, ${longitudeText.trim()})`;
  const latReading = decimal(latitudeText);
  const lonReading = decimal(longitudeText);
  if (!latReading || !lonReading) return { problem: `unreadable coordinates ${given}` };
  const lat = latReading.value;
  const lon = lonReading.value;
  const stray = latReading.hadStrayCharacters || lonReading.hadStrayCharacters;
  if (inKorea(lat, lon)) {
    return stray
      ? { latitude: lat, longitude: lon, correction: `stray characters removed from ${given}` }
      : { latitude: lat, longitude: lon };
  }
  if (inKorea(lon, lat)) {
    return { latitude: lon, longitude: lat, correction: `latitude and longitude were swapped ${given}` };
  }
  return { problem: `coordinates outside Korea (${lat}, ${lon})` };
}
