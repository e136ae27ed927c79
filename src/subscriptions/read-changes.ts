/**
 * Outbox changes an index has read after they committed, so that relaying or tailing one does not
 * read its rows again: those pending when a start began its load (every statement of the load
 * begins after they committed: an import's slices, every row of it, were read again as each was
 * relayed — at 1,000,000 stakeholders 12–112 s of the relay), and those this instance's writers
 * applied right after their commit (read-your-writes). The index then holds what the change wrote,
 * or something newer whose own change is applied when it comes.
 */
import { DataSource } from 'typeorm';
import type { OutboxChange } from '../domain/outbox';
import { MatchIndex } from '../matching/index/match-index';
import { applyChange } from './outbox-relay';

/**
 * Changes held as read; beyond, the oldest is let go (a change let go is read again when relayed,
 * as it always was). A start's backlog beyond it is read again too.
 * @default 100000
 */
export const READ_CHANGES_KEPT = 100_000;

/** Kinds of change whose effect on an index is only what their rows say (a track prior is not). */
const ROW_CHANGES: ReadonlySet<OutboxChange['kind']> = new Set([
  'stakeholder',
  'stakeholders',
  'challenge',
  'challenges',
  'partnership',
] as const);

/** Outbox seqs of changes an index has read after their commit, each taken out as it comes. */
export class ReadChanges {
  private readonly seqs = new Set<number>();

  constructor(seqs: Iterable<number> = []) {
    for (const seq of seqs) this.add(seq);
  }

  /** How many are held. */
  get size(): number {
    return this.seqs.size;
  }

  add(seq: number): void {
    // A Set keeps insertion order: the first is the oldest.
    if (this.seqs.size >= READ_CHANGES_KEPT) this.seqs.delete(this.seqs.values().next().value as number);
    this.seqs.add(seq);
  }

  /** Whether `seq` was read (and forgets it: a change is relayed once, and tailed once). */
  take(seq: number): boolean {
    return this.seqs.delete(seq);
  }
}

/**
 * Changes pending (committed, not relayed) as a start is about to load its index, in seq order, at
 * most {@link READ_CHANGES_KEPT}.
 */
export async function pendingSeqs(db: DataSource): Promise<number[]> {
  const rows: { seq: string }[] = await db.query(
    'SELECT seq FROM outbox WHERE relayed_seq IS NULL ORDER BY seq LIMIT $1',
    [READ_CHANGES_KEPT],
  );
  return rows.map((r) => Number(r.seq));
}

/** Applies a relayed change to an index unless the index read it after its commit ({@link ReadChanges}). */
export async function applyUnlessRead(
  index: MatchIndex,
  db: DataSource,
  change: OutboxChange,
  seq: number,
  read: ReadChanges,
): Promise<void> {
  if (read.take(seq) && ROW_CHANGES.has(change.kind)) return;
  await applyChange(index, db, change);
}
