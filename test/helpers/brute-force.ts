/**
 * The reference the match index is held to: the formulas (score-match.ts) applied to rows read
 * straight from PostgreSQL, in plain code, ranked by (score desc, id asc).
 */
import { DataSource } from 'typeorm';
import { ServiceArea, StakeholderKind } from '../../src/domain/enums';
import { MatchWeights } from '../../src/matching/combine';
import { Components } from '../../src/matching/components/registry';
import { scoredContexts } from '../../src/matching/inclusion';
import { DEFAULT_MIN_SCORE, PartnerFilterArgs } from '../../src/matching/match.service';
import { distanceKm } from '../../src/matching/proximity';
import { reaches, serviceAreaOf } from '../../src/matching/reach';
import { scorePair } from '../../src/matching/score-match';
import { defaultCheckTypes, todayIso, validUntil } from '../../src/matching/safeguarding';
import {
  EMPTY_RECORD,
  evidence,
  networkPrior,
  PROMPT_DAYS,
  track,
  TrackRecord,
  UNANSWERED_AFTER_DAYS,
} from '../../src/matching/track';

/** Every partner's track record counted in plain code from its partnerships, as track.ts defines it. */
async function trackRecordsByHand(db: DataSource): Promise<Map<string, TrackRecord>> {
  const day = 24 * 3600 * 1000;
  const rows: { id: string; status: string; created_at: Date; answered_at: Date | null; rating: number | null }[] =
    await db.query('SELECT stakeholder_id AS id, status, created_at, answered_at, rating FROM partnership');
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
    const silent = p.status === 'INVITED' && Date.now() - p.created_at.getTime() > UNANSWERED_AFTER_DAYS * day;
    if (silent || p.status === 'EXPIRED') r.unanswered++;
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
  hub_id: string | null;
  pupil_contact: string;
  /** YYYY-MM-DD (read with to_char). */
  planned_end: string | null;
}

/**
 * The safeguarding rule read in plain words from the rows: where the challenge's hub (or, with no
 * hub, the defaults) names its pupil contact, a partner needs a verified check of a type the policy
 * takes whose validity (issued + max age) reaches the later of today and the planned end.
 * Undefined when the challenge needs no check; else the set of partners that may come.
 */
async function checkedPartners(db: DataSource, c: ChallengeRow, schoolCountry: string | null) {
  const [hub]: { levels: string[]; types: string[] | null; months: number; country: string | null }[] = c.hub_id
    ? await db.query(
        `SELECT check_contact_levels AS levels, check_types AS types, check_max_age_months AS months,
           left(region_code, 2) AS country FROM hub WHERE id = $1`,
        [c.hub_id],
      )
    : [];
  const country = hub?.country ?? (c.region_code ? c.region_code.slice(0, 2) : schoolCountry);
  const levels = hub?.levels ?? ['UNSUPERVISED', 'REGULAR'];
  if (!levels.includes(c.pupil_contact)) return undefined;
  const types: string[] = hub?.types?.length ? hub.types : defaultCheckTypes(country);
  const months = hub?.months ?? 36;
  const today = todayIso();
  const judged = c.planned_end && c.planned_end > today ? c.planned_end : today;
  const checks: { id: string; type: string; issued: string }[] = await db.query(
    `SELECT stakeholder_id AS id, type, to_char(issued_on, 'YYYY-MM-DD') AS issued FROM safeguarding_check
     WHERE verified_at IS NOT NULL`,
  );
  return new Set(
    checks.filter((k) => types.includes(k.type) && validUntil(k.issued, months) >= judged).map((k) => k.id),
  );
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
export async function bruteForce(
  db: DataSource,
  challengeId: string,
  weights: MatchWeights,
  filter: PartnerFilterArgs | null = null,
  minScore = DEFAULT_MIN_SCORE,
) {
  const [c]: ChallengeRow[] = await db.query(
    `SELECT *, to_char(planned_end_on, 'YYYY-MM-DD') AS planned_end FROM challenge WHERE id = $1`,
    [challengeId],
  );
  const [school]: StakeholderRow[] = await db.query('SELECT * FROM stakeholder WHERE id = $1', [c.school_id]);
  const checked = filter?.includeUnchecked ? undefined : await checkedPartners(db, c, school.country_code);
  const links: { need_id: number; tag_id: number; credit: number; how: 'exact' }[] = await db.query(
    'SELECT * FROM expertise_links($1::int[])',
    [c.expertise_needed_ids],
  );
  const busy = new Set(
    (
      await db.query<{ stakeholder_id: string }[]>(
        `SELECT stakeholder_id FROM partnership
         WHERE challenge_id = $1 AND status IN ('PROPOSED', 'INVITED', 'ACCEPTED')`,
        [challengeId],
      )
    ).map((r: { stakeholder_id: string }) => r.stakeholder_id),
  );
  const accepted = new Map<string, number>(
    (
      await db.query<{ id: string; n: number }[]>(
        // Room is taken by accepted partnerships and by open invitations (availability.ts).
        `SELECT stakeholder_id AS id, count(*)::int AS n FROM partnership
         WHERE status IN ('ACCEPTED', 'PROPOSED', 'INVITED') GROUP BY 1`,
      )
    ).map((r: { id: string; n: number }) => [r.id, r.n]),
  );
  const records = await trackRecordsByHand(db);
  // Newcomers sit at the network's mean outcome: pooled over every record.
  let tenths = 0;
  let observations = 0;
  for (const r of records.values()) {
    const e = evidence(r);
    tenths += e.tenths;
    observations += e.observations;
  }
  const prior = networkPrior(tenths, observations);
  const rows: StakeholderRow[] = await db.query('SELECT * FROM stakeholder');
  const out: { id: string; kind: string; score: number; components: Components }[] = [];
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
    if (checked && !checked.has(s.id)) continue;
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
    if (score >= minScore) out.push({ id: s.id, kind: s.kind, score, components });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/**
 * Holds the live matching's stored states to the reference: for each challenge, the pairs stored
 * above 0 are exactly those the brute force keeps at `floor` with the default weights, with their
 * scores to 1e-9. Returns how many pairs were compared.
 */
export async function expectStatesOfBruteForce(
  dataSource: DataSource,
  challengeIds: readonly string[],
  weights: MatchWeights,
  floor: number,
): Promise<number> {
  let pairs = 0;
  for (const id of challengeIds) {
    const stored: { stakeholder_id: string; score: number }[] = await dataSource.query(
      'SELECT stakeholder_id, score FROM match_state WHERE challenge_id = $1 AND score > 0 ORDER BY stakeholder_id',
      [id],
    );
    const expected = await bruteForce(dataSource, id, weights, null, floor);
    expect(stored.map((s) => `${s.stakeholder_id} ${s.score.toFixed(9)}`)).toEqual(
      expected.map((e) => `${e.id} ${e.score.toFixed(9)}`).sort(),
    );
    pairs += stored.length;
  }
  return pairs;
}
