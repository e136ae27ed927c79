import { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../errors';
import { nearestPlace } from '../geo/gazetteer';
import { Region } from './region.entity';

/** Each database's region catalogue, read once: a few hundred rows of reference data. */
const catalogues = new WeakMap<DataSource, Promise<ReadonlyMap<string, Readonly<Region>>>>();

async function readCatalogue(db: DataSource): Promise<ReadonlyMap<string, Readonly<Region>>> {
  try {
    const rows = await db.manager.find(Region);
    return new Map(rows.map((r) => [r.code, Object.freeze(r)]));
  } catch (error) {
    // Not kept: the next caller reads it again (and this one hears why it failed).
    catalogues.delete(db);
    throw error;
  }
}

/**
 * The region catalogue by code. Regions are reference data that only migrations write (before a
 * service starts), so each process reads them once per database and answers from memory after:
 * checking a region code or finding the region of a point sends no statement.
 */
export function regionCatalogue(manager: EntityManager): Promise<ReadonlyMap<string, Readonly<Region>>> {
  const db = manager.connection;
  let catalogue = catalogues.get(db);
  if (!catalogue) {
    catalogue = readCatalogue(db);
    catalogues.set(db, catalogue);
  }
  return catalogue;
}

/** Checks that a region code is in the catalogue; returns it in canonical upper case. */
export async function requireRegion(manager: EntityManager, field: string, code: string): Promise<Readonly<Region>> {
  const canonical = code.trim().toUpperCase();
  const region = (await regionCatalogue(manager)).get(canonical);
  if (!region) throw badInput(field, `must be a known ISO 3166 region code like "NL" or "NL-OV", got "${code}"`);
  return region;
}

/**
 * {@link requireRegion}, and in the given country (when one is known): a region code names its
 * country in its first two letters (ISO 3166-2), so "DE-BY" cannot be the region of a Dutch school.
 */
export async function requireRegionIn(
  manager: EntityManager,
  field: string,
  code: string,
  countryCode: string | null | undefined,
): Promise<Readonly<Region>> {
  const region = await requireRegion(manager, field, code);
  if (countryCode && region.code.slice(0, 2) !== countryCode)
    throw badInput(field, `must be a region of countryCode ${countryCode}, got "${region.code}"`);
  return region;
}

/**
 * The most specific catalogue region for a point: the subdivision (or country) of the
 * nearest populated place. Returns null only for points the catalogue does not cover.
 */
export async function regionForPoint(
  manager: EntityManager,
  latitude: number,
  longitude: number,
): Promise<string | null> {
  const place = nearestPlace(latitude, longitude);
  const catalogue = await regionCatalogue(manager);
  // The subdivision when the catalogue has it, else the country.
  return [place.regionCode, place.country].find((code) => catalogue.has(code)) ?? null;
}

/** Regions of one country (subdivisions included) or, without a country, every region. */
export async function listRegions(manager: EntityManager, countryCode?: string | null): Promise<Region[]> {
  const where = countryCode ? { country: countryCode.trim().toUpperCase() } : {};
  // Reference data (countries and their subdivisions): a few hundred rows; the cap is a second wall.
  return manager.find(Region, { where, order: { code: 'ASC' }, take: 500 });
}

/**
 * SQL for "this region and every region inside it", given an SQL expression (a bound
 * parameter) that holds the outer region's code.
 */
export function regionTreeSql(code: string): string {
  return `(WITH RECURSIVE r(code) AS (SELECT CAST(${code} AS text) UNION ALL
    SELECT k.code FROM region k JOIN r ON k.parent_code = r.code) SELECT code FROM r)`;
}
