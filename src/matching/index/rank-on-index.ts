/**
 * Rankings on the index, off the request thread: the challenge is prepared here, the rows are
 * scanned in a ranking worker (workers/rank-pool.ts) while the index lock holds writes back, so
 * each ranking reads one version of the columns. An index without a pool (tools, unit tests of
 * the kernel) ranks on the calling thread; the service always gives its index a pool.
 */
import { MatchWeights } from '../combine';
import { DomainError, DomainErrorCode, notFound } from '../../domain/errors';
import { ChallengeFacts } from './index-facts';
import { MatchIndex } from './match-index';
import { PreparedChallenge, prepareChallenge, schoolRowOf } from './prepared-challenge';
import { matchRows } from './match-rows';
import { ALL_KINDS, IndexFilter, kindMaskOf, KINDS, Ranked, rankPartners, RankResult } from './rank';
import { wantedKinds } from '../match.service';
import { StakeholderKind } from '../../domain/enums';
import { todayIso } from '../safeguarding';
import { createHash } from 'node:crypto';
import { keepTotal, knownTotal as knownTotalOf, totalKey } from './known-totals';

/**
 * Every candidate partner of a challenge, ranked (rank.ts), in a worker; with the index version it
 * read and the challenge's facts at that version (what the page must be explained with).
 */
export function rankPartnersOf(
  index: MatchIndex,
  challengeId: string,
  weights: MatchWeights,
  keep: number,
  filter: IndexFilter = {},
  floor = -Infinity,
  bestOf: 'every kind' | 'wanted kinds' = 'every kind',
): Promise<RankResult & { version: number; challenge: ChallengeFacts }> {
  return index.lock.read(async () => {
    const version = index.lock.version;
    // Looked up here, under the lock: facts fetched before a write would pair an old challenge
    // with the new rows.
    const c = index.challenges.get(challengeId);
    if (!c) throw notFound('Challenge', challengeId, 'challengeId');
    // One instant for the day's safeguarding rule and for the count kept by it.
    const now = new Date();
    const challenge = prepareChallenge(index, c, now);
    // A count already made at this version spares counting again: the search is best-first then.
    const { stamp } = index.lock;
    const key = totalKey(weights, filter, floor);
    const knownTotal = knownTotalOf(c, stamp, key, now);
    const bestKinds = bestOf === 'wanted kinds' ? wantedMask(c, filter) : ALL_KINDS;
    const result = index.ranker
      ? await index.ranker.rank({
          columns: index.columns(),
          challenge,
          weights,
          keep,
          filter,
          floor,
          knownTotal,
          bestKinds,
        })
      : rankPartners(index, challenge, weights, keep, filter, floor, knownTotal, bestKinds);
    if (knownTotal === undefined) keepTotal(c, stamp, key, result.total, now);
    return { ...result, version, challenge: c };
  });
}

/**
 * Tries of {@link onOneLayout} before it gives up.
 * @default 3
 */
export const LAYOUT_TRIES = 3;

/**
 * Runs `work` — which ranks, then reads the rows it found across awaits (their ids, their facts
 * for explanations) — again when the index's rows moved meanwhile: a reload (the outbox pruned
 * past this instance) replaces every row, and a ranking released its lock before its rows were
 * read. Rows stay put between reloads, so a second try almost always holds.
 */
export async function onOneLayout<T>(index: MatchIndex, work: () => Promise<T>): Promise<T> {
  for (let tried = 0; tried < LAYOUT_TRIES; tried++) {
    const layout = index.layout;
    const result = await work();
    if (index.layout === layout) return result;
  }
  throw new DomainError(DomainErrorCode.ServiceUnavailable, 'The match index was reloaded while answering; retry');
}

/** The kinds a suggestion page shows the best of (match.service.ts's `wantedKinds`), as a mask. */
function wantedMask(c: ChallengeFacts, filter: IndexFilter): number {
  const filtered = KINDS.filter((_, k) => ((filter.kindMask ?? 0) >>> k) & 1) as StakeholderKind[];
  return kindMaskOf(wantedKinds(c.wantedKinds, filtered));
}

/** The open challenges, prepared and split into one part per worker, under a key naming that version. */
interface OpenChallenges {
  key: string;
  open: ChallengeFacts[];
  parts: { key: string; list: PreparedChallenge[] }[];
  size: number;
}

/**
 * Each index's open challenges as last prepared, all of them and without the last set left out:
 * remade only when a challenge, a tag or a code changed (or another set is left out).
 */
const prepared = new WeakMap<MatchIndex, Map<'all' | 'some', OpenChallenges>>();

function openChallenges(index: MatchIndex, generation: number, except?: ReadonlySet<string>): OpenChallenges {
  // The day is in the key: which checks still count moves with it (safeguarding.ts).
  let key = `${generation}:${index.challengeVersion}:${index.dictionarySize}:${todayIso()}`;
  const left = except ? [...except].filter((id) => index.challenges.has(id)).sort() : [];
  if (left.length) key += `:without:${createHash('sha256').update(left.join()).digest('hex').slice(0, 24)}`;
  const which = left.length ? 'some' : 'all';
  const made = prepared.get(index) ?? new Map<'all' | 'some', OpenChallenges>();
  prepared.set(index, made);
  const last = made.get(which);
  if (last?.key === key) return last;
  const open = [...index.challenges.values()].filter((c) => c.open && schoolRowOf(index, c) >= 0 && !except?.has(c.id));
  const list = open.map((c) => prepareChallenge(index, c));
  const count = Math.max(1, index.ranker ? Math.min(index.ranker.threads, Math.ceil(open.length / 50)) : 1);
  const size = Math.ceil(open.length / count);
  const parts = Array.from({ length: count }, (_, part) => ({
    key: `${key}:${part}`,
    list: list.slice(part * size, (part + 1) * size),
  }));
  const ready = { key, open, parts, size };
  made.set(which, ready);
  return ready;
}

/**
 * Stakeholders' rows scored against every open challenge (live matching of a write or an
 * import slice), the challenges split between the workers; pairs at or above `floor`, each
 * stakeholder's by (score desc, challenge id asc), stakeholders in the order given. `except`:
 * challenges left out (the relay leaves out those created by a change it relays later).
 */
export function matchStakeholders(
  index: MatchIndex,
  ids: readonly string[],
  weights: MatchWeights,
  floor: number,
  except?: ReadonlySet<string>,
): Promise<{ stakeholderId: string; challenge: ChallengeFacts; ranked: Ranked }[]> {
  return index.lock.read(async () => {
    const rows = Int32Array.from(ids.map((id) => index.rowOf(id)).filter((row) => row >= 0));
    const columns = index.columns();
    const { open, parts, size } = openChallenges(index, columns.generation, except);
    const found = await Promise.all(
      parts.map(async (challenges, part) => {
        const matches = index.ranker
          ? await index.ranker.matchRows({ columns, challenges, rows, weights, floor })
          : matchRows(index, challenges.list, rows, weights, floor);
        return matches.map((m) => ({ ...m, challenge: m.challenge + part * size }));
      }),
    );
    const order = new Map(ids.map((id, i) => [id, i]));
    return found
      .flat()
      .map((m) => ({ stakeholderId: index.ids.idOf(m.row), challenge: open[m.challenge], ranked: m.ranked }))
      .sort(
        (a, b) =>
          order.get(a.stakeholderId)! - order.get(b.stakeholderId)! ||
          b.ranked.score - a.ranked.score ||
          (a.challenge.id < b.challenge.id ? -1 : 1),
      );
  });
}
