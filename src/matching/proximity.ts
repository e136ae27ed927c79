/**
 * Proximity: 1 at the challenge's location, falling linearly to 0.5 at its radius, then fading
 * smoothly (same slope at the radius, no step) instead of dropping to 0 there:
 *
 *   proximity(d, r) = 1 − d / (2r)                for d ≤ r
 *                   = 0.5 · e^(−(d − r) / r)       for d > r
 *
 * so 50.06 km is barely less near than 50 km, and 3r is still 0.07. 0 without a location.
 */
export function proximity(distanceKm: number | null, radiusKm: number): number {
  if (distanceKm === null || !(radiusKm > 0)) return 0;
  const d = Math.max(0, distanceKm);
  if (d <= radiusKm) return 1 - d / (2 * radiusKm);
  return 0.5 * Math.exp(-(d - radiusKm) / radiusKm);
}

/** Earth radius in km, as the `earthdistance` extension's earth() uses, so both agree. */
export const EARTH_RADIUS_KM = 6378.168;

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
