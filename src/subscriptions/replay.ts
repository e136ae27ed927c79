/**
 * Catching a resuming subscriber up on every match it missed, however many, without letting
 * replays cost what nobody reads or crowd out other callers:
 * - stored events are read a page at a time, only when the subscriber has taken the previous
 *   page: a client that stops reading, or goes away, stops the reading, and no replay holds more
 *   than a page;
 * - a caller's replays take turns (its `turn`, e.g. a share of the per-caller work limiter), so
 *   hundreds of resumed subscriptions from one caller replay a few at a time;
 * - pages are shared: subscribers resuming from the same place get the same page objects, read
 *   once, whose selections are executed once per view (shared-execution.ts) like a live event's.
 */
import { DataSource } from 'typeorm';
import { EventQuery, MatchEventRow, readEvents } from './match-events';
import type { Delivery } from './fan-out';

/** Stored events read per statement while a subscriber catches up. */
export const REPLAY_PAGE = 100;

/** Pages kept for sharing, and for how long a full page is shared. */
const SHARED_PAGES = 64;
const SHARED_MS = 10_000;

/** Where a replay reads from: everything of {@link EventQuery} but the page. */
export type ReplayFrom = Omit<EventQuery, 'limit' | 'since'> & { afterSeq: number };

interface SharedPage<L> {
  at: number;
  /** Registrations before the read began: only they may take a page that ended the events. */
  readAfter: number;
  full?: boolean;
  page: Promise<Delivery<MatchEventRow, L>[]>;
}

/**
 * A subscriber being caught up. It must be registered for live events (kept aside in its
 * `pending`) before {@link ReplayPages.begin}, so that nothing committed meanwhile is lost.
 */
export interface Resuming<L> {
  /** Order of registration, from {@link ReplayPages.register}. */
  registration: number;
  lastSeq: number;
  queue: AsyncIterableIterator<Delivery<MatchEventRow, L>>;
}

/** A caller's turn to replay: wait for `ready`; `release` ends it (or gives up waiting). */
export interface Turn {
  ready: Promise<void>;
  release(): void;
}

/** Pages of stored events for resuming subscribers, read on demand and shared. */
export class ReplayPages<L> {
  private readonly pages = new Map<string, SharedPage<L>>();
  private registrations = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly makeLoaders: () => L,
  ) {}

  /** A number for a subscriber registering for live events now (see {@link Resuming}). */
  register(): number {
    return ++this.registrations;
  }

  /**
   * The subscriber's stream: the missed events a page at a time as it reads them, in its caller's
   * turn, then (calling `live` once) its live queue.
   */
  begin(
    sub: Resuming<L>,
    from: ReplayFrom,
    live: () => void,
    turn: () => Turn,
  ): AsyncIterableIterator<Delivery<MatchEventRow, L>> {
    let current: Turn | undefined;
    // A subscriber that leaves while waiting for its turn stops waiting.
    let leave!: () => void;
    const left = new Promise<void>((resolve) => (leave = resolve));
    const endTurn = () => {
      current?.release();
      current = undefined;
    };
    let page: Delivery<MatchEventRow, L>[] = [];
    let taken = 0;
    let more = true;
    let replaying = true;
    let closed = false;
    const stream: AsyncIterableIterator<Delivery<MatchEventRow, L>> = {
      next: async () => {
        while (replaying && !closed) {
          if (!current) {
            current = turn();
            await Promise.race([current.ready, left]);
            continue;
          }
          if (taken < page.length) {
            const delivery = page[taken++];
            sub.lastSeq = delivery.value.seq;
            return { value: delivery, done: false };
          }
          if (!more) {
            replaying = false;
            endTurn();
            live();
            break;
          }
          page = await this.page(sub, { ...from, afterSeq: sub.lastSeq });
          taken = 0;
          more = page.length === REPLAY_PAGE;
        }
        return sub.queue.next();
      },
      return: () => {
        closed = true;
        leave();
        endTurn();
        page = [];
        return sub.queue.return?.() ?? Promise.resolve({ value: undefined, done: true });
      },
      throw: (error?: unknown) => {
        closed = true;
        leave();
        endTurn();
        page = [];
        return sub.queue.throw?.(error) ?? Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return stream;
      },
    };
    return stream;
  }

  /** How many pages are kept for sharing (for tests). */
  get size(): number {
    return this.pages.size;
  }

  private page(sub: Resuming<L>, from: ReplayFrom): Promise<Delivery<MatchEventRow, L>[]> {
    const key = JSON.stringify([
      from.challengeId ?? null,
      from.stakeholderId ?? null,
      from.origin ?? null,
      from.minScore,
      from.afterSeq,
    ]);
    const now = Date.now();
    const shared = this.pages.get(key);
    // A full page holds the same events whenever it is read. A page that reached the end of the
    // events may miss one committed since: only subscribers registered before its read began
    // (who hold that event in their pending) may take it.
    if (shared && now - shared.at < SHARED_MS && (shared.full || sub.registration <= shared.readAfter))
      return shared.page;
    const entry: SharedPage<L> = {
      at: now,
      readAfter: this.registrations,
      page: readEvents(this.dataSource, { ...from, limit: REPLAY_PAGE }).then((rows) => {
        const loaders = this.makeLoaders();
        entry.full = rows.length === REPLAY_PAGE;
        return rows.map((value) => ({ value, loaders }));
      }),
    };
    entry.page.catch(() => this.pages.get(key) === entry && this.pages.delete(key));
    this.pages.delete(key);
    this.pages.set(key, entry);
    // Oldest first: drop what is past sharing, and the oldest beyond the bound.
    for (const [old, e] of this.pages) {
      if (this.pages.size <= SHARED_PAGES && now - e.at < SHARED_MS) break;
      this.pages.delete(old);
    }
    return entry.page;
  }
}
