/**
 * The match index against references: the ranking SQL it replaces, and a brute force that
 * applies the formulas (score-match.ts) to rows read straight from PostgreSQL — same ids, same
 * order, scores equal to 1e-9, same totals, across challenges, filters and weights. Then a
 * random sequence of writes, each refreshed into a live index, must leave it equal to a fresh load.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { MatchWeights } from '../../src/matching/combine';
import { Components, COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { linkCredit } from '../../src/matching/expertise-fit';
import { scoredContexts } from '../../src/matching/inclusion';
import { loadMatchIndex, refreshIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { DEFAULT_MIN_SCORE, PartnerFilterArgs } from '../../src/matching/match.service';
import { reaches, serviceAreaOf } from '../../src/matching/reach';
import { distanceKm } from '../../src/matching/proximity';
import { scorePair } from '../../src/matching/score-match';
import {
  EMPTY_RECORD,
  evidence,
  networkPrior,
  PROMPT_DAYS,
  track,
  TrackRecord,
  UNANSWERED_AFTER_DAYS,
} from '../../src/matching/track';
import { suggestPartnersOnIndex } from '../../src/matching/suggest.service';
import { ServiceArea, StakeholderKind } from '../../src/domain/enums';
import { Stakeholder } from '../../src/domain/stakeholder/stakeholder.entity';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { In } from 'typeorm';
import { RankPool, startRankPool } from '../../src/matching/workers/rank-pool';
import { matchStakeholders } from '../../src/matching/index/rank-on-index';

let db: TestDatabase;
let index: MatchIndex;
let pool: RankPool | undefined;
let challengeIds: string[];

const load = (ids: string[]) => db.dataSource.getRepository(Stakeholder).findBy({ id: In(ids) });
const tagIds = async (slugs: string[]) =>
  (
    (await db.dataSource.query('SELECT id FROM expertise WHERE slug = ANY($1::text[])', [slugs])) as { id: number }[]
  ).map((r) => r.id);

beforeAll(async () => {
  db = await createTestDatabase();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'idx-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 3000, challenges: 40, seed: 7 });
  await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  challengeIds = (await db.dataSource.query<{ id: string }[]>(`SELECT id FROM challenge ORDER BY external_id`)).map(
    (r: { id: string }) => r.id,
  );
  // Some partners busy on a challenge, some full, some erased: every exclusion is exercised.
  await db.dataSource.query(`
    INSERT INTO partnership (challenge_id, stakeholder_id, status)
    SELECT c.id, s.id, CASE WHEN s.n % 2 = 0 THEN 'INVITED' ELSE 'ACCEPTED' END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) c
    JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
      ON s.n % 40 = c.r % 40
    WHERE s.n < 400`);
  // A history for a thousand partners, two months old: declined, completed (rated or not, answered
  // within a week or later), withdrawn, and invitations never answered — their track records differ.
  await db.dataSource.query(`
    INSERT INTO partnership (challenge_id, stakeholder_id, status, created_at, answered_at, rating)
    SELECT c.id, s.id, (ARRAY['DECLINED', 'COMPLETED', 'INVITED', 'WITHDRAWN', 'COMPLETED'])[1 + s.n % 5],
      now() - interval '60 days',
      CASE WHEN s.n % 5 IN (0, 1, 4) THEN now() - interval '60 days' + (s.n % 13) * interval '1 day' END,
      CASE WHEN s.n % 5 = 1 THEN 1 + (s.n / 5) % 5 END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) c
    JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
      ON (s.n * 7) % 40 = c.r % 40
    WHERE s.n BETWEEN 400 AND 1400`);
  await db.dataSource.query(
    `UPDATE stakeholder SET capacity = 1
     WHERE id IN (SELECT stakeholder_id FROM partnership WHERE status = 'ACCEPTED' LIMIT 20)`,
  );
  await db.dataSource.query(
    `UPDATE stakeholder SET erased_at = now(), capacity = 0
     WHERE external_id IN (SELECT external_id FROM stakeholder ORDER BY external_id DESC LIMIT 15)`,
  );
  index = await loadMatchIndex(db.dataSource);
  // Rankings run where the service runs them: in the worker pool, over the shared columns.
  pool = await startRankPool({ threads: 2 });
  index.ranker = pool;
}, 120_000);
afterAll(async () => {
  await pool?.stop();
  await db?.drop();
});

/** Every partner's track record counted in plain code from its partnerships, as track.ts defines it. */
async function trackRecordsByHand(): Promise<Map<string, TrackRecord>> {
  const day = 24 * 3600 * 1000;
  const rows: { id: string; status: string; created_at: Date; answered_at: Date | null; rating: number | null }[] =
    await db.dataSource.query('SELECT stakeholder_id AS id, status, created_at, answered_at, rating FROM partnership');
  const out = new Map<string, TrackRecord>();
  for (const p of rows) {
    const r = out.get(p.id) ?? { ...EMPTY_RECORD };
    const days = p.answered_at ? (p.answered_at.getTime() - p.created_at.getTime()) / day : null;
    const accepted = p.status === 'ACCEPTED' || p.status === 'COMPLETED';
    if (days !== null && accepted) {
      if (days <= PROMPT_DAYS) r.promptAccepts++;
      else r.lateAccepts++;
    }
    if (p.status === 'DECLINED') r.declines++;
    if (days !== null && days <= PROMPT_DAYS) r.promptAnswers++;
    if (p.status === 'INVITED' && Date.now() - p.created_at.getTime() > UNANSWERED_AFTER_DAYS * day) r.unanswered++;
    if (p.status === 'COMPLETED') {
      r.completed++;
      if (p.rating !== null) {
        r.ratingSum += p.rating;
        r.ratings++;
      }
    }
    out.set(p.id, r);
  }
  return out;
}

/** The columns of a challenge row that the brute force reads. */
interface ChallengeRow {
  school_id: string;
  sdg_ids: number[];
  expertise_needed_ids: number[];
  wanted_kinds: StakeholderKind[];
  latitude: number | null;
  /** Null when latitude is (the two are set together); the checks below test latitude. */
  longitude: number | null;
  radius_km: number;
  region_code: string | null;
}

/** The columns of a stakeholder row (a candidate's, or the school's) that the brute force reads. */
interface StakeholderRow {
  id: string;
  kind: StakeholderKind;
  erased_at: Date | null;
  capacity: number;
  sdg_ids: number[];
  expertise_ids: number[];
  latitude: number | null;
  /** Null when latitude is (the table checks it); the checks below test latitude. */
  longitude: number | null;
  country_code: string | null;
  region_code: string | null;
  service_area: ServiceArea | null;
  education_levels: number[];
  languages: string[];
  underserved_contexts: string[];
}

/** The formulas applied to rows read straight from PostgreSQL, ranked by (score desc, id asc). */
async function bruteForce(
  challengeId: string,
  weights: MatchWeights,
  filter: PartnerFilterArgs | null = null,
  minScore = DEFAULT_MIN_SCORE,
) {
  const [c]: ChallengeRow[] = await db.dataSource.query('SELECT * FROM challenge WHERE id = $1', [challengeId]);
  const [school]: StakeholderRow[] = await db.dataSource.query('SELECT * FROM stakeholder WHERE id = $1', [
    c.school_id,
  ]);
  const links: { need_id: number; tag_id: number; credit: number; how: 'exact' }[] = await db.dataSource.query(
    'SELECT * FROM expertise_links($1::int[])',
    [c.expertise_needed_ids],
  );
  const busy = new Set(
    (
      await db.dataSource.query<{ stakeholder_id: string }[]>(
        `SELECT stakeholder_id FROM partnership
         WHERE challenge_id = $1 AND status IN ('PROPOSED', 'INVITED', 'ACCEPTED')`,
        [challengeId],
      )
    ).map((r: { stakeholder_id: string }) => r.stakeholder_id),
  );
  const accepted = new Map<string, number>(
    (
      await db.dataSource.query<{ id: string; n: number }[]>(
        `SELECT stakeholder_id AS id, count(*)::int AS n FROM partnership WHERE status = 'ACCEPTED' GROUP BY 1`,
      )
    ).map((r: { id: string; n: number }) => [r.id, r.n]),
  );
  const records = await trackRecordsByHand();
  // Newcomers sit at the network's mean outcome: pooled over every record.
  let tenths = 0;
  let observations = 0;
  for (const r of records.values()) {
    const e = evidence(r);
    tenths += e.tenths;
    observations += e.observations;
  }
  const prior = networkPrior(tenths, observations);
  const rows: StakeholderRow[] = await db.dataSource.query('SELECT * FROM stakeholder');
  const out: { id: string; score: number; components: Components }[] = [];
  for (const s of rows) {
    if (
      s.id === c.school_id ||
      s.erased_at ||
      s.capacity <= 0 ||
      (accepted.get(s.id) ?? 0) >= s.capacity ||
      busy.has(s.id)
    )
      continue;
    if (c.wanted_kinds.length && !c.wanted_kinds.includes(s.kind)) continue;
    if (filter?.kinds?.length && !filter.kinds.includes(s.kind)) continue;
    if (filter?.sdgs?.length && !s.sdg_ids.some((x: number) => filter.sdgs!.includes(x))) continue;
    if (filter?.maxDistanceKm !== undefined && filter.maxDistanceKm !== null) {
      if (c.latitude === null || s.latitude === null) continue;
      if (distanceKm(c.latitude, c.longitude!, s.latitude, s.longitude!) > filter.maxDistanceKm) continue;
    }
    if (filter?.near) {
      if (
        s.latitude === null ||
        distanceKm(filter.near.latitude, filter.near.longitude, s.latitude, s.longitude!) > filter.near.radiusKm
      )
        continue;
    }
    const shared = s.sdg_ids.filter((x: number) => c.sdg_ids.includes(x)).length;
    const best = new Map<number, number>();
    for (const l of links)
      if (s.expertise_ids.includes(l.tag_id)) best.set(l.need_id, Math.max(best.get(l.need_id) ?? 0, l.credit));
    if (shared === 0 && best.size === 0) continue;
    const located = c.latitude !== null && s.latitude !== null;
    const d = located ? distanceKm(c.latitude!, c.longitude!, s.latitude!, s.longitude!) : null;
    const place = { countryCode: c.region_code ? null : school.country_code, regionCode: c.region_code };
    if (
      !reaches(
        serviceAreaOf(s.kind, s.service_area),
        { countryCode: s.country_code, regionCode: s.region_code },
        place,
        d,
      )
    )
      continue;
    const { score, components } = scorePair(
      {
        challengeSdgs: c.sdg_ids.length,
        candidateSdgs: s.sdg_ids.length,
        sharedSdgs: shared,
        neededCount: c.expertise_needed_ids.length,
        creditSum: [...best.values()].reduce((a, b) => a + b, 0),
        distanceKm: d,
        radiusKm: c.radius_km,
        wantedKinds: c.wanted_kinds,
        kind: s.kind,
        schoolLevels: school.education_levels,
        candidateLevels: s.education_levels,
        schoolLanguages: school.languages,
        candidateLanguages: s.languages,
        schoolContexts: school.underserved_contexts.length,
        candidateContexts: scoredContexts(s.kind, s.underserved_contexts.length),
        candidateTrack: track(records.get(s.id) ?? EMPTY_RECORD, prior),
      },
      weights,
    );
    if (score >= minScore) out.push({ id: s.id, score, components });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

const FILTERS: (PartnerFilterArgs | null)[] = [
  null,
  { kinds: ['UNIVERSITY', 'INDUSTRY'] as never },
  { maxDistanceKm: 25 },
  { maxDistanceKm: 150, kinds: ['CIVIL_SOCIETY'] as never },
  { sdgs: [13, 6] },
  { near: { latitude: 52.22, longitude: 6.89, radiusKm: 60 } },
];
// The defaults, then each registered component in turn weighing ten times the others: a component
// the index's ranking computes differently from the reference (or not at all) shows up here.
const WEIGHTS: MatchWeights[] = [
  DEFAULT_WEIGHTS,
  ...COMPONENTS.map((k) => Object.fromEntries(COMPONENTS.map((n) => [n, n === k ? 5 : 0.5])) as MatchWeights),
];

describe('the match index ranks as the reference does', () => {
  it('equals the brute force on every challenge, filters and weights: ids, order, scores to 1e-9, totals', async () => {
    for (const [n, challengeId] of challengeIds.entries()) {
      for (const [w, weights] of WEIGHTS.entries()) {
        const filter = FILTERS[(n + w) % FILTERS.length];
        const minScore = [DEFAULT_MIN_SCORE, 0, 0.5][w % 3];
        const reference = await bruteForce(challengeId, weights, filter, minScore);
        const page = await suggestPartnersOnIndex(
          index,
          { challengeId, weights, filter, first: 100, minScore },
          load,
          tagIds,
        );
        expect(page.total).toBe(reference.length);
        // The first page may promote wanted kinds; compare it as a set, and its members' scores.
        const referenceOf = new Map(reference.map((r) => [r.id, r]));
        for (const m of page.matches) {
          const r = referenceOf.get(m.stakeholderId)!;
          expect(Math.abs(m.score - r.score)).toBeLessThan(1e-9);
          // Component by component, for every registered one.
          for (const k of COMPONENTS)
            expect([k, Math.abs(m.components[k] - r.components[k]) < 1e-9]).toEqual([k, true]);
        }
        const ranked = reference.slice(0, 100).map((r) => r.id);
        const shown = page.matches.map((m) => m.stakeholderId);
        const unpromoted = shown.filter((id) => ranked.includes(id));
        expect(unpromoted).toEqual(ranked.filter((id) => unpromoted.includes(id)));
      }
    }
  }, 180_000); // a brute force over every challenge, weights and filter: slow on a busy machine

  it('matches stakeholders in bulk (live matching, imports) to exactly the pairs the brute force keeps', async () => {
    const open: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM challenge WHERE phase <> 'COMPLETED' ORDER BY id`,
    );
    const expected: string[] = [];
    for (const { id } of open) {
      for (const r of await bruteForce(id, DEFAULT_WEIGHTS, null, DEFAULT_MIN_SCORE))
        expected.push(`${r.id} ${id} ${r.score.toFixed(9)}`);
    }
    expect(expected.length).toBeGreaterThan(100);
    const everyone: { id: string }[] = await db.dataSource.query('SELECT id FROM stakeholder ORDER BY id');
    const ids = everyone.map((s) => s.id);
    const found = await matchStakeholders(index, ids, DEFAULT_WEIGHTS, DEFAULT_MIN_SCORE);
    expect(found.map((f) => `${f.stakeholderId} ${f.challenge.id} ${f.ranked.score.toFixed(9)}`).sort()).toEqual(
      expected.sort(),
    );
    // Stakeholders in the order asked, each one's pairs best first.
    const at = new Map(ids.map((id, i) => [id, i]));
    for (let i = 1; i < found.length; i++) {
      const [a, b] = [found[i - 1], found[i]];
      expect(at.get(a.stakeholderId)! < at.get(b.stakeholderId)! || a.ranked.score >= b.ranked.score).toBe(true);
    }
  }, 120_000);

  it('gives the links the credit the expertise formula says', () => {
    for (const c of index.challenges.values())
      for (const l of c.links) if (l.how !== 'similar') expect(l.credit).toBe(linkCredit(l.how));
  });
});

/** The logical content of an index: what a fresh load and a live one must agree on. */
function snapshot(ix: MatchIndex) {
  const rows: Record<string, unknown> = {};
  for (let row = 0; row < ix.size; row++) {
    rows[ix.ids.idOf(row)] = {
      kind: ix.kind[row],
      lat: ix.lat[row],
      lon: ix.lon[row],
      sdg: ix.sdgMask[row],
      levels: ix.levelMask[row],
      contexts: ix.scoredContexts[row],
      capacity: ix.capacity[row],
      accepted: ix.accepted[row],
      alive: ix.alive[row],
      region: ix.regions[ix.region[row]],
      country: ix.countries[ix.country[row]],
      tags: [...ix.tagsOf(row)].sort(),
      languages: ix.languagesOf(row).sort(),
      track: [ix.trackTenths[row], ix.trackObservations[row], ix.dueInvitations[row], ix.completed[row]],
    };
  }
  const challenges: Record<string, unknown> = {};
  for (const [id, c] of ix.challenges) {
    challenges[id] = {
      ...c,
      // A memo filled by ranking, not content.
      schoolRow: undefined,
      linkTable: undefined,
      linksByTag: undefined,
      links: [...c.links].sort((a, b) => a.needId - b.needId || a.tagId - b.tagId),
      active: [...c.active].sort(),
      dismissed: [...c.dismissed].sort(),
    };
  }
  return { rows, challenges, trackPrior: ix.trackPrior };
}

describe('kept current by refreshes', () => {
  it('equals a freshly loaded index after any sequence of writes', async () => {
    const ids = async (sql: string) => (await db.dataSource.query<{ id: string }[]>(sql)).map((r) => r.id);
    const stakeholders = await ids(
      `SELECT id FROM stakeholder WHERE erased_at IS NULL AND kind <> 'SCHOOL' ORDER BY id LIMIT 300`,
    );
    const write = fc.oneof(
      fc.record({
        op: fc.constant('capacity' as const),
        s: fc.constantFrom(...stakeholders),
        n: fc.integer({ min: 0, max: 4 }),
      }),
      fc.record({
        op: fc.constant('profile' as const),
        s: fc.constantFrom(...stakeholders),
        sdg: fc.integer({ min: 1, max: 17 }),
      }),
      fc.record({ op: fc.constant('erase' as const), s: fc.constantFrom(...stakeholders) }),
      fc.record({
        op: fc.constant('invite' as const),
        s: fc.constantFrom(...stakeholders),
        c: fc.constantFrom(...challengeIds),
      }),
      fc.record({ op: fc.constant('accept' as const), c: fc.constantFrom(...challengeIds) }),
      fc.record({
        op: fc.constant('challenge' as const),
        c: fc.constantFrom(...challengeIds),
        km: fc.integer({ min: 5, max: 200 }),
      }),
      fc.record({
        op: fc.constant('newTag' as const),
        s: fc.constantFrom(...stakeholders),
        n: fc.integer({ min: 0, max: 1e6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), async (writes) => {
        for (const w of writes) {
          const q = <T = unknown[]>(sql: string, p: unknown[]) => db.dataSource.query<T>(sql, p);
          switch (w.op) {
            case 'capacity':
              await q('UPDATE stakeholder SET capacity = $2 WHERE id = $1', [w.s, w.n]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'profile':
              await q(
                `UPDATE stakeholder SET sdg_ids = ARRAY[$2]::smallint[], languages = '{fr,nl}', education_levels = '{3}'
                 WHERE id = $1`,
                [w.s, w.sdg],
              );
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'erase':
              await q(
                `UPDATE stakeholder SET erased_at = now(), capacity = 0, sdg_ids = '{}', expertise_ids = '{}'
                 WHERE id = $1`,
                [w.s],
              );
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'invite': {
              const [p] = await q<{ id: string }[]>(
                `INSERT INTO partnership (challenge_id, stakeholder_id, status) VALUES ($1, $2, 'INVITED')
                ON CONFLICT DO NOTHING RETURNING id`,
                [w.c, w.s],
              );
              if (p)
                await refreshIndex(index, db.dataSource, { partnership: { challengeId: w.c, stakeholderId: w.s } });
              break;
            }
            case 'accept': {
              // TypeORM answers an UPDATE … RETURNING with [rows, count].
              const [[p]] = await q<[{ challenge_id: string; stakeholder_id: string }[], number]>(
                `UPDATE partnership SET status = 'ACCEPTED' WHERE id = (SELECT id FROM partnership
                WHERE challenge_id = $1 AND status = 'INVITED' LIMIT 1) RETURNING challenge_id, stakeholder_id`,
                [w.c],
              );
              if (p)
                await refreshIndex(index, db.dataSource, {
                  partnership: { challengeId: p.challenge_id, stakeholderId: p.stakeholder_id },
                });
              break;
            }
            case 'challenge':
              await q('UPDATE challenge SET radius_km = $2, latitude = latitude + 0.01 WHERE id = $1', [w.c, w.km]);
              await refreshIndex(index, db.dataSource, { challengeId: w.c });
              break;
            case 'newTag': {
              const [tag] = await q<{ id: number }[]>(
                `INSERT INTO expertise (slug, label) VALUES ($1, $1)
                 ON CONFLICT (slug) DO UPDATE SET label = EXCLUDED.label
                RETURNING id`,
                [`hydrology-${w.n}`],
              );
              await q('UPDATE stakeholder SET expertise_ids = array_append(expertise_ids, $2) WHERE id = $1', [
                w.s,
                tag.id,
              ]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            }
          }
        }
        expect(snapshot(index)).toEqual(snapshot(await loadMatchIndex(db.dataSource)));
      }),
      { numRuns: 8 },
    );
  }, 180_000);
});
