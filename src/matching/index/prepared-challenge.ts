/**
 * A challenge as the ranking kernel reads it: plain numbers and typed arrays, no objects or
 * dictionaries, so it can be sent to a ranking worker as it is. Prepared on the request thread
 * from the index's {@link ChallengeFacts}; the link table is kept with the facts (they are
 * replaced whenever the challenge or the tag list changes).
 */
import { ChallengeFacts } from './index-facts';
import { MatchIndex } from './match-index';
import { sharedArray } from './shared-columns';
import { checkRequirement } from '../safeguarding';

function sharedCopy<T extends Int32Array | Float64Array>(
  Class: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  values: number[],
): T {
  const out = sharedArray(Class, values.length);
  out.set(values);
  return out;
}

/** The challenge's expertise links by partner tag, as linked lists in flat arrays. */
export interface LinkTable {
  /** Highest tag id the table covers (a higher tag has no link). */
  maxTagId: number;
  /** First link of each tag, or −1. */
  first: Int32Array;
  /** Need position (in the challenge's needed ids) of each link. */
  need: Int32Array;
  credit: Float64Array;
  /** The tag's next link, or −1. */
  next: Int32Array;
}

/** What ranking needs of a challenge. */
export interface PreparedChallenge {
  /** Its school's row, or −1 when the school is not in the index. */
  school: number;
  sdgMask: number;
  sdgCount: number;
  neededCount: number;
  /** Wanted kinds as a bitmask (0: any kind). */
  wantedMask: number;
  latitude: number | null;
  longitude: number | null;
  radiusKm: number;
  /** Dictionary numbers of its country and region (0 unknown, −1 a country no row is in). */
  countryNo: number;
  regionNo: number;
  /** Rows never suggested: those already on it and those its coordinators ruled out. */
  excluded: Int32Array;
  links: LinkTable;
  /** Check types a partner must hold one of (safeguarding.ts), as a bitmask; 0: no check needed. */
  checkMask: number;
  /** The earliest issued day of a check that still counts. */
  checkFromDay: number;
}

/**
 * A challenge's school row, looked up once (rows move only at a load, which forgets it, or a
 * reload, whose challenges are new).
 */
export function schoolRowOf(index: MatchIndex, c: ChallengeFacts): number {
  if (c.schoolRow === undefined || c.schoolRow < 0) c.schoolRow = index.rowOf(c.schoolId);
  return c.schoolRow;
}

function linkTableOf(index: MatchIndex, c: ChallengeFacts): LinkTable {
  if (c.linkTable && c.linkTable.maxTagId === index.maxTagId) return c.linkTable;
  // Shared memory: a prepared challenge goes to the workers with every ranking, and is not copied.
  const first = sharedArray(Int32Array, index.maxTagId + 2).fill(-1);
  const need: number[] = [];
  const credit: number[] = [];
  const next: number[] = [];
  c.linksByTag.forEach((pairs, tag) => {
    if (!pairs || tag >= first.length) return;
    for (let j = 0; j < pairs.length; j += 2) {
      next.push(first[tag]);
      first[tag] = need.length;
      need.push(pairs[j]);
      credit.push(pairs[j + 1]);
    }
  });
  c.linkTable = {
    maxTagId: index.maxTagId,
    first,
    need: sharedCopy(Int32Array, need),
    credit: sharedCopy(Float64Array, credit),
    next: sharedCopy(Int32Array, next),
  };
  return c.linkTable;
}

/** What the kernel needs of a challenge, on the day of `now`. */
export function prepareChallenge(index: MatchIndex, c: ChallengeFacts, now = new Date()): PreparedChallenge {
  const checks = checkRequirement(c.pupilContact, c.checkPolicy, c.plannedEndOn, now);
  const excluded: number[] = [];
  for (const id of c.active) excluded.push(index.rowOf(id));
  for (const id of c.dismissed) excluded.push(index.rowOf(id));
  return {
    school: schoolRowOf(index, c),
    sdgMask: c.sdgMask,
    sdgCount: c.sdgIds.length,
    neededCount: c.neededIds.length,
    wantedMask: c.wantedMask,
    latitude: c.latitude,
    longitude: c.longitude,
    radiusKm: c.radiusKm,
    countryNo: c.countryCode ? index.countryNo(c.countryCode) : 0,
    regionNo: c.regionCode ? Math.max(0, index.regionNo(c.regionCode)) : 0,
    excluded: Int32Array.from(excluded.filter((row) => row >= 0)),
    links: linkTableOf(index, c),
    checkMask: checks?.typeMask ?? 0,
    checkFromDay: checks?.fromDay ?? 0,
  };
}
