/**
 * The outbox's two readers. The relay (one instance at a time) matches each committed change on
 * its index, stores the new match events and numbers the change, all in one transaction; every
 * instance then tails relayed changes in that order to keep its own index current and to tell
 * its subscribers. See migration Outbox1795400000014.
 */
import { DataSource, EntityManager } from 'typeorm';
import { OutboxChange, parseOutboxChange } from '../domain/outbox';
import { UnreachableCaseError } from '../domain/errors';
import { IndexChange, refreshIndex } from '../matching/index/load-index';
import { MatchIndex } from '../matching/index/match-index';
import { forgetErased, MATCH_LOCK_SQL, MatchScope, matchScope, recordMatches } from './match-events';
import type { FoundPair } from '../matching/suggest.service';
import { MatchesMessage, MatchOrigin } from './topics';

/**
 * Changes relayed per transaction.
 * @default 20
 */
export const RELAY_BATCH = 20;
/**
 * Stakeholders of an import slice matched per statement.
 * @default 500
 */
export const IMPORT_MATCH_BATCH = 500;
/**
 * Challenges of an import slice matched per statement (ranked at once, one per worker at a time).
 * @default 8
 */
export const IMPORT_CHALLENGE_BATCH = 8;
/**
 * Relayed changes kept for instances that fell behind; older ones are pruned (an instance that
 * finds a gap reloads its index instead).
 * @default 100000
 */
export const OUTBOX_KEEP = 100_000;
/**
 * Relayed changes read per statement while an instance catches up.
 * @default 500
 */
export const TAIL_PAGE = 500;

/** What a change means for a match index (nothing, for a revoked key). */
export function indexChangeOf(change: OutboxChange): IndexChange | undefined {
  switch (change.kind) {
    case 'stakeholder':
      return { stakeholderId: change.id };
    case 'challenge':
      return { challengeId: change.id };
    case 'partnership':
      return { partnership: { challengeId: change.challengeId, stakeholderId: change.stakeholderId } };
    case 'stakeholders':
      return { stakeholderIds: [...change.created, ...change.updated] };
    case 'challenges':
      return { challengeIds: [...change.created, ...change.updated] };
    case 'key-revoked':
      return undefined;
    case 'track-prior':
      return { trackPrior: { tenths: change.tenths, observations: change.observations } };
    default:
      throw new UnreachableCaseError(change);
  }
}

/** Stakeholders that joined the network with a change (for `partnerJoined`). */
export function joinedBy(change: OutboxChange): string[] {
  if (change.kind === 'stakeholder') return change.created ? [change.id] : [];
  return change.kind === 'stakeholders' ? change.created : [];
}

const sliced = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, k) => list.slice(k * size, (k + 1) * size));

/** A slice matched ahead, its outcome held (a failure is not left unheard while the last slice is stored). */
type Ahead = Promise<{ found: FoundPair[] } | { error: unknown }>;

const matchAhead = (index: MatchIndex, slice: MatchScope): Ahead =>
  matchScope(index, slice).then(
    (found) => ({ found }),
    (error: unknown) => ({ error }),
  );

/**
 * Records an import's slices in order; the workers match each next slice while the last one's
 * states are read and written (matching reads only the index, which no change moves meanwhile).
 */
async function recordSlices(m: EntityManager, index: MatchIndex, slices: MatchScope[], origin: MatchOrigin) {
  const ranges: (MatchesMessage | undefined)[] = [];
  let ahead = slices.length ? matchAhead(index, slices[0]) : undefined;
  for (const [k, slice] of slices.entries()) {
    const matched = await ahead!;
    if ('error' in matched) throw matched.error;
    ahead = k + 1 < slices.length ? matchAhead(index, slices[k + 1]) : undefined;
    try {
      ranges.push(await recordMatches(m, index, slice, origin, matched.found));
    } catch (error) {
      // The slice matched ahead is not wanted any more: let it finish before the failure goes up.
      await ahead;
      throw error;
    }
  }
  return ranges;
}

/**
 * Pending challenge changes read when a relay holds an import's stakeholders (the latest first).
 * @default 100
 */
export const LATER_CHALLENGE_CHANGES = 100;

/**
 * Challenges created by a change still to relay after `seq`, each with that change's seq (at most
 * {@link LATER_CHALLENGE_CHANGES} changes read: a challenge whose creation is not read is matched
 * with an import's stakeholders twice, never not at all). Only creations: in relay order such a
 * challenge does not exist yet when the stakeholders' change is relayed, so none of its pairs can
 * rise then (a pending edit leaves the challenge in: its pairs may rise before the edit).
 */
async function challengesCreatedLater(m: EntityManager, seq: string): Promise<Map<string, number>> {
  const rows: { seq: string; change: unknown }[] = await m.query(
    `SELECT seq, change FROM outbox
     WHERE relayed_seq IS NULL AND (change->>'kind') IN ('challenge', 'challenges') AND seq > $1
     ORDER BY seq DESC LIMIT $2`,
    [seq, LATER_CHALLENGE_CHANGES],
  );
  const created = new Map<string, number>();
  for (const row of rows) {
    const change = parseOutboxChange(row.change);
    const ids =
      change?.kind === 'challenges'
        ? change.created
        : change?.kind === 'challenge' && change.created
          ? [change.id]
          : [];
    for (const id of ids) created.set(id, Number(row.seq));
  }
  return created;
}

/**
 * Scores what a change touched against the other side, storing the pairs whose score rose. An
 * import's stakeholders (`seq`: their change's) leave out the challenges in `later` created by a
 * change after theirs: that change matches those with every stakeholder, these included (the
 * instance relaying it has every change relayed before in its index).
 */
async function recordChange(
  m: EntityManager,
  index: MatchIndex,
  change: OutboxChange,
  seq: number,
  later: ReadonlyMap<string, number>,
) {
  const ranges: (MatchesMessage | undefined)[] = [];
  switch (change.kind) {
    case 'stakeholder':
      if (!change.created) await forgetErased(m, change.id);
      ranges.push(await recordMatches(m, index, { stakeholderId: change.id }, 'STAKEHOLDER_CHANGED'));
      break;
    case 'challenge': {
      const origin = change.created ? 'CHALLENGE_POSTED' : 'CHALLENGE_CHANGED';
      ranges.push(await recordMatches(m, index, { challengeId: change.id }, origin));
      break;
    }
    case 'stakeholders': {
      const ids = [...change.created, ...change.updated];
      const after = new Set(
        [...later].filter(([id, created]) => created > seq && index.challenges.has(id)).map(([id]) => id),
      );
      const slices = sliced(ids, IMPORT_MATCH_BATCH).map((stakeholderIds) => ({ stakeholderIds, later: after }));
      ranges.push(...(await recordSlices(m, index, slices, 'STAKEHOLDER_CHANGED')));
      break;
    }
    case 'challenges':
      for (const [ids, origin] of [
        [change.created, 'CHALLENGE_POSTED'],
        [change.updated, 'CHALLENGE_CHANGED'],
      ] as const) {
        const slices = sliced(ids, IMPORT_CHALLENGE_BATCH).map((challengeIds) => ({ challengeIds }));
        ranges.push(...(await recordSlices(m, index, slices, origin)));
      }
      break;
    // A refreshed prior moves every score a little: no pair is news for it (live matches follow writes).
    case 'partnership':
    case 'key-revoked':
    case 'track-prior':
      break;
    default:
      throw new UnreachableCaseError(change);
  }
  const written = ranges.filter((r): r is MatchesMessage => r !== undefined);
  if (!written.length) return { from: null, to: null };
  return { from: Math.min(...written.map((r) => r.from)), to: Math.max(...written.map((r) => r.to)) };
}

/** A relayed change as every instance reads it back. */
export interface RelayedChange {
  /** Its place in the outbox (in the order its writers appended, not the relay's). */
  seq: number;
  relayedSeq: number;
  change: OutboxChange | undefined;
  /** The match events it produced, if any. */
  matches: { from: number; to: number } | undefined;
}

/**
 * More work a relayed change causes, done in the relay's transaction so that it happens exactly
 * when the change is relayed (webhook deliveries).
 */
export type RelayHook = (m: EntityManager, relayed: RelayedChange) => Promise<unknown>;

/**
 * Brings an index up to the relay's cursor before it matches: every change relayed so far must be
 * in it (a pair of a stakeholder relayed by another instance and a challenge relayed now is
 * matched now, or never).
 */
export type CatchUp = (relayedUpTo: number) => Promise<void>;

/** One turn of the relay. */
export interface RelayTurn {
  /** The changes relayed, in order (none when nothing was pending). */
  relayed: RelayedChange[];
  /** The relay's cursor as the turn ended: every change up to here is relayed. */
  upTo: number;
}

/**
 * Relays up to {@link RELAY_BATCH} pending changes: each is applied to `index` (which must see
 * it before matching), matched, and numbered. Returns the changes relayed (none when nothing was
 * pending) and the cursor, or `undefined` when another instance holds the relay's turn right now:
 * it may have read its changes before the caller's committed, so the caller's changes wait for its
 * nudge.
 * `catchUp`: how `index` takes in what was relayed before the turn (an instance's change feed);
 * without it, `index` must hold every relayed change already.
 */
export async function relayOutbox(
  dataSource: DataSource,
  index: MatchIndex,
  apply: (change: OutboxChange, seq: number) => Promise<void>,
  also?: RelayHook,
  catchUp?: CatchUp,
): Promise<RelayTurn | undefined> {
  return dataSource.transaction(async (m) => {
    // The relay's turn, the match lock and the changes it relays, in one statement: no rows while
    // another instance holds the turn (it will take these too). The lock is taken only with the
    // turn (the CTE of the row locked is read once, and the lock's is never folded into the query).
    // A relay that committed after this statement's snapshot and before the row was locked moved
    // the turn's row, which the lock reads as it is now: the snapshot's changes are stale then, and
    // the turn is left (as if taken) rather than relaying them again.
    const pending: { relayed: string; seq: string | null; change: unknown }[] = await m.query(
      `WITH turn AS (SELECT relayed FROM outbox_relay WHERE id = 1 FOR UPDATE SKIP LOCKED),
       locked AS MATERIALIZED (SELECT relayed, ${MATCH_LOCK_SQL} FROM turn
         WHERE relayed = (SELECT relayed FROM outbox_relay WHERE id = 1))
       SELECT r.relayed, o.seq, o.change FROM locked r
       LEFT JOIN LATERAL (SELECT seq, change FROM outbox WHERE relayed_seq IS NULL ORDER BY seq LIMIT $1) o ON true
       ORDER BY o.seq`,
      [RELAY_BATCH],
    );
    if (!pending.length) return undefined;
    const from = Number(pending[0].relayed);
    if (pending[0].seq === null) return { relayed: [], upTo: from };
    // Another instance may have relayed since this one last read the outbox (its nudge still on
    // the way): what it relayed is taken in first, under the turn, so nobody relays in between.
    await catchUp?.(from);
    const changes = pending.map((row) => parseOutboxChange(row.change));
    const later = changes.some((c) => c?.kind === 'stakeholders')
      ? await challengesCreatedLater(m, pending[0].seq)
      : new Map<string, number>();
    let next = from;
    const relayed: RelayedChange[] = [];
    const numbered: { seq: string[]; relayed: number[]; from: (number | null)[]; to: (number | null)[] } = {
      seq: [],
      relayed: [],
      from: [],
      to: [],
    };
    for (const [k, row] of pending.entries()) {
      next += 1;
      const change = changes[k];
      let range: { from: number | null; to: number | null } = { from: null, to: null };
      if (change) {
        await apply(change, Number(row.seq));
        range = await recordChange(m, index, change, Number(row.seq), later);
      }
      numbered.seq.push(row.seq!);
      numbered.relayed.push(next);
      numbered.from.push(range.from);
      numbered.to.push(range.to);
      const matches = range.from !== null && range.to !== null ? { from: range.from, to: range.to } : undefined;
      relayed.push({ seq: Number(row.seq), relayedSeq: next, change, matches });
      if (also) await also(m, relayed[relayed.length - 1]);
    }
    // The changes numbered and the cursor moved, in one statement; a change numbered meanwhile by
    // another relay is never numbered again (the whole transaction is undone instead).
    const [{ count }]: { count: number }[] = await m.query(
      `WITH numbered AS (
         UPDATE outbox o SET relayed_seq = n.relayed, match_from = n.match_from, match_to = n.match_to
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS n(seq, relayed, match_from, match_to)
         WHERE o.seq = n.seq AND o.relayed_seq IS NULL
         RETURNING o.seq),
       moved AS (UPDATE outbox_relay SET relayed = $1 WHERE id = 1)
       SELECT count(*)::int AS count FROM numbered`,
      [next, numbered.seq, numbered.relayed, numbered.from, numbered.to],
    );
    if (count !== numbered.seq.length)
      throw new Error(`relay undone: ${numbered.seq.length - count} of its changes were numbered by another relay`);
    if (Math.floor(next / 1000) > Math.floor(from / 1000))
      await m.query('DELETE FROM outbox WHERE relayed_seq <= $1', [next - OUTBOX_KEEP]);
    return { relayed, upTo: next };
  });
}

/** Changes not relayed yet (a writer applies its own to its index before answering). */
export async function pendingChanges(db: DataSource): Promise<OutboxChange[]> {
  const rows: { change: unknown }[] = await db.query(
    'SELECT change FROM outbox WHERE relayed_seq IS NULL ORDER BY seq LIMIT $1',
    [RELAY_BATCH * 10],
  );
  return rows.map((r) => parseOutboxChange(r.change)).filter((c): c is OutboxChange => c !== undefined);
}

/** Relayed changes after `afterSeq`, in relay order, a page at a time. */
export async function readRelayed(db: DataSource, afterSeq: number): Promise<RelayedChange[]> {
  const rows: {
    seq: string;
    relayed_seq: string;
    change: unknown;
    match_from: string | null;
    match_to: string | null;
  }[] = await db.query(
    `SELECT seq, relayed_seq, change, match_from, match_to FROM outbox
       WHERE relayed_seq > $1 ORDER BY relayed_seq LIMIT $2`,
    [afterSeq, TAIL_PAGE],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    relayedSeq: Number(r.relayed_seq),
    change: parseOutboxChange(r.change),
    matches: r.match_from === null ? undefined : { from: Number(r.match_from), to: Number(r.match_to) },
  }));
}

/** How far the relay has got: changes up to here are matched and numbered. */
export async function relayedUpTo(db: DataSource): Promise<number> {
  const [row]: { relayed: string }[] = await db.query('SELECT relayed FROM outbox_relay WHERE id = 1');
  return Number(row?.relayed ?? 0);
}

/** Changes committed but not relayed yet, and the age in seconds of the oldest (0 when none waits). */
export async function outboxBacklog(db: DataSource): Promise<{ backlog: number; oldestSeconds: number }> {
  const [row]: { backlog: number; oldest: number }[] = await db.query(
    `SELECT count(*)::int AS backlog, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
     FROM outbox WHERE relayed_seq IS NULL`,
  );
  return { backlog: row.backlog, oldestSeconds: row.oldest };
}

/** Applies a change to an index by reading what it touched. */
export async function applyChange(index: MatchIndex, db: DataSource, change: OutboxChange): Promise<void> {
  const touched = indexChangeOf(change);
  if (touched) await refreshIndex(index, db, touched);
}
