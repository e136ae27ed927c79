/**
 * What suggestions share, whoever serves them: the filter and page shapes, the weights a client
 * may set, the ranked-page cursor, and which kinds the first page should show. Ranking itself
 * runs on the match index (src/matching/index, src/matching/suggest.service.ts).
 */
import type { CheckStanding } from './safeguarding';
import { StakeholderKind } from '../domain/enums';
import { packCursor, unpackCursor } from '../domain/cursor';
import { badInput } from '../domain/errors';
import * as v from '../domain/validate';
import { MatchWeights, MAX_WEIGHT } from './combine';
import { COMPONENTS, Components, DEFAULT_WEIGHTS } from './components/registry';
import { ExpertiseLink } from './expertise-fit';

/** One scored pair, with the facts that explain it. */
export interface ScoredMatch {
  challengeId: string;
  stakeholderId: string;
  kind: StakeholderKind;
  score: number;
  components: Components;
  distanceKm: number | null;
  radiusKm: number;
  sharedSdgIds: number[];
  links: ExpertiseLink[];
  levelsMatch: boolean | null;
  sharedLanguages: string[];
  schoolContexts: string[];
  candidateContexts: string[];
  /**
   * What the partner's track record rests on, for its reasons (absent in events stored before it;
   * `accepted` and `declined` absent in events stored before answers were told apart).
   */
  record?: { dueInvitations: number; accepted?: number; declined?: number; completed: number };
  /** Projects the partner can still take on (availability.ts); absent in events stored before it. */
  room?: number;
  /** What the safeguarding rule says of the pair (null or absent: the challenge asks no check). */
  safeguarding?: CheckStanding | null;
}

/** Narrowing of partner suggestions. */
export interface PartnerFilterArgs {
  kinds?: StakeholderKind[] | null;
  maxDistanceKm?: number | null;
  regionCode?: string | null;
  sdgs?: number[] | null;
  expertise?: string[] | null;
  /** A circle the partner must lie in, measured from its own centre (not the challenge's). */
  near?: { latitude: number; longitude: number; radiusKm: number } | null;
  /** Also partners the safeguarding rule holds back (coordinators and ADMIN only; the resolver checks). */
  includeUnchecked?: boolean | null;
}

/** A page of ranked matches. */
export interface MatchPage {
  matches: ScoredMatch[];
  offset: number;
  window: number;
  total: number;
  hasNextPage: boolean;
}

/**
 * Deepest position a ranked list reaches (ten pages of 100): a ranking keeps at most this many
 * pairs plus a page, so no cursor makes one request rank, copy and sort the whole index.
 */
export const MAX_RANK_OFFSET = 1_000;

/** How many of a page's `first` fit before {@link MAX_RANK_OFFSET}. */
export function pageSizeAt(offset: number, first: number): number {
  return Math.max(0, Math.min(first, MAX_RANK_OFFSET - offset));
}

/**
 * The relevance floor: suggestions scoring below it are left out (and not counted) unless a
 * client asks for less with `minScore`. One broad shared SDG from across the country scores
 * about 0.25; a partner that brings what is needed, near enough, scores well above.
 */
export const DEFAULT_MIN_SCORE = 0.3;

/** Checks a client's `minScore`. */
export function resolveMinScore(value: number | null | undefined): number {
  return value === undefined || value === null ? DEFAULT_MIN_SCORE : v.numberInRange('minScore', value, 0, 1);
}

/** Most suggestions one page may hold. */
export const MAX_SUGGESTIONS = 100;
/** Default page size of suggestions. */
export const DEFAULT_SUGGESTIONS = 10;
/** Candidates a team is picked from: the best by score, plus each wanted kind's best. */
export const TEAM_POOL = 200;
/** Largest team `suggestTeam` builds. */
export const MAX_TEAM_SIZE = 20;

/** Checks client weights; absent components keep their default. */
export function resolveWeights(
  input: Partial<Record<keyof Components, number | null>> | null | undefined,
): MatchWeights {
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

/** Kinds the first page should show: the challenge's wanted kinds, narrowed by the filter's. */
export function wantedKinds(
  challengeWants: readonly StakeholderKind[],
  filterKinds: readonly StakeholderKind[],
): StakeholderKind[] {
  if (challengeWants.length === 0) return [...new Set(filterKinds)];
  if (filterKinds.length === 0) return [...challengeWants];
  return challengeWants.filter((k) => filterKinds.includes(k));
}
