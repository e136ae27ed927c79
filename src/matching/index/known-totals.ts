/**
 * The count of a ranking (how many partners score at least the floor), kept with its challenge
 * for the index's version it was counted at. Counting is most of a ranking's cost — every row
 * that might reach the floor has to be scored — while the page alone needs only the rows that can
 * make it: a ranking whose count is known searches best-first (rank.ts). A count is kept only
 * while nothing in the index changed (its {@link IndexLock.stamp}, and the day: which safeguarding
 * checks still count moves with it), for at most {@link KEPT_PER_CHALLENGE} weights, filters and
 * floors per challenge; a challenge rewritten comes with none.
 */
import { MatchWeights } from '../combine';
import { COMPONENTS } from '../components/registry';
import { todayIso } from '../safeguarding';
import { ChallengeFacts } from './index-facts';
import type { IndexFilter } from './rank';

/**
 * Counts kept per challenge (a filter, weights or floor of their own each): bounded, as any
 * caller may vary its filter.
 * @default 8
 */
export const KEPT_PER_CHALLENGE = 8;

/** A challenge's kept counts: the index's stamp and day they hold for, and one per ranking's key. */
export interface KnownTotals {
  at: string;
  byKey: Map<string, number>;
}

const sorted = (values: Set<number> | undefined) => (values ? [...values].sort((a, b) => a - b).join(',') : '-');

/** What a count depends on besides the index and the challenge: the weights, the filter and the floor. */
export function totalKey(weights: MatchWeights, filter: IndexFilter, floor: number): string {
  const near = filter.near ? `${filter.near.latitude},${filter.near.longitude},${filter.near.radiusKm}` : '-';
  return [
    COMPONENTS.map((name) => weights[name]).join(','),
    filter.kindMask ?? '-',
    filter.maxDistanceKm ?? '-',
    near,
    sorted(filter.regions),
    filter.sdgMask ?? '-',
    sorted(filter.tagIds),
    filter.includeUnchecked ? 1 : 0,
    floor,
  ].join('|');
}

/**
 * The count kept for `key` at the index's `stamp` on the day of `now`, if any. `now`: the instant
 * the ranking prepared its challenge with (the same for the lookup and the keeping, so a ranking
 * that runs across midnight never keeps the day before's count for the new day).
 */
export function knownTotal(c: ChallengeFacts, stamp: string, key: string, now: Date): number | undefined {
  return c.totals?.at === `${stamp}@${todayIso(now)}` ? c.totals.byKey.get(key) : undefined;
}

/** Keeps a count, counted at the index's `stamp` for the day of `now`; counts of another stamp or day go. */
export function keepTotal(c: ChallengeFacts, stamp: string, key: string, total: number, now: Date): void {
  const at = `${stamp}@${todayIso(now)}`;
  if (c.totals?.at !== at) c.totals = { at, byKey: new Map() };
  const { byKey } = c.totals;
  if (byKey.size >= KEPT_PER_CHALLENGE) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, total);
}
