/**
 * The one file of the matcher that talks to PostgreSQL. Candidates are generated, scored and
 * ranked in SQL (GIN indexes on SDG and expertise arrays, a GiST index on the earth position,
 * trigram matching of tags); only the requested page comes back to Node.
 */
import { EntityManager } from 'typeorm';
import { StakeholderKind } from '../domain/enums';
import { badInput, notFound } from '../domain/errors';
import { regionTreeSql, requireRegion } from '../domain/region/region.service';
import { packCursor, unpackCursor } from '../domain/cursor';
import { slugify } from '../domain/text';
import * as v from '../domain/validate';
import { COMPONENTS, Components, DEFAULT_WEIGHTS, MatchWeights, MAX_WEIGHT } from './combine';
import { diversifyByKind } from './diversify';
import { bestCredits, ExpertiseLink } from './expertise-fit';
import { distanceKmSql } from './proximity';
import { greedyTeam, TeamCandidate } from './team';
import { Params, PairRow, pairQuery, ScoredMatch, toMatch } from './pair-query';

export type { ScoredMatch } from './pair-query';
export { FACTS } from './pair-query';

/** Narrowing of partner suggestions. */
export interface PartnerFilterArgs {
  kinds?: StakeholderKind[] | null;
  maxDistanceKm?: number | null;
  regionCode?: string | null;
  sdgs?: number[] | null;
  expertise?: string[] | null;
  /** A circle the partner must lie in, measured from its own centre (not the challenge's). */
  near?: { latitude: number; longitude: number; radiusKm: number } | null;
}

/** A page of ranked matches. */
export interface MatchPage {
  matches: ScoredMatch[];
  /** Rows the page's fields will ask for (candidates, tags), as raw database rows. */
  rows?: { stakeholders: Record<string, unknown>[]; tags: Record<string, unknown>[] };
  offset: number;
  window: number;
  total: number;
  hasNextPage: boolean;
}

/** Deepest position a ranked cursor may point at. */
export const MAX_RANK_OFFSET = 10_000_000;

/** Most suggestions one page may hold. */
export const MAX_SUGGESTIONS = 100;
/** Default page size of suggestions. */
export const DEFAULT_SUGGESTIONS = 10;
/** Candidates a team is picked from: the best by score, plus each wanted kind's best. */
export const TEAM_POOL = 200;
/** Largest team `suggestTeam` builds. */
export const MAX_TEAM_SIZE = 20;

/** Turns a raw row (database column names) into an entity, as TypeORM would have loaded it. */
export function rowToEntity<T>(manager: EntityManager, entity: new () => T, raw: Record<string, unknown>): T {
  const meta = manager.connection.getMetadata(entity);
  const e = meta.create() as Record<string, unknown>;
  for (const column of meta.columns) {
    const value = raw[column.databaseName];
    e[column.propertyName] = value !== null && (column.type === 'timestamptz' || column.type === Date) ? new Date(value as string) : value ?? null;
  }
  return e as T;
}

/** Checks client weights; absent components keep their default. */
export function resolveWeights(input: Partial<Record<keyof Components, number | null>> | null | undefined): MatchWeights {
  const w = { ...DEFAULT_WEIGHTS };
  for (const k of COMPONENTS) {
    const value = input?.[k];
    if (value !== undefined && value !== null) w[k] = v.numberInRange(`weights.${k}`, value, 0, MAX_WEIGHT);
  }
  if (COMPONENTS.every((k) => w[k] === 0)) throw badInput('weights', 'must not all be zero');
  return w;
}

/** Opaque cursor for ranked lists: the position, and the window diversified on the first page. */
export function encodeMatchCursor(offset: number, window: number): string {
  return packCursor('m', [offset, window]);
}

export function decodeMatchCursor(cursor: string): { offset: number; window: number } {
  const parts = unpackCursor('after', cursor, 'm', 2, 'a cursor returned by this API');
  // Offsets past any real list are refused here rather than overflowing a bigint in SQL.
  return { offset: parts.int(0, MAX_RANK_OFFSET), window: parts.int(1, MAX_SUGGESTIONS) };
}

/** The needed tags of a challenge expanded into every tag that earns credit, read once per request. */
async function challengeNeeds(manager: EntityManager, id: string) {
  const rows: { links: ExpertiseLink[] | null; needed: number[]; wanted: StakeholderKind[] }[] = await manager.query(
    `SELECT c.expertise_needed_ids AS needed, c.wanted_kinds AS wanted,
       (SELECT json_agg(json_build_object('needId', l.need_id, 'tagId', l.tag_id, 'credit', l.credit, 'how', l.how))
        FROM expertise_links(c.expertise_needed_ids) l) AS links
     FROM challenge c WHERE c.id = $1`,
    [v.uuid('challengeId', id)],
  );
  if (rows.length === 0) throw notFound('Challenge', id, 'challengeId');
  return { links: rows[0].links ?? [], needed: rows[0].needed, wanted: rows[0].wanted };
}

/**
 * Forward direction: one challenge, every stakeholder. The expanded links are inlined as array
 * overlaps (per need, the best credit whose tags the candidate has), so each candidate costs a
 * few array tests instead of a subquery.
 */
function forwardCreditSql(p: Params, links: readonly ExpertiseLink[]): string {
  const byNeed = new Map<number, Map<number, number[]>>();
  for (const l of links) {
    const credits = byNeed.get(l.needId) ?? new Map<number, number[]>();
    credits.set(l.credit, [...(credits.get(l.credit) ?? []), l.tagId]);
    byNeed.set(l.needId, credits);
  }
  const perNeed = [...byNeed.values()].map((credits) => {
    const cases = [...credits.entries()].map(([credit, tags]) => `CASE WHEN s.expertise_ids && ${p.add(tags)}::int[] THEN ${p.add(credit)}::float8 END`);
    return `coalesce(greatest(${cases.join(', ')}), 0)`;
  });
  return perNeed.length ? `(${perNeed.join(' + ')})` : '0::float8';
}

const ACTIVE = `('INVITED', 'ACCEPTED')`;

/** Stakeholders whose accepted partnerships reach their capacity: computed once, then anti-joined. */
const FULL = `full_partners AS (
  SELECT pa.stakeholder_id FROM partnership pa JOIN stakeholder x ON x.id = pa.stakeholder_id
  WHERE pa.status = 'ACCEPTED' GROUP BY pa.stakeholder_id, x.capacity HAVING count(*) >= x.capacity)`;
const HAS_ROOM = (s: string) => `${s}.capacity > 0 AND NOT EXISTS (SELECT 1 FROM full_partners fp WHERE fp.stakeholder_id = ${s}.id)`;

async function forwardFilters(manager: EntityManager, p: Params, filter: PartnerFilterArgs | null | undefined): Promise<string[]> {
  const where: string[] = [];
  const f = filter ?? {};
  if (f.kinds?.length) where.push(`s.kind = ANY(${p.add(f.kinds)}::text[])`);
  if (f.maxDistanceKm !== undefined && f.maxDistanceKm !== null) {
    const m = p.add(v.numberInRange('filter.maxDistanceKm', f.maxDistanceKm, 0, 20040));
    // The earth_box test is what the GiST index on ll_to_earth(latitude, longitude) serves.
    where.push(`c.latitude IS NOT NULL AND s.latitude IS NOT NULL
      AND earth_box(ll_to_earth(c.latitude, c.longitude), ${m} * 1000) @> ll_to_earth(s.latitude, s.longitude)
      AND ${distanceKmSql('c.latitude', 'c.longitude', 's.latitude', 's.longitude')} <= ${m}`);
  }
  if (f.near) {
    const point = v.geoPoint('filter.near', f.near);
    const km = p.add(v.numberInRange('filter.near.radiusKm', f.near.radiusKm, 0, 20040));
    const lat = p.add(point.latitude);
    const lon = p.add(point.longitude);
    where.push(`s.latitude IS NOT NULL
      AND earth_box(ll_to_earth(${lat}, ${lon}), ${km} * 1000) @> ll_to_earth(s.latitude, s.longitude)
      AND ${distanceKmSql(`${lat}::float8`, `${lon}::float8`, 's.latitude', 's.longitude')} <= ${km}`);
  }
  if (f.regionCode) {
    const region = await requireRegion(manager, 'filter.regionCode', f.regionCode);
    where.push(`s.region_code IN ${regionTreeSql(p.add(region.code))}`);
  }
  if (f.sdgs?.length) where.push(`s.sdg_ids && ${p.add(v.sdgList('filter.sdgs', f.sdgs, { nonEmpty: false }))}::smallint[]`);
  if (f.expertise?.length) {
    where.push(`s.expertise_ids && ARRAY(SELECT id FROM expertise WHERE slug = ANY(${p.add(f.expertise.map(slugify))}::text[]))`);
  }
  return where;
}

function forwardSql(p: Params, challengeId: string, links: readonly ExpertiseLink[], where: string[], weights: MatchWeights, keep: string): string {
  const credit = forwardCreditSql(p, links);
  const tags = p.add([...new Set(links.map((l) => l.tagId))]);
  return pairQuery({
    with: `ch AS (SELECT * FROM challenge WHERE id = ${p.add(challengeId)}), ${FULL}`,
    from: `FROM ch c JOIN stakeholder sc ON sc.id = c.school_id
      JOIN stakeholder s ON s.id <> c.school_id
      WHERE (s.sdg_ids && c.sdg_ids OR s.expertise_ids && ${tags}::int[])
        AND (cardinality(c.wanted_kinds) = 0 OR s.kind = ANY(c.wanted_kinds))
        AND NOT EXISTS (SELECT 1 FROM partnership p WHERE p.challenge_id = c.id AND p.stakeholder_id = s.id AND p.status IN ${ACTIVE})
        AND ${HAS_ROOM('s')}
        ${where.map((w) => `AND ${w}`).join('\n')}`,
    creditSum: credit,
    linksJson: 'NULL::json',
    weights,
    keep,
  });
}

/** Kinds the first page should show: the challenge's wanted kinds, narrowed by the filter's. */
export function wantedKinds(challengeWants: readonly StakeholderKind[], filterKinds: readonly StakeholderKind[]): StakeholderKind[] {
  if (challengeWants.length === 0) return [...new Set(filterKinds)];
  if (filterKinds.length === 0) return [...challengeWants];
  return challengeWants.filter((k) => filterKinds.includes(k));
}

/** Arguments of {@link suggestPartners}. */
export interface SuggestPartnersArgs {
  challengeId: string;
  filter?: PartnerFilterArgs | null;
  weights?: MatchWeights;
  first?: number | null;
  after?: string | null;
}

/** The ranked-candidates statement of a suggestPartners request (also used by the EXPLAIN benchmark). */
export async function suggestPartnersQuery(manager: EntityManager, args: SuggestPartnersArgs) {
  const first = v.intInRange('first', args.first ?? DEFAULT_SUGGESTIONS, 0, MAX_SUGGESTIONS);
  const { offset, window } = args.after ? decodeMatchCursor(args.after) : { offset: 0, window: first };
  const weights = args.weights ?? DEFAULT_WEIGHTS;
  const { links } = await challengeNeeds(manager, args.challengeId);
  const p = new Params();
  const where = await forwardFilters(manager, p, args.filter);
  // Enough rows to fill the page after promotions, plus each kind's best for diversity.
  const reach = offset + first + Object.keys(StakeholderKind).length;
  const sql = forwardSql(p, v.uuid('challengeId', args.challengeId), links, where, weights, `n.rnk <= ${p.add(reach)} OR n.kind_rnk = 1`);
  return { sql, values: p.values, first, offset, window, weights, reach, links };
}

/**
 * Ranked partner suggestions for a challenge: SQL ranks every candidate, the first page is
 * re-ranked to show each wanted kind, and the page is scored again in TypeScript for the breakdown.
 */
export async function suggestPartners(manager: EntityManager, args: SuggestPartnersArgs): Promise<MatchPage> {
  const { sql, values, first, offset, window, weights, reach, links } = await suggestPartnersQuery(manager, args);
  const rows: PairRow[] = await manager.query(sql, values);
  const wanted = wantedKinds(rows[0]?.wanted_kinds ?? [], args.filter?.kinds ?? []);
  const ranked = diversifyByKind(
    rows.filter((r) => Number(r.rnk) <= reach || wanted.includes(r.kind)),
    wanted,
    window,
  );
  const total = rows.length ? Number(rows[0].total) : 0;
  const page = ranked.slice(offset, offset + first);
  return {
    matches: page.map((r) => toMatch(r, weights, links)),
    rows: { stakeholders: page.map((r) => r.candidate_row), tags: page.flatMap((r) => r.tag_rows ?? []) },
    offset,
    window,
    total,
    hasNextPage: offset + first < total,
  };
}

/** Best partners that together cover the challenge's needed expertise and wanted kinds. */
export async function suggestTeam(manager: EntityManager, challengeId: string, size: number) {
  v.intInRange('size', size, 1, MAX_TEAM_SIZE);
  const { links, needed, wanted } = await challengeNeeds(manager, challengeId);
  const p = new Params();
  const sql = forwardSql(p, challengeId, links, [], DEFAULT_WEIGHTS, `n.rnk <= ${p.add(TEAM_POOL)} OR n.kind_rnk = 1`);
  const rows: PairRow[] = await manager.query(sql, p.values);
  const matches = rows.map((r) => toMatch(r, DEFAULT_WEIGHTS, links));
  const candidates: (TeamCandidate<StakeholderKind> & { match: ScoredMatch })[] = matches.map((m) => ({
    id: m.stakeholderId,
    kind: m.kind,
    score: m.score,
    credits: bestCredits(m.links),
    match: m,
  }));
  const team = greedyTeam(candidates, needed, wanted, size);
  return { ...team, members: team.members.map((m) => m.match) };
}

function reverseSql(p: Params, stakeholderId: string, keep: (p: Params) => string): string {
  const me = p.add(stakeholderId);
  return pairQuery({
    with: `me AS (SELECT * FROM stakeholder WHERE id = ${me}), ${FULL}`,
    from: `FROM me s
      JOIN challenge c ON c.school_id <> s.id AND c.phase <> 'COMPLETED'
      JOIN stakeholder sc ON sc.id = c.school_id
      WHERE (c.sdg_ids && s.sdg_ids
             OR EXISTS (SELECT 1 FROM expertise_links(c.expertise_needed_ids) l WHERE l.tag_id = ANY(s.expertise_ids)))
        AND (cardinality(c.wanted_kinds) = 0 OR s.kind = ANY(c.wanted_kinds))
        AND NOT EXISTS (SELECT 1 FROM partnership p WHERE p.challenge_id = c.id AND p.stakeholder_id = s.id AND p.status IN ${ACTIVE})
        AND ${HAS_ROOM('s')}`,
    creditSum: `(SELECT coalesce(sum(m), 0) FROM (SELECT max(l.credit) AS m FROM expertise_links(c.expertise_needed_ids) l
      WHERE l.tag_id = ANY(s.expertise_ids) GROUP BY l.need_id) x)`,
    linksJson: `(SELECT json_agg(json_build_object('needId', l.need_id, 'tagId', l.tag_id, 'credit', l.credit, 'how', l.how))
      FROM expertise_links(c.expertise_needed_ids) l WHERE l.tag_id = ANY(s.expertise_ids))`,
    weights: DEFAULT_WEIGHTS,
    keep: keep(p),
  });
}

async function requireStakeholder(manager: EntityManager, id: string): Promise<string> {
  const uuid = v.uuid('stakeholderId', id);
  const exists = await manager.query(`SELECT 1 FROM stakeholder WHERE id = $1`, [uuid]);
  if (exists.length === 0) throw notFound('Stakeholder', id, 'stakeholderId');
  return uuid;
}

/** Open challenges a stakeholder fits best: the reverse view, with the same scores. */
export async function suggestChallenges(
  manager: EntityManager,
  args: { stakeholderId: string; first?: number | null; after?: string | null },
): Promise<MatchPage> {
  const first = v.intInRange('first', args.first ?? DEFAULT_SUGGESTIONS, 0, MAX_SUGGESTIONS);
  const { offset, window } = args.after ? decodeMatchCursor(args.after) : { offset: 0, window: first };
  const id = await requireStakeholder(manager, args.stakeholderId);
  const p = new Params();
  // Row 1 always comes back, so a page past the end still carries the total.
  const sql = reverseSql(p, id, (q) => `(n.rnk > ${q.add(offset)} AND n.rnk <= ${q.add(offset + first)}) OR n.rnk = 1`);
  const rows: PairRow[] = await manager.query(sql, p.values);
  const total = rows.length ? Number(rows[0].total) : 0;
  const page = rows.filter((r) => Number(r.rnk) > offset && Number(r.rnk) <= offset + first);
  return { matches: page.map((r) => toMatch(r, DEFAULT_WEIGHTS)), offset, window, total, hasNextPage: offset + first < total };
}

/** Every open challenge a stakeholder scores at least `floor` for (default weights). */
export async function matchesOfStakeholder(manager: EntityManager, stakeholderId: string, floor: number): Promise<ScoredMatch[]> {
  const p = new Params();
  const sql = reverseSql(p, v.uuid('stakeholderId', stakeholderId), (q) => `n.score >= ${q.add(floor)}`);
  const rows: PairRow[] = await manager.query(sql, p.values);
  return rows.map((r) => toMatch(r, DEFAULT_WEIGHTS));
}

/** Every stakeholder that scores at least `floor` for a challenge (default weights). */
export async function matchesOfChallenge(manager: EntityManager, challengeId: string, floor: number): Promise<ScoredMatch[]> {
  const { links } = await challengeNeeds(manager, challengeId);
  const p = new Params();
  const sql = forwardSql(p, challengeId, links, [], DEFAULT_WEIGHTS, `n.score >= ${p.add(floor)}`);
  const rows: PairRow[] = await manager.query(sql, p.values);
  return rows.map((r) => toMatch(r, DEFAULT_WEIGHTS, links));
}
