/**
 * Ranking by blocks (index/blocks.ts, index/block-bound.ts) in memory: after any sequence of
 * writes — new rows, rewrites that move a row or change its kind, removals, a re-sort — every
 * block's summary still covers its rows, and ranking (which skips blocks by their bound) answers
 * exactly as scoring every row does, at every floor, keep and filter. The distance a block is
 * bounded by is never more than any of its points' (the poles and the antimeridian included).
 */
import fc from 'fast-check';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { BlockBound, kmToBox } from '../../src/matching/index/block-bound';
import { weightVector } from '../../src/matching/combine';
import * as B from '../../src/matching/index/blocks';
import { ChallengeFacts } from '../../src/matching/index/index-facts';
import { kindNo, KINDS, levelMaskOf, sdgMaskOf } from '../../src/matching/index/column-codes';
import { MatchIndex } from '../../src/matching/index/match-index';
import { popcount } from '../../src/matching/index/shared-columns';
import { prepareChallenge } from '../../src/matching/index/prepared-challenge';
import { ALL_KINDS, IndexFilter, Ranked, rankPartners } from '../../src/matching/index/rank';
import { scoreRow, signalsFor } from '../../src/matching/index/pair-score';
import { compareUuids } from '../../src/matching/index/uuid-table';
import { distanceKm } from '../../src/matching/proximity';
import { prng } from '../../src/db/synthetic-network';
import { trackOf } from '../../src/matching/track';
import { CONTEXTS, contextsCode } from '../../src/matching/inclusion';
import { CheckType, PupilContact } from '../../src/domain/enums';
import { CHECK_TYPES, checkRequirement, dayNumber, standingOf, todayIso } from '../../src/matching/safeguarding';

const PLACES = [
  { lat: 52.22, lon: 6.89, country: 'NL', region: 'NL-OV' },
  { lat: 52.09, lon: 5.12, country: 'NL', region: 'NL-UT' },
  { lat: 50.85, lon: 4.35, country: 'BE', region: 'BE-BRU' },
  { lat: -17.8, lon: 179.6, country: 'FJ', region: null },
  { lat: 89.2, lon: 15.6, country: 'NO', region: null },
];
const KIND_NAMES = ['SCHOOL', 'UNIVERSITY', 'INDUSTRY', 'GOVERNMENT', 'CIVIL_SOCIETY', 'FAMILY'];
const AREAS = [null, 'LOCAL', 'REGIONAL', 'NATIONAL', 'INTERNATIONAL'];

/** A valid v4 UUID for a number, its first bytes spread (the id table hashes them). */
const uuid = (n: number) =>
  `${((Math.imul(n + 1, 2654435761) >>> 0) % 0xffffffff).toString(16).padStart(8, '0')}-0000-4000-8000-` +
  n.toString(16).padStart(12, '0');

/** One network and its writes, drawn from a seed: `rows` stakeholders of `kinds`, then `writes` writes. */
function scenario(seed: number, { rows = 1500, kinds = KIND_NAMES, writes = 300 } = {}) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const some = <T>(xs: readonly T[], n: number) => [...new Set(Array.from({ length: int(n + 1) }, () => pick(xs)))];
  const tags = Array.from({ length: 100 }, (_, i) => i + 1);
  // Few profiles and tight towns, as in a real network: blocks come out tight, their bounds near
  // their best rows' scores, so a bound that is wrong by a little shows.
  const profiles = Array.from({ length: 4 }, () => some(tags.slice(0, 17), 3));
  const spread = pick([0.05, 0.3, 2]);
  const place = () => {
    if (random() < 0.05) return { lat: null, lon: null, country: pick(['NL', 'BE', null]), region: null };
    const p = pick(PLACES);
    const lon = p.lon + (random() - 0.5) * spread * 1.5;
    return { ...p, lat: Math.min(90, p.lat + (random() - 0.5) * spread), lon: ((lon + 540) % 360) - 180 };
  };
  const index = new MatchIndex();
  index.maxTagId = 100;
  const today = dayNumber(todayIso());
  const write = (n: number) => {
    const at = place();
    const kind = pick(kinds);
    index.setStakeholder({
      id: uuid(n),
      kind,
      latitude: at.lat,
      longitude: at.lon,
      sdgMask: sdgMaskOf(random() < 0.9 ? pick(profiles) : some(tags.slice(0, 17), 3)),
      expertiseIds: some(random() < 0.8 ? tags.slice(0, 6) : tags, 2),
      languages: some(['nl', 'en', 'fr'], 2),
      levelMask: levelMaskOf(some([1, 2, 3], 2)),
      capacity: int(4),
      contexts: random() < 0.8 ? 0 : contextsCode(some(CONTEXTS, 3)),
      accepted: int(2),
      regionCode: random() < 0.8 ? at.region : null,
      countryCode: random() < 0.9 ? at.country : null,
      erased: random() < 0.05,
      serviceArea: random() < 0.97 ? null : pick(AREAS),
      record:
        random() < 0.5
          ? undefined
          : {
              ...{ promptAccepts: int(3), lateAccepts: int(2), declines: int(2), promptAnswers: int(3) },
              ...{ unanswered: int(3), completed: 0, ratingSum: 0, ratings: 0 },
            },
      // Safeguarding checks: none, or an issued day per type from long ago to today.
      checks: random() < 0.5 ? undefined : CHECK_TYPES.map(() => (random() < 0.5 ? 0 : today - int(2000))),
    });
  };
  for (let n = 0; n < rows; n++) write(n);
  if (random() < 0.7) {
    index.organize();
    // Summaries made afresh by the sort (blocks, and superblocks merged from them) cover their rows,
    // each block's exactly as tight as widening an empty one by its rows.
    expectCovered(index);
    expectTight(index);
  }
  // After the load: new rows, rewrites (moves, kind changes), removals.
  for (let i = 0; i < writes; i++) {
    const r = random();
    if (r < 0.3) write(rows + int(rows / 7));
    else if (r < 0.9) write(int(rows));
    else index.removeStakeholder(uuid(int(rows + rows / 7)));
  }
  const challenge = (): ChallengeFacts => {
    const at = place();
    const neededIds = some(tags.slice(0, 10), 3);
    const linksByTag: number[][] = [];
    neededIds.forEach((need, i) => {
      (linksByTag[need] ??= []).push(i, 1);
      for (const tag of some(tags, 3)) (linksByTag[tag] ??= []).push(i, pick([0.5, 0.6, 0.9]));
    });
    const wantedKinds = some(kinds.slice(1), 2);
    const sdgIds = random() < 0.7 ? pick(profiles) : some(tags.slice(0, 17), 2);
    return {
      ...{ id: uuid(9000 + int(100)), schoolId: uuid(int(rows)), hubId: null, sdgIds, sdgMask: sdgMaskOf(sdgIds) },
      ...{
        neededIds,
        wantedKinds: wantedKinds as never,
        wantedMask: wantedKinds.reduce((m, k) => m | (1 << kindNo(k)), 0),
      },
      ...{ latitude: at.lat, longitude: at.lon, radiusKm: pick([25, 50, 80]), regionCode: at.region },
      ...{ countryCode: at.country, open: true, links: [], linksByTag },
      ...{ active: new Set([uuid(int(rows))]), dismissed: new Set([uuid(int(rows))]) },
      pupilContact: pick(Object.values(PupilContact)),
      plannedEndOn: random() < 0.5 ? null : pick(['2027-06-30', '2029-01-31', '2025-01-01']),
      checkPolicy: {
        levels: some(Object.values(PupilContact), 3),
        types: random() < 0.5 ? null : some(Object.values(CheckType), 2),
        maxAgeMonths: pick([12, 36, 60]),
        country: at.country,
      },
    };
  };
  return { index, random, pick, challenge, int };
}

/** Every block's summary, and every superblock's, covers every row in it. */
/** Each block's summary is what widening an empty block by its rows gives, field for field. */
function expectTight(index: MatchIndex): void {
  const loose: string[] = [];
  for (let k = 0; k < index.kindRows.length; k++) {
    const count = index.kindCount[k];
    for (let b = 0; b * B.BLOCK_SIZE < count; b++) {
      const reference = B.emptyBlocks(1);
      for (let at = b * B.BLOCK_SIZE; at < Math.min(count, (b + 1) * B.BLOCK_SIZE); at++)
        B.widenBlock(index, reference, 0, index.kindRows[k][at]);
      const summary = index.kindBlocks[k].subarray(b * B.STRIDE, (b + 1) * B.STRIDE);
      if (!reference.every((value, field) => Object.is(value, summary[field])))
        loose.push(`kind ${k} block ${b}: ${summary.join()} against ${reference.join()}`);
    }
  }
  expect(loose).toEqual([]);
}

function expectCovered(ix: MatchIndex): void {
  const faults: string[] = [];
  for (let k = 0; k < KINDS.length; k++) {
    for (let at = 0; at < ix.kindCount[k]; at++) {
      const row = ix.kindRows[k][at];
      if (ix.kind[row] !== k || ix.kindPos[row] !== at) faults.push(`row ${row} is not at ${k}/${at}`);
      const block = ix.kindBlocks[k].subarray((at >> B.BLOCK_SHIFT) * B.STRIDE);
      const superblock = ix.kindSupers[k].subarray((at >> B.SUPER_SHIFT) * B.STRIDE);
      for (const field of uncovered(ix, block, row)) faults.push(`block of row ${row}: ${field}`);
      for (const field of uncovered(ix, superblock, row)) faults.push(`superblock of row ${row}: ${field}`);
    }
  }
  // One assertion for all (an assertion per fact of every row made this test slow), naming each fault.
  expect(faults.slice(0, 20)).toEqual([]);
}

/** The facts of a row a summary (a block's or a superblock's) fails to cover: none when it covers them all. */
function uncovered(ix: MatchIndex, s: Float64Array, row: number): string[] {
  const out: string[] = [];
  if ((s[B.SDG_OR] & ix.sdgMask[row]) >>> 0 !== ix.sdgMask[row]) out.push('SDGs');
  if (s[B.SDG_MIN] > popcount(ix.sdgMask[row])) out.push('fewest SDGs');
  for (const tag of ix.tagsOf(row)) {
    const bit = tag & 63;
    if (((s[bit < 32 ? B.TAG_LO : B.TAG_HI] >>> (bit % 32)) & 1) !== 1) out.push(`tag ${tag}`);
  }
  if (Number.isNaN(ix.lat[row])) {
    if (s[B.UNLOCATED] !== 1) out.push('unlocated');
  } else if (
    ix.lat[row] < s[B.MIN_LAT] ||
    ix.lat[row] > s[B.MAX_LAT] ||
    ix.lon[row] < s[B.MIN_LON] ||
    ix.lon[row] > s[B.MAX_LON]
  ) {
    out.push('box');
  }
  if (ix.area[row] > s[B.MAX_AREA]) out.push('reach');
  if (s[B.COUNTRY] !== B.MIXED && s[B.COUNTRY] !== ix.country[row]) out.push('country');
  if (s[B.REGION] !== B.MIXED && s[B.REGION] !== ix.region[row]) out.push('region');
  if (ix.scoredContexts[row] > s[B.MAX_CONTEXTS]) out.push('contexts');
  if (trackOf(ix.trackTenths[row], ix.trackObservations[row], 0) > s[B.TRACK_AT_0]) out.push('track at 0');
  if (trackOf(ix.trackTenths[row], ix.trackObservations[row], 1) > s[B.TRACK_AT_1]) out.push('track at 1');
  if (ix.alive[row] && ix.accepted[row] < ix.capacity[row] && s[B.OPEN] !== 1) out.push('room');
  return out;
}

/** Scoring every row, one by one, as the reference of a ranking. */
function everyRow(ix: MatchIndex, c: ChallengeFacts, filter: IndexFilter, floor: number) {
  const p = prepareChallenge(ix, c);
  const out: Ranked[] = [];
  for (let row = 0; row < ix.size; row++) {
    if (!((c.wantedMask || 0xffff) & (filter.kindMask ?? 0xffff) & (1 << ix.kind[row]))) continue;
    if (!ix.alive[row] || row === p.school || ix.accepted[row] >= ix.capacity[row]) continue;
    if (p.excluded.includes(row)) continue;
    // The rule as its explanation states it (the object-ful path), against the kernel's.
    const standing = standingOf(ix.checkDays, row, checkRequirement(c.pupilContact, c.checkPolicy, c.plannedEndOn));
    if (standing?.needsCheck && !filter.includeUnchecked) continue;
    if (filter.sdgMask !== undefined && !(ix.sdgMask[row] & filter.sdgMask)) continue;
    if (filter.tagIds && ![...ix.tagsOf(row)].some((t) => filter.tagIds!.has(t))) continue;
    if (filter.regions && !filter.regions.has(ix.region[row])) continue;
    const located = c.latitude !== null && !Number.isNaN(ix.lat[row]);
    const d = located ? distanceKm(c.latitude!, c.longitude!, ix.lat[row], ix.lon[row]) : null;
    if (filter.maxDistanceKm !== undefined && (d === null || d > filter.maxDistanceKm)) continue;
    const near = filter.near;
    if (
      near &&
      (Number.isNaN(ix.lat[row]) || distanceKm(near.latitude, near.longitude, ix.lat[row], ix.lon[row]) > near.radiusKm)
    )
      continue;
    const r = scoreRow(ix, p, row, DEFAULT_WEIGHTS);
    if (r && r.score >= floor) out.push(r);
  }
  return out.sort((a, b) => b.score - a.score || compareUuids(ix.idBytes, a.row, b.row));
}

describe('ranking by blocks', () => {
  it.each([
    ['six kinds, 1,500 rows and 300 writes', { numRuns: 30 }, {}],
    // Many superblocks a kind, each written over and over.
    [
      'two kinds, 3,000 rows and 3,000 writes',
      { numRuns: 12 },
      { rows: 3000, kinds: KIND_NAMES.slice(0, 2), writes: 3000 },
    ],
  ])('keeps every summary covering its rows and answers as scoring every row does (%s)', (_, runs, shape) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const { index, pick, challenge, int } = scenario(seed, shape);
        expectCovered(index);
        for (let n = 0; n < 12; n++) {
          const c = challenge();
          const filter = pick<IndexFilter>([
            {},
            {},
            { maxDistanceKm: 40 },
            { near: { latitude: 52.2, longitude: 6.9, radiusKm: 300 } },
            { sdgMask: sdgMaskOf([3, 4, 6]) },
            { tagIds: new Set([int(100), 64 + int(36)]) },
            { regions: new Set([index.regionNo('NL-OV'), index.regionNo('BE-BRU')]) },
            { kindMask: 1 << kindNo('UNIVERSITY') },
            { includeUnchecked: true },
          ]);
          const floor = pick([-Infinity, -Infinity, -Infinity, 0, 0.3, 0.5]);
          const keep = pick([1, 5, 30]);
          const reference = everyRow(index, c, filter, floor);
          // Every block bounds each of its rows that qualifies: directly, whether ranking skips it or not.
          const bound = new BlockBound(
            prepareChallenge(index, c),
            weightVector(DEFAULT_WEIGHTS),
            signalsFor(index, prepareChallenge(index, c)),
            index.trackPrior,
            filter,
          );
          for (const r of floor === -Infinity ? reference : []) {
            const k = index.kind[r.row];
            expect(bound.of(index.kindBlocks[k], index.kindPos[r.row] >> B.BLOCK_SHIFT)).toBeGreaterThanOrEqual(
              r.score,
            );
          }
          // Counting, and best-first with the count known (what a count kept for the version gives).
          // Each kind's best, or only some kinds' (what a suggestion page asks for): the others' never come.
          const bestKinds = pick([ALL_KINDS, 0, (1 << kindNo('UNIVERSITY')) | (1 << kindNo('FAMILY'))]);
          for (const known of [undefined, reference.length]) {
            const p = prepareChallenge(index, c);
            const got = rankPartners(index, p, DEFAULT_WEIGHTS, keep, filter, floor, known, bestKinds);
            expect(got.total).toBe(reference.length);
            expect(got.top.map((r) => [r.row, r.score])).toEqual(reference.slice(0, keep).map((r) => [r.row, r.score]));
            for (let k = 0; k < KINDS.length; k++) {
              const best = (bestKinds >>> k) & 1 ? reference.find((r) => index.kind[r.row] === k) : undefined;
              const kept = got.bestOfKind.get(k);
              expect([k, kept?.row, kept?.score]).toEqual([k, best?.row, best?.score]);
            }
          }
        }
      }),
      runs,
    );
  });

  it('bounds a box by the distance to its nearest point, never more', () => {
    const lat = fc.double({ min: -90, max: 90, noNaN: true });
    const lon = fc.double({ min: -180, max: 180, noNaN: true });
    fc.assert(
      fc.property(
        lat,
        lon,
        lat,
        lat,
        lon,
        lon,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (...a) => {
          const [la, lo, y1, y2, x1, x2, s, t] = a;
          const [minLat, maxLat, minLon, maxLon] = [
            Math.min(y1, y2),
            Math.max(y1, y2),
            Math.min(x1, x2),
            Math.max(x1, x2),
          ];
          const inside = [minLat + s * (maxLat - minLat), minLon + t * (maxLon - minLon)] as const;
          const bound = kmToBox(la, lo, minLat, maxLat, minLon, maxLon);
          expect(bound).toBeLessThanOrEqual(distanceKm(la, lo, ...inside));
          for (const corner of [
            [minLat, minLon],
            [maxLat, maxLon],
          ] as const)
            expect(bound).toBeLessThanOrEqual(distanceKm(la, lo, ...corner));
          // And not much less: the nearest of many points along its edges (where the nearest point lies).
          let nearest = Infinity;
          const steps = 1000;
          for (let i = 0; i <= steps; i++) {
            const y = minLat + ((maxLat - minLat) * i) / steps;
            const x = minLon + ((maxLon - minLon) * i) / steps;
            for (const [py, px] of [
              [y, minLon],
              [y, maxLon],
              [minLat, x],
              [maxLat, x],
            ])
              nearest = Math.min(nearest, distanceKm(la, lo, py, px));
          }
          const inBox = la >= minLat && la <= maxLat && lo >= minLon && lo <= maxLon;
          const spacing = (Math.max(maxLat - minLat, maxLon - minLon) / steps) * 112;
          expect(bound).toBeGreaterThanOrEqual(inBox ? 0 : nearest * (1 - 1e-8) - spacing - 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sorts a list by its rows' keys, equal keys by row, as a comparison sort does", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 5000 }), { maxLength: 400 }),
        fc.array(fc.oneof(fc.nat({ max: 3 }), fc.maxSafeNat()), { minLength: 5001, maxLength: 5001 }),
        (rows, keys) => {
          const key = Float64Array.from(keys);
          const list = Int32Array.from(rows);
          B.sortRowsByKey(list, key);
          expect([...list]).toEqual([...rows].sort((a, b) => key[a] - key[b] || a - b));
        },
      ),
      { numRuns: 300 },
    );
  });
});
