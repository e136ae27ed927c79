/**
 * Proximity: 1 at the challenge's location, falling linearly to 0 at its radius, and 0 beyond
 * it or when either side has no location.
 */
export function proximity(distanceKm: number | null, radiusKm: number): number {
  if (distanceKm === null || !(radiusKm > 0) || distanceKm > radiusKm) return 0;
  return 1 - Math.max(0, distanceKm) / radiusKm;
}

export function proximitySql(distanceKm: string, radiusKm: string): string {
  return `(CASE WHEN (${distanceKm}) IS NULL OR (${radiusKm}) <= 0 OR (${distanceKm}) > (${radiusKm}) THEN 0::float8
    ELSE 1 - greatest(0, (${distanceKm})) / (${radiusKm}) END)`;
}
