/**
 * Suggestions served by the match index: partners for a challenge, challenges for a partner,
 * teams, and the matches live matching stores. The index ranks; the page's rows are read
 * through the caller's loaders (one batched statement), never scored again in SQL.
 */
import { roomOf } from './availability';
import { StakeholderKind } from '../domain/enums';
import { notFound } from '../domain/errors';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { slugify } from '../domain/text';
import * as v from '../domain/validate';
import { MatchWeights } from './combine';
import { DEFAULT_WEIGHTS } from './components/registry';
import { diversifyByKind } from './diversify';
import { bestCredits } from './expertise-fit';
import { ChallengeFacts } from './index/index-facts';
import { KINDS } from './index/column-codes';
import { MatchIndex } from './index/match-index';
import { compareUuids } from './index/uuid-table';
import { IndexFilter, kindMaskOf, Ranked, sdgMaskOf } from './index/rank';
import { matchStakeholders, onOneLayout, rankPartnersOf } from './index/rank-on-index';
import { rankPair } from './index/rank-pair';
import {
  decodeMatchCursor,
  DEFAULT_SUGGESTIONS,
  MatchPage,
  MAX_RANK_OFFSET,
  MAX_SUGGESTIONS,
  pageSizeAt,
  PartnerFilterArgs,
  resolveMinScore,
  ScoredMatch,
  TEAM_POOL,
  wantedKinds,
} from './match.service';
import { greedyTeam, TeamCandidate } from './team';
import { checkRequirement, standingOf } from './safeguarding';
import { contextsOf } from './inclusion';

/** Loads stakeholders by id (the request's DataLoader, or a repository in background work). */
export type LoadStakeholders = (ids: string[]) => Promise<MatchParty[]>;

/** What a match needs of each side's row: who it is, its kind and the communities it serves. */
export type MatchParty = Pick<Stakeholder, 'id' | 'kind' | 'underservedContexts'>;

/** Expertise slugs to tag ids: the one lookup a filter may need. */
export type TagIdsOfSlugs = (slugs: string[]) => Promise<number[]>;

function requireChallenge(index: MatchIndex, id: string): ChallengeFacts {
  const c = index.challenges.get(v.uuid('challengeId', id));
  if (!c) throw notFound('Challenge', id, 'challengeId');
  return c;
}

async function indexFilter(
  index: MatchIndex,
  f: PartnerFilterArgs | null | undefined,
  tagIds: TagIdsOfSlugs,
): Promise<IndexFilter> {
  const out: IndexFilter = {};
  if (!f) return out;
  if (f.kinds?.length) out.kindMask = kindMaskOf(f.kinds);
  if (f.maxDistanceKm !== undefined && f.maxDistanceKm !== null) {
    out.maxDistanceKm = v.numberInRange('filter.maxDistanceKm', f.maxDistanceKm, 0, 20040);
  }
  if (f.near) {
    const p = v.geoPoint('filter.near', f.near);
    out.near = { ...p, radiusKm: v.numberInRange('filter.near.radiusKm', f.near.radiusKm, 0, 20040) };
  }
  if (f.regionCode) {
    const code = f.regionCode.trim().toUpperCase();
    const tree = index.regionTree.get(code);
    if (!tree) throw notFound('Region', f.regionCode, 'filter.regionCode');
    out.regions = new Set([...tree].map((r) => index.regionNo(r)).filter((n) => n >= 0));
  }
  if (f.sdgs?.length) out.sdgMask = sdgMaskOf(v.sdgList('filter.sdgs', f.sdgs, { nonEmpty: false }));
  if (f.expertise?.length) out.tagIds = new Set(await tagIds(f.expertise.map(slugify)));
  if (f.includeUnchecked) out.includeUnchecked = true;
  return out;
}

/** The facts behind one ranked pair, as the resolvers and stored events expect them. */
function toScoredMatch(
  index: MatchIndex,
  c: ChallengeFacts,
  r: Ranked,
  partner: MatchParty,
  school: MatchParty | undefined,
) {
  const tags = new Set(index.tagsOf(r.row));
  const mask = index.sdgMask[r.row];
  const schoolRow = index.rowOf(c.schoolId);
  const levels = index.levelMask[r.row] !== 0 && index.levelMask[schoolRow] !== 0;
  const schoolLanguages = new Set(index.languagesOf(schoolRow));
  const match: ScoredMatch = {
    challengeId: c.id,
    stakeholderId: partner.id,
    kind: partner.kind,
    score: r.score,
    components: r.components,
    distanceKm: r.distanceKm,
    radiusKm: c.radiusKm,
    sharedSdgIds: c.sdgIds.filter((id) => (mask >>> id) & 1),
    links: c.links
      .filter((l) => tags.has(l.tagId))
      .sort((a, b) => a.needId - b.needId || b.credit - a.credit || a.tagId - b.tagId),
    levelsMatch: levels ? (index.levelMask[r.row] & index.levelMask[schoolRow]) !== 0 : null,
    sharedLanguages: [...new Set(index.languagesOf(r.row).filter((l) => schoolLanguages.has(l)))].sort(),
    schoolContexts: school?.underservedContexts ?? [],
    candidateContexts: partner.kind === StakeholderKind.FAMILY ? [] : partner.underservedContexts,
    room: roomOf(index.capacity[r.row], index.accepted[r.row]),
    record: {
      dueInvitations: index.dueInvitations[r.row],
      accepted: index.acceptedAnswers[r.row],
      declined: index.declinedAnswers[r.row],
      completed: index.completed[r.row],
    },
    safeguarding: standingOf(index.checkDays, r.row, checkRequirement(c.pupilContact, c.checkPolicy, c.plannedEndOn)),
  };
  return match;
}

async function hydrate(
  index: MatchIndex,
  c: ChallengeFacts,
  ranked: Ranked[],
  load: LoadStakeholders,
): Promise<ScoredMatch[]> {
  const ids = ranked.map((r) => index.ids.idOf(r.row));
  const rows = await load([...ids, c.schoolId]);
  const byId = new Map(rows.map((s) => [s.id, s]));
  return ranked.map((r, i) => toScoredMatch(index, c, r, byId.get(ids[i])!, byId.get(c.schoolId)));
}

/** Arguments of {@link suggestPartnersOnIndex}. */
export interface SuggestArgs {
  challengeId: string;
  filter?: PartnerFilterArgs | null;
  weights?: MatchWeights;
  first?: number | null;
  after?: string | null;
  /** Leave out pairs scoring less (default {@link DEFAULT_MIN_SCORE}). */
  minScore?: number | null;
}

/** Ranked partners for a challenge: the first page shows each wanted kind; cursors continue it. */
export function suggestPartnersOnIndex(
  index: MatchIndex,
  args: SuggestArgs,
  load: LoadStakeholders,
  tagIds: TagIdsOfSlugs,
): Promise<MatchPage> {
  return onOneLayout(index, async () => {
    const asked = v.intInRange('first', args.first ?? DEFAULT_SUGGESTIONS, 0, MAX_SUGGESTIONS);
    const { offset, window } = args.after ? decodeMatchCursor(args.after) : { offset: 0, window: asked };
    const first = pageSizeAt(offset, asked);
    const { id } = requireChallenge(index, args.challengeId);
    const filter = await indexFilter(index, args.filter, tagIds);
    const weights = args.weights ?? DEFAULT_WEIGHTS;
    // Enough to fill the page after promotions; each kind's best comes along for diversity.
    const reach = Math.min(offset + first + Object.keys(StakeholderKind).length, index.size);
    const {
      top,
      bestOfKind,
      total,
      challenge: c,
    } = await rankPartnersOf(index, id, weights, reach, filter, resolveMinScore(args.minScore), 'wanted kinds');
    const wanted = wantedKinds(c.wantedKinds, args.filter?.kinds ?? []);
    // As in the ranking SQL this replaces: the best `reach`, plus the best of each wanted kind.
    const inTop = new Set(top.map((r) => r.row));
    const extra = [...bestOfKind.values()].filter(
      (r) => !inTop.has(r.row) && wanted.includes(KINDS[index.kind[r.row]]),
    );
    const candidates = [...top, ...extra]
      .sort((a, b) => b.score - a.score || compareUuids(index.ids.bytes, a.row, b.row))
      .map((r) => ({ r, kind: KINDS[index.kind[r.row]] }));
    const ranked = diversifyByKind(candidates, wanted, window).map((x) => x.r);
    const page = ranked.slice(offset, offset + first);
    const hasNextPage = offset + first < Math.min(total, MAX_RANK_OFFSET);
    return { matches: await hydrate(index, c, page, load), offset, window, total, hasNextPage };
  });
}

/** One pair as a match (for an invitation's draft): null when the partner is no fit at all. */
export function matchOfPairOnIndex(
  index: MatchIndex,
  challengeId: string,
  stakeholderId: string,
  load: LoadStakeholders,
): Promise<ScoredMatch | null> {
  return onOneLayout(index, async () => {
    const c = requireChallenge(index, challengeId);
    const ranked = rankPair(index, c, stakeholderId, DEFAULT_WEIGHTS);
    return ranked ? (await hydrate(index, c, [ranked], load))[0] : null;
  });
}

/** Best partners that together cover the challenge's needed expertise and wanted kinds. */
export function suggestTeamOnIndex(index: MatchIndex, challengeId: string, size: number, load: LoadStakeholders) {
  return onOneLayout(index, async () => {
    v.intInRange('size', size, 1, 20);
    const { id } = requireChallenge(index, challengeId);
    const {
      top,
      bestOfKind,
      challenge: c,
    } = await rankPartnersOf(index, id, DEFAULT_WEIGHTS, TEAM_POOL, {}, resolveMinScore(null));
    const inTop = new Set(top.map((r) => r.row));
    const pool = [...top, ...[...bestOfKind.values()].filter((r) => !inTop.has(r.row))];
    const matches = await hydrate(index, c, pool, load);
    const candidates: (TeamCandidate<StakeholderKind> & { match: ScoredMatch })[] = matches.map((m) => ({
      id: m.stakeholderId,
      kind: m.kind,
      score: m.score,
      credits: bestCredits(m.links),
      match: m,
    }));
    const team = greedyTeam(candidates, c.neededIds, c.wantedKinds, size);
    return { ...team, members: team.members.map((m) => m.match) };
  });
}

/** Open challenges a stakeholder fits best: the reverse view, with the same scores. */
export function suggestChallengesOnIndex(
  index: MatchIndex,
  args: { stakeholderId: string; first?: number | null; after?: string | null; minScore?: number | null },
  load: LoadStakeholders,
): Promise<MatchPage> {
  return onOneLayout(index, async () => {
    const asked = v.intInRange('first', args.first ?? DEFAULT_SUGGESTIONS, 0, MAX_SUGGESTIONS);
    const { offset, window } = args.after ? decodeMatchCursor(args.after) : { offset: 0, window: asked };
    const first = pageSizeAt(offset, asked);
    const id = v.uuid('stakeholderId', args.stakeholderId);
    if (index.rowOf(id) < 0) throw notFound('Stakeholder', args.stakeholderId, 'stakeholderId');
    const all = await matchStakeholders(index, [id], DEFAULT_WEIGHTS, resolveMinScore(args.minScore));
    const page = all.slice(offset, offset + first);
    const rows = await load([id, ...page.map((p) => p.challenge.schoolId)]);
    const byId = new Map(rows.map((s) => [s.id, s]));
    const matches = page.map((p) =>
      toScoredMatch(index, p.challenge, p.ranked, byId.get(id)!, byId.get(p.challenge.schoolId)),
    );
    const hasNextPage = offset + first < Math.min(all.length, MAX_RANK_OFFSET);
    return { matches, offset, window, total: all.length, hasNextPage };
  });
}

/** A pair live matching found: who, for which challenge (its facts as ranked), and its score. */
export interface FoundPair {
  challenge: ChallengeFacts;
  stakeholderId: string;
  ranked: Ranked;
}

/**
 * Every open challenge each stakeholder scores at least `floor` for (default weights): live
 * matching of a write or an import slice, in the workers; stakeholders in the order given.
 * `except`: challenges left out.
 */
export async function matchesOfStakeholdersOnIndex(
  index: MatchIndex,
  ids: readonly string[],
  floor: number,
  except?: ReadonlySet<string>,
): Promise<FoundPair[]> {
  const wanted = ids.map((id) => v.uuid('stakeholderId', id));
  return matchStakeholders(index, wanted, DEFAULT_WEIGHTS, floor, except);
}

/**
 * Every stakeholder that scores at least `floor` for each challenge (default weights): live
 * matching of a challenge or an import's. The challenges are ranked side by side, one per worker
 * at a time. Challenges in the order given.
 */
export function matchesOfChallengesOnIndex(
  index: MatchIndex,
  ids: readonly string[],
  floor: number,
): Promise<FoundPair[]> {
  return onOneLayout(index, async () => {
    const known = ids.map((id) => v.uuid('challengeId', id)).filter((id) => index.challenges.has(id));
    const ranked = await Promise.all(
      known.map((id) => rankPartnersOf(index, id, DEFAULT_WEIGHTS, index.size, {}, floor)),
    );
    return ranked.flatMap(({ top, challenge }) =>
      top.map((r) => ({ challenge, stakeholderId: index.ids.idOf(r.row), ranked: r })),
    );
  });
}

/** A stakeholder's kind and contexts as the index holds them (a family's contexts it never holds). */
function partyAt(index: MatchIndex, id: string, row: number): MatchParty {
  return { id, kind: KINDS[index.kind[row]] as StakeholderKind, underservedContexts: contextsOf(index.contexts[row]) };
}

/**
 * The facts behind found pairs, as stored events keep them, from the index alone (no row is read:
 * the index holds every fact an explanation names, as of the change being relayed). Pairs in order.
 */
export function explainPairs(
  index: MatchIndex,
  pairs: readonly FoundPair[],
): { pair: FoundPair; match: ScoredMatch }[] {
  const schools = new Map<string, MatchParty | undefined>();
  const schoolOf = (id: string) => {
    if (!schools.has(id)) {
      const row = index.rowOf(id);
      schools.set(id, row < 0 ? undefined : partyAt(index, id, row));
    }
    return schools.get(id);
  };
  return pairs.map((pair) => {
    const { challenge: c, ranked } = pair;
    const partner = partyAt(index, pair.stakeholderId, ranked.row);
    return { pair, match: toScoredMatch(index, c, ranked, partner, schoolOf(c.schoolId)) };
  });
}
