/**
 * Saved-search matching for `partnerJoined`: whether a new stakeholder passes a subscriber's
 * filter. Evaluated in memory on facts read once per event.
 */
import { distanceKm } from '../matching/proximity';

export interface PartnerFacts {
  kind: string;
  regionPath: readonly string[];
  sdgIds: readonly number[];
  expertiseSlugs: readonly string[];
  latitude: number | null;
  longitude: number | null;
}

export interface SavedPartnerSearch {
  kinds?: readonly string[] | null;
  regionCode?: string | null;
  sdgs?: readonly number[] | null;
  expertiseSlugs?: readonly string[] | null;
  near?: { latitude: number; longitude: number; radiusKm: number } | null;
}

export function passesPartnerFilter(f: SavedPartnerSearch, p: PartnerFacts): boolean {
  if (f.kinds?.length && !f.kinds.includes(p.kind)) return false;
  if (f.regionCode && !p.regionPath.includes(f.regionCode)) return false;
  if (f.sdgs?.length && !f.sdgs.some((s) => p.sdgIds.includes(s))) return false;
  if (f.expertiseSlugs?.length && !f.expertiseSlugs.some((s) => p.expertiseSlugs.includes(s))) return false;
  if (f.near) {
    if (p.latitude === null || p.longitude === null) return false;
    if (distanceKm(f.near.latitude, f.near.longitude, p.latitude, p.longitude) > f.near.radiusKm) return false;
  }
  return true;
}
