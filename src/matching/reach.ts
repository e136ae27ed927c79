/**
 * Reach: whether a partner's service area covers a challenge's place. A partner outside its
 * reach is not suggested at all. Each kind has a default reach that a stakeholder can change,
 * except that local government never reaches across a border.
 *
 * - LOCAL: its municipality and surroundings — within {@link LOCAL_KM} km, in its own country.
 * - REGIONAL: its province or region — the same region, or within {@link REGIONAL_KM} km, in its own country.
 * - NATIONAL: its own country.
 * - INTERNATIONAL: anywhere.
 */
import { ServiceArea, StakeholderKind } from '../domain/enums';

/** Radius of a local body's surroundings, in km. */
export const LOCAL_KM = 25;
/** Radius of a regional body's reach beyond its own region, in km. */
export const REGIONAL_KM = 75;

/** Default reach by kind. */
export const DEFAULT_SERVICE_AREA: Record<StakeholderKind, ServiceArea> = {
  FAMILY: ServiceArea.LOCAL,
  SCHOOL: ServiceArea.LOCAL,
  GOVERNMENT: ServiceArea.LOCAL,
  ENTREPRENEUR: ServiceArea.LOCAL,
  CULTURAL_INSTITUTION: ServiceArea.REGIONAL,
  MEDIA: ServiceArea.REGIONAL,
  CIVIL_SOCIETY: ServiceArea.REGIONAL,
  UNIVERSITY: ServiceArea.NATIONAL,
  RESEARCH_INSTITUTE: ServiceArea.NATIONAL,
  INDUSTRY: ServiceArea.NATIONAL,
};

const ORDER = [ServiceArea.LOCAL, ServiceArea.REGIONAL, ServiceArea.NATIONAL, ServiceArea.INTERNATIONAL];

/** A stakeholder's reach: its own choice, or its kind's default; local government at most NATIONAL. */
export function serviceAreaOf(kind: StakeholderKind, chosen: ServiceArea | null | undefined): ServiceArea {
  const area = chosen ?? DEFAULT_SERVICE_AREA[kind];
  if (kind === StakeholderKind.GOVERNMENT && ORDER.indexOf(area) > ORDER.indexOf(ServiceArea.NATIONAL))
    return ServiceArea.NATIONAL;
  return area;
}

/** Where something is, as far as reach is concerned. */
export interface Whereabouts {
  countryCode: string | null;
  regionCode: string | null;
}

/** The country of a place: its own code, or the prefix of its region code (`NL-OV` → `NL`). */
export function countryOf(w: Whereabouts): string | null {
  return w.countryCode ?? (w.regionCode ? w.regionCode.slice(0, 2) : null);
}

/**
 * Whether a partner with this reach covers a place `distanceKm` away. Unknown places are given
 * the benefit of the doubt for NATIONAL and wider, and not for LOCAL or REGIONAL.
 */
export function reaches(
  area: ServiceArea,
  partner: Whereabouts,
  place: Whereabouts,
  distanceKm: number | null,
): boolean {
  if (area === ServiceArea.INTERNATIONAL) return true;
  const [mine, theirs] = [countryOf(partner), countryOf(place)];
  if (mine && theirs && mine !== theirs) return false;
  if (area === ServiceArea.NATIONAL) return true;
  if (distanceKm === null) return false;
  if (area === ServiceArea.LOCAL) return distanceKm <= LOCAL_KM;
  return distanceKm <= REGIONAL_KM || (partner.regionCode !== null && partner.regionCode === place.regionCode);
}
