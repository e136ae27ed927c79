/**
 * A realistic synthetic open-schooling network, deterministic for a seed: stakeholders of every
 * kind placed in real European towns weighted by population (offline gazetteer), with plausible
 * SDG and expertise profiles per kind, capacities, some underserved contexts, and challenges
 * posed by the schools. Written as an import file (see domain/import).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import expertiseTaxonomy from './reference/expertise.json';
import { csvLine } from '../domain/import/csv';
import { loadGazetteer, Place } from '../domain/geo/gazetteer';

/** A small, fast, seedable PRNG (mulberry32): same seed, same network. */
const QUESTIONS = ['What can pupils measure about', 'How can our street improve', 'Who in town knows about'];

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LANGUAGES: Record<string, string[]> = {
  NL: ['nl'],
  BE: ['nl', 'fr'],
  DE: ['de'],
  AT: ['de'],
  CH: ['de', 'fr'],
  FR: ['fr'],
  LU: ['fr', 'de'],
  ES: ['es'],
  PT: ['pt'],
  IT: ['it'],
  IE: ['en'],
  GB: ['en'],
  DK: ['da'],
  SE: ['sv'],
  NO: ['no'],
  FI: ['fi'],
  PL: ['pl'],
  CZ: ['cs'],
  SK: ['sk'],
  HU: ['hu'],
  RO: ['ro'],
  BG: ['bg'],
  GR: ['el'],
  SI: ['sl'],
  HR: ['hr'],
  EE: ['et'],
  LV: ['lv'],
  LT: ['lt'],
  IS: ['is'],
  CY: ['el'],
  MT: ['mt'],
};

type Kind =
  | 'SCHOOL'
  | 'FAMILY'
  | 'UNIVERSITY'
  | 'RESEARCH_INSTITUTE'
  | 'INDUSTRY'
  | 'ENTREPRENEUR'
  | 'MEDIA'
  | 'GOVERNMENT'
  | 'CIVIL_SOCIETY'
  | 'CULTURAL_INSTITUTION';

const tag = (group: string) => expertiseTaxonomy.find((g) => g.label === group)!.children.map((c) => c.label);
const ALL_TAGS = expertiseTaxonomy.flatMap((g) => g.children.map((c) => c.label));

/** Share of each kind, what it works on, and how much it can take on. */
const PROFILES: {
  kind: Kind;
  share: number;
  prefix: string;
  sdgs: number[];
  tags: string[];
  tagCount: [number, number];
  capacity: [number, number];
}[] = [
  {
    kind: 'SCHOOL',
    share: 0.3,
    prefix: 'School',
    sdgs: [4, 3, 6, 11, 13, 15, 12, 7],
    tags: tag('Education'),
    tagCount: [0, 1],
    capacity: [2, 3],
  },
  {
    kind: 'FAMILY',
    share: 0.24,
    prefix: 'Family',
    sdgs: [3, 4, 11, 13, 2, 15],
    tags: ALL_TAGS,
    tagCount: [0, 2],
    capacity: [1, 1],
  },
  {
    kind: 'UNIVERSITY',
    share: 0.04,
    prefix: 'University',
    sdgs: [3, 4, 6, 7, 9, 11, 13, 14, 15],
    tags: ALL_TAGS,
    tagCount: [2, 5],
    capacity: [3, 8],
  },
  {
    kind: 'RESEARCH_INSTITUTE',
    share: 0.03,
    prefix: 'Institute',
    sdgs: [3, 6, 7, 9, 13, 14],
    tags: [...tag('Data and technology'), ...tag('Water'), ...tag('Energy')],
    tagCount: [2, 4],
    capacity: [2, 5],
  },
  {
    kind: 'INDUSTRY',
    share: 0.12,
    prefix: 'Company',
    sdgs: [7, 8, 9, 12],
    tags: [...tag('Engineering'), ...tag('Energy'), ...tag('Data and technology')],
    tagCount: [1, 3],
    capacity: [1, 3],
  },
  {
    kind: 'ENTREPRENEUR',
    share: 0.1,
    prefix: 'Startup',
    sdgs: [8, 9, 12, 7, 11],
    tags: [...tag('Data and technology'), ...tag('Engineering')],
    tagCount: [1, 3],
    capacity: [1, 2],
  },
  {
    kind: 'MEDIA',
    share: 0.03,
    prefix: 'Newsroom',
    sdgs: [4, 16, 10],
    tags: tag('Communication'),
    tagCount: [1, 2],
    capacity: [1, 3],
  },
  {
    kind: 'GOVERNMENT',
    share: 0.05,
    prefix: 'Municipality',
    sdgs: [6, 11, 13, 16, 3],
    tags: [...tag('Society'), ...tag('Water')],
    tagCount: [1, 3],
    capacity: [2, 4],
  },
  {
    kind: 'CIVIL_SOCIETY',
    share: 0.07,
    prefix: 'Association',
    sdgs: [1, 3, 5, 10, 15, 13],
    tags: [...tag('Society'), ...tag('Climate and environment'), ...tag('Health and food')],
    tagCount: [1, 3],
    capacity: [1, 3],
  },
  {
    kind: 'CULTURAL_INSTITUTION',
    share: 0.02,
    prefix: 'Museum',
    sdgs: [4, 11, 16],
    tags: [...tag('Communication'), 'Local history'],
    tagCount: [1, 2],
    capacity: [1, 3],
  },
];

export const COLUMNS = [
  'record',
  'externalId',
  'kind',
  'name',
  'city',
  'countryCode',
  'latitude',
  'longitude',
  'sdgs',
  'expertise',
  'languages',
  'educationLevels',
  'capacity',
  'underservedContexts',
  'consentGiven',
  'schoolExternalId',
  'title',
  'expertiseNeeded',
  'wantedKinds',
  'radiusKm',
  'phase',
] as const;

type Row = Partial<Record<(typeof COLUMNS)[number], string | number>>;

/** Options for {@link generateNetwork}. */
export interface GenerateOptions {
  stakeholders: number;
  /**
   * Challenges posed by the generated schools.
   * @default stakeholders / 50
   */
  challenges?: number;
  /** @default 1 */
  seed?: number;
}

/** Yields rows: all stakeholders first, then challenges (whose schools are generated ones). */
export function* generateNetwork(opts: GenerateOptions): Generator<Row> {
  const random = prng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const between = ([lo, hi]: [number, number]) => lo + Math.floor(random() * (hi - lo + 1));
  const some = <T>(xs: readonly T[], n: number) => {
    const out = new Set<T>();
    for (let i = 0; out.size < Math.min(n, xs.length) && i < n * 4; i++) out.add(pick(xs));
    return [...out];
  };
  // Towns of Europe, weighted by population.
  const towns = loadGazetteer().places.filter((p) => LANGUAGES[p.country] && p.population >= 1000);
  const cumulative: number[] = [];
  let sum = 0;
  for (const t of towns) cumulative.push((sum += t.population));
  const town = (): Place => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return towns[lo];
  };
  const kindShares: number[] = [];
  let acc = 0;
  for (const p of PROFILES) kindShares.push((acc += p.share));
  const schools: string[] = [];
  const prefix = `gen${opts.seed ?? 1}`;
  for (let i = 1; i <= opts.stakeholders; i++) {
    const r = random() * acc;
    const profile = PROFILES[kindShares.findIndex((s) => r <= s)];
    const place = town();
    const id = `${prefix}-s${i}`;
    const small = place.population < 20000;
    const contexts: string[] = [];
    if ((profile.kind === 'SCHOOL' || profile.kind === 'FAMILY') && random() < (small ? 0.2 : 0.08))
      contexts.push(small ? 'GEOGRAPHIC_ISOLATION' : 'SOCIO_ECONOMIC');
    if ((profile.kind === 'SCHOOL' || profile.kind === 'CIVIL_SOCIETY') && random() < 0.06)
      contexts.push('ETHNIC_MINORITY');
    const languages = [...LANGUAGES[place.country]];
    if (['UNIVERSITY', 'RESEARCH_INSTITUTE', 'INDUSTRY'].includes(profile.kind) && !languages.includes('en'))
      languages.push('en');
    const levels =
      profile.kind === 'SCHOOL' ? pick([[1], [2, 3], [1, 2], [3]]) : profile.kind === 'UNIVERSITY' ? [6, 7, 8] : [];
    if (profile.kind === 'SCHOOL') schools.push(id);
    yield {
      record: 'stakeholder',
      externalId: id,
      kind: profile.kind,
      name: `${profile.prefix} ${place.name} ${i}`,
      city: place.name,
      countryCode: place.country,
      latitude: (place.latitude + (random() - 0.5) * 0.04).toFixed(5),
      longitude: (place.longitude + (random() - 0.5) * 0.06).toFixed(5),
      sdgs: some(profile.sdgs, 1 + Math.floor(random() * 3)).join(';'),
      expertise: some(profile.tags, between(profile.tagCount)).join(';'),
      languages: languages.join(';'),
      educationLevels: levels.join(';'),
      capacity: between(profile.capacity),
      underservedContexts: [...new Set(contexts)].join(';'),
      // Synthetic families stand for families whose coordinator recorded their consent.
      consentGiven: profile.kind === 'FAMILY' ? 'true' : '',
    };
  }
  const challenges = opts.challenges ?? Math.floor(opts.stakeholders / 50);
  const kinds = PROFILES.map((p) => p.kind).filter((k) => k !== 'SCHOOL');
  for (let i = 1; i <= challenges && schools.length; i++) {
    const sdgs = some([3, 4, 6, 7, 11, 12, 13, 14, 15], 1 + Math.floor(random() * 2));
    yield {
      record: 'challenge',
      externalId: `${prefix}-c${i}`,
      schoolExternalId: pick(schools),
      title: `Challenge ${i}: ${pick(QUESTIONS)} SDG ${sdgs[0]}?`,
      sdgs: sdgs.join(';'),
      expertiseNeeded: some(ALL_TAGS, 1 + Math.floor(random() * 3)).join(';'),
      wantedKinds: some(kinds, Math.floor(random() * 4)).join(';'),
      radiusKm: pick([25, 50, 50, 80]),
      phase: pick(['IDEA', 'STARTUP', 'DESIGN', 'RUNNING']),
    };
  }
}

/** The import formats `npm run import` reads. */
export type NetworkFormat = 'csv' | 'json';

/** The format a file name asks for, by its extension; undefined for any other. */
export function formatOf(file: string): NetworkFormat | undefined {
  const ext = file.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'json' ? ext : undefined;
}

const LIST_COLUMNS = new Set([
  'sdgs',
  'expertise',
  'languages',
  'educationLevels',
  'underservedContexts',
  'expertiseNeeded',
  'wantedKinds',
]);
const NUMBER_LISTS = new Set(['sdgs', 'educationLevels']);
const NUMBERS = new Set(['latitude', 'longitude', 'capacity', 'radiusKm']);

/** A row as a JSON import record: lists as arrays, numbers as numbers, empty cells left out. */
export function jsonRecord(row: Row): Record<string, string | number | boolean | (string | number)[]> {
  const out: Record<string, string | number | boolean | (string | number)[]> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === undefined || value === '') continue;
    if (LIST_COLUMNS.has(column)) {
      const items = String(value).split(';');
      out[column] = NUMBER_LISTS.has(column) ? items.map(Number) : items;
    } else if (NUMBERS.has(column)) out[column] = Number(value);
    else if (column === 'consentGiven') out[column] = value === 'true';
    else out[column] = value;
  }
  return out;
}

/** Writes the network as an import file in `format`; returns the number of rows written. */
export function writeNetwork(
  file: string,
  format: NetworkFormat,
  opts: GenerateOptions,
  onRow?: (n: number) => void,
): number {
  const fd = openSync(file, 'w');
  let n = 0;
  // JSON: one record per line inside one array, written as it goes (a million rows never sit in memory).
  let chunk = format === 'csv' ? COLUMNS.join(',') + '\n' : '[\n';
  try {
    for (const row of generateNetwork(opts)) {
      if (format === 'csv') chunk += csvLine(COLUMNS.map((c) => row[c]));
      else chunk += (n ? ',\n' : '') + JSON.stringify(jsonRecord(row));
      if (++n % 10000 === 0) {
        writeSync(fd, chunk);
        chunk = '';
        onRow?.(n);
      }
    }
    writeSync(fd, format === 'csv' ? chunk : chunk + (n ? '\n' : '') + ']\n');
    onRow?.(n);
  } finally {
    closeSync(fd);
  }
  return n;
}

/** Writes the network as an import CSV; returns the number of rows written. */
export function writeNetworkCsv(file: string, opts: GenerateOptions, onRow?: (n: number) => void): number {
  return writeNetwork(file, 'csv', opts, onRow);
}
