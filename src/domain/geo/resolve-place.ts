import { EntityManager } from 'typeorm';
import { badInput } from '../errors';
import { GeoPoint, geoPoint } from '../validate';
import { requireRegion, requireRegionIn, regionForPoint } from '../region/region.service';
import { geocodeCity } from './gazetteer';

/** What a client may say about where something is. */
export interface PlaceInput {
  location?: GeoPoint | null;
  city?: string | null;
  countryCode?: string | null;
  regionCode?: string | null;
}

/** Where something is, as stored. */
export interface ResolvedPlace {
  latitude: number | null;
  longitude: number | null;
  regionCode: string | null;
  city: string | null;
  countryCode: string | null;
}

/**
 * Checks and completes a place: an explicit location wins; otherwise `city` + `countryCode`
 * are geocoded offline; the region, when not given, is derived from the location.
 */
export async function resolvePlace(
  manager: EntityManager,
  input: PlaceInput,
  prefix = 'input.',
): Promise<ResolvedPlace> {
  let countryCode: string | null = null;
  if (input.countryCode !== undefined && input.countryCode !== null) {
    const code = input.countryCode.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(code)) {
      throw badInput(
        `${prefix}countryCode`,
        `must be an ISO 3166-1 alpha-2 code like "NL", got "${input.countryCode}"`,
      );
    }
    await requireRegion(manager, `${prefix}countryCode`, code);
    countryCode = code;
  }
  const city = input.city?.trim() || null;
  let point: GeoPoint | null = input.location ? geoPoint(`${prefix}location`, input.location) : null;
  if (!point && city) {
    if (!countryCode) throw badInput(`${prefix}countryCode`, 'is required with city, to geocode it');
    const place = geocodeCity(
      city,
      countryCode,
      `${prefix}city`,
      `${prefix}location { latitude, longitude } instead of the city`,
    );
    point = { latitude: place.latitude, longitude: place.longitude };
  }
  let regionCode: string | null = null;
  if (input.regionCode) {
    regionCode = (await requireRegionIn(manager, `${prefix}regionCode`, input.regionCode, countryCode)).code;
  } else if (point) {
    regionCode = await regionForPoint(manager, point.latitude, point.longitude);
  }
  if (!countryCode && regionCode) countryCode = regionCode.slice(0, 2);
  return { latitude: point?.latitude ?? null, longitude: point?.longitude ?? null, regionCode, city, countryCode };
}
