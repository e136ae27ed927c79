/**
 * Proximity: 1 at the challenge's location, falling linearly to 0 at its radius, and 0 beyond
 * it or when either side has no location.
 */
export function proximity(distanceKm: number | null, radiusKm: number): number {
  if (distanceKm === null || !(radiusKm > 0) || distanceKm > radiusKm) return 0;
  return 1 - Math.max(0, distanceKm) / radiusKm;
}

/** Earth radius in km, as the `earthdistance` extension's earth() uses, so both agree. */
export const EARTH_RADIUS_KM = 6378.168;

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

