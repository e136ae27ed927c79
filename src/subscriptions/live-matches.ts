import { DataSource } from 'typeorm';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { UnreachableCaseError } from '../domain/errors';
import { Logger } from '../server/logger';
import { asyncQueue } from './async-queue';
import { matchImported } from './import-events';
import { MatchIndex } from '../matching/index/match-index';
import { IndexChange, refreshIndex } from '../matching/index/load-index';
import { EventBus } from './event-bus';
import { isNewAt, MatchEventRow, readEvents, readRange, recordMatches } from './match-events';
import { PartnerFacts, passesPartnerFilter, SavedPartnerSearch } from './partner-filter';
import { BusMessage, MatchOrigin } from './topics';

/** An event as handed to subscribers, with loaders shared by every subscriber of that event. */
export interface Delivery<T> {
  value: T;
  loaders: unknown;
}

interface MatchSubscription {
  challengeId?: string;
  stakeholderId?: string;
  origin?: MatchOrigin;
  minScore: number;
  lastSeq: number;
  /** Live events that arrive while stored ones are replayed. */
  pending: MatchEventRow[] | undefined;
  queue: ReturnType<typeof asyncQueue<Delivery<MatchEventRow>>>;
}

interface PartnerSubscription {
  filter: SavedPartnerSearch;
  queue: ReturnType<typeof asyncQueue<Delivery<Stakeholder>>>;
}

/** Stored events read per statement while a resuming subscriber catches up (all of them, page by page). */
export const REPLAY_PAGE = 1000;

/**
 * This instance's side of live matching. Writers call the `…Changed` hooks after their
 * transaction commits: matching runs once per event and its results are stored, then a small
 * message goes on the bus. Every instance hears it, reads the events its own subscribers care
 * about once, and fans them out; subscribers to one challenge share that work.
 */
export class LiveMatches {
  private readonly matchSubs = new Set<MatchSubscription>();
  private readonly partnerSubs = new Set<PartnerSubscription>();
  private readonly revokedListeners = new Set<(keyId: string) => void>();
  private lastHandled = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  /**
   * @param makeLoaders builds a fresh set of per-request loaders; one set serves all subscribers
   * of one event, so resolving their fields costs the same SQL for 1 or 10,000 subscribers.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly makeLoaders: () => unknown,
    /** This instance's match index: kept current here, from this instance's writes and everyone else's. */
    readonly index: MatchIndex = new MatchIndex(),
  ) {
    this.unsubscribe = bus.subscribe((m) => this.enqueue(m));
    bus.onReconnect(() => this.enqueue('catch-up'));
  }

  /** How many subscriptions this instance serves (for tests and benchmarks). */
  get size(): number {
    return this.matchSubs.size + this.partnerSubs.size;
  }

  async stakeholderChanged(id: string, created: boolean): Promise<void> {
    await this.indexChanged({ stakeholderId: id });
    await this.record({ stakeholderId: id }, 'STAKEHOLDER_CHANGED');
    if (created) await this.publish({ kind: 'partner-joined', stakeholderId: id });
  }

  async challengeChanged(id: string, created: boolean): Promise<void> {
    await this.indexChanged({ challengeId: id });
    await this.record({ challengeId: id }, created ? 'CHALLENGE_POSTED' : 'CHALLENGE_CHANGED');
  }

  /** An invitation, answer, approval, completion or dismissal changed who is free for a challenge. */
  async partnershipChanged(challengeId: string, stakeholderId: string): Promise<void> {
    await this.indexChanged({ partnership: { challengeId, stakeholderId } });
  }

  /** Many stakeholders changed at once (an import): every instance reloads its index. */
  async bulkChanged(): Promise<void> {
    await this.indexChanged({ all: true });
  }

  /** An import committed: reload, then match its new stakeholders and tell subscribers, in batches. */
  async imported(newStakeholderIds: readonly string[]): Promise<void> {
    await this.bulkChanged();
    await matchImported(this.dataSource, this.index, newStakeholderIds, (m) => this.publish(m));
  }

  /**
   * Re-reads a change into this instance's index first (a request that follows the write sees
   * it), then tells the other instances to do the same.
   */
  private async indexChanged(change: IndexChange): Promise<void> {
    await refreshIndex(this.index, this.dataSource, change);
    await this.publish({ kind: 'index', change });
  }

  /** Tells every instance that a key was revoked, so that they close its open connections. */
  async announceKeyRevoked(keyId: string): Promise<void> {
    await this.publish({ kind: 'key-revoked', keyId });
  }

  /** Hears revoked keys (from any instance); returns the way to stop hearing them. */
  onKeyRevoked(listener: (keyId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** New matches of a challenge or a stakeholder, live, optionally replaying stored ones after a seq. */
  async matches(opts: {
    challengeId?: string;
    stakeholderId?: string;
    origin?: MatchOrigin;
    minScore: number;
    afterSeq?: number;
  }) {
    const sub: MatchSubscription = {
      ...opts,
      lastSeq: opts.afterSeq ?? 0,
      pending: opts.afterSeq === undefined ? undefined : [],
      queue: asyncQueue<Delivery<MatchEventRow>>(() => this.matchSubs.delete(sub)),
    };
    this.matchSubs.add(sub);
    if (opts.afterSeq !== undefined) {
      // Registered first, replayed second: an event committed in between is in `pending`. Every
      // missed event comes back, a page at a time, however long the client was away.
      for (;;) {
        const stored = await readEvents(this.dataSource, { ...opts, afterSeq: sub.lastSeq, limit: REPLAY_PAGE });
        const loaders = this.makeLoaders();
        for (const e of stored) {
          sub.lastSeq = e.seq;
          sub.queue.push({ value: e, loaders });
        }
        if (stored.length < REPLAY_PAGE) break;
      }
      const pending = sub.pending ?? [];
      sub.pending = undefined;
      const loaders = this.makeLoaders();
      for (const e of pending) this.deliver(sub, e, loaders);
    }
    return sub.queue;
  }

  /** New stakeholders that pass a saved search, live. */
  partners(filter: SavedPartnerSearch) {
    const sub: PartnerSubscription = {
      filter,
      queue: asyncQueue<Delivery<Stakeholder>>(() => this.partnerSubs.delete(sub)),
    };
    this.partnerSubs.add(sub);
    return sub.queue;
  }

  /** Ends every subscription (server shutdown) and stops listening. */
  close(): void {
    this.unsubscribe();
    for (const s of this.matchSubs) void s.queue.return?.();
    for (const s of this.partnerSubs) void s.queue.return?.();
  }

  private async record(scope: { stakeholderId: string } | { challengeId: string }, origin: MatchOrigin): Promise<void> {
    const range = await recordMatches(this.dataSource, this.index, scope, origin);
    if (range) await this.publish(range);
  }

  private async publish(message: BusMessage): Promise<void> {
    try {
      await this.bus.publish(message);
    } catch (error) {
      // The events are stored: subscribers that resume from a cursor still get them.
      this.log.error('publish failed', { error: String(error), message });
    }
  }

  private enqueue(message: BusMessage | 'catch-up'): void {
    // One message at a time, in arrival order, so each subscriber sees events in seq order.
    this.chain = this.chain
      .then(() => this.handle(message))
      .catch((error) => this.log.error('event dispatch failed', { error: String(error) }));
  }

  private async handle(message: BusMessage | 'catch-up'): Promise<void> {
    if (message === 'catch-up') {
      // Index changes heard by nobody while the bus was away: read everything again.
      await refreshIndex(this.index, this.dataSource, { all: true });
      const [{ max }] = await this.dataSource.query('SELECT coalesce(max(seq), 0)::int AS max FROM match_event');
      if (max > this.lastHandled) await this.handleRange(this.lastHandled + 1, max);
      return;
    }
    switch (message.kind) {
      case 'matches':
        return this.handleRange(message.from, message.to);
      case 'partner-joined':
        return this.handlePartner(message.stakeholderId);
      case 'partners-joined':
        for (const id of message.stakeholderIds) await this.handlePartner(id);
        return;
      case 'key-revoked':
        for (const l of this.revokedListeners) l(message.keyId);
        return;
      case 'index':
        return refreshIndex(this.index, this.dataSource, message.change);
      default:
        throw new UnreachableCaseError(message);
    }
  }

  private async handleRange(from: number, to: number): Promise<void> {
    this.lastHandled = Math.max(this.lastHandled, to);
    if (this.matchSubs.size === 0) return;
    const challengeIds = new Set<string>();
    const stakeholderIds = new Set<string>();
    for (const s of this.matchSubs) {
      if (s.challengeId) challengeIds.add(s.challengeId);
      if (s.stakeholderId) stakeholderIds.add(s.stakeholderId);
    }
    const events = await readRange(this.dataSource, from, to, [...challengeIds], [...stakeholderIds]);
    const loaders = this.makeLoaders();
    for (const e of events) for (const s of this.matchSubs) this.deliver(s, e, loaders);
  }

  private deliver(sub: MatchSubscription, e: MatchEventRow, loaders: unknown): void {
    if (sub.challengeId && e.challengeId !== sub.challengeId) return;
    if (sub.stakeholderId && e.stakeholderId !== sub.stakeholderId) return;
    if (sub.origin && e.origin !== sub.origin) return;
    if (!isNewAt(e, sub.minScore)) return;
    if (sub.pending) {
      sub.pending.push(e);
      return;
    }
    if (e.seq <= sub.lastSeq) return;
    sub.lastSeq = e.seq;
    sub.queue.push({ value: e, loaders });
  }

  private async handlePartner(stakeholderId: string): Promise<void> {
    if (this.partnerSubs.size === 0) return;
    const stakeholder = await this.dataSource.getRepository(Stakeholder).findOneBy({ id: stakeholderId });
    if (!stakeholder) return;
    const [facts] = await this.dataSource.query(
      `SELECT ARRAY(WITH RECURSIVE r(code, parent) AS (
                SELECT code, parent_code FROM region WHERE code = $1
                UNION ALL SELECT g.code, g.parent_code FROM region g JOIN r ON g.code = r.parent)
              SELECT code FROM r) AS region_path,
              ARRAY(SELECT slug FROM expertise WHERE id = ANY($2::int[])) AS slugs`,
      [stakeholder.regionCode, stakeholder.expertiseIds],
    );
    const partner: PartnerFacts = {
      kind: stakeholder.kind,
      regionPath: facts.region_path,
      sdgIds: stakeholder.sdgIds,
      expertiseSlugs: facts.slugs,
      latitude: stakeholder.latitude,
      longitude: stakeholder.longitude,
    };
    const loaders = this.makeLoaders();
    for (const s of this.partnerSubs)
      if (passesPartnerFilter(s.filter, partner)) s.queue.push({ value: stakeholder, loaders });
  }
}
