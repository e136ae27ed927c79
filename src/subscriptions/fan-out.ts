import { DataSource } from 'typeorm';
import { Partnership } from '../domain/partnership/partnership.entity';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { hubsManagingChallenge } from '../domain/challenge/managing-hubs';
import { asyncQueue, QueueBound } from './async-queue';
import { isNewAt, MatchEventRow, readRange } from './match-events';
import { PartnerFacts, passesPartnerFilter, SavedPartnerSearch } from './partner-filter';
import { ReplayPages, Turn } from './replay';
import { MatchOrigin } from './topics';

/**
 * An event as handed to subscribers, with loaders shared by every subscriber of that event
 * (`L` is the GraphQL layer's loaders: this layer only makes and hands them over).
 */
export interface Delivery<T, L = unknown> {
  value: T;
  loaders: L;
}

interface MatchSubscription<L> {
  challengeId?: string;
  stakeholderId?: string;
  origin?: MatchOrigin;
  minScore: number;
  registration: number;
  lastSeq: number;
  /** Live events that arrive while stored ones are replayed. */
  pending: Delivery<MatchEventRow, L>[] | undefined;
  bound: QueueBound | undefined;
  queue: ReturnType<typeof asyncQueue<Delivery<MatchEventRow, L>>>;
}

interface PartnershipSubscription<L> {
  /** Hubs whose partnerships it hears; 'all' for an administrator without a hub filter. */
  hubIds: readonly string[] | 'all';
  challengeId?: string;
  queue: ReturnType<typeof asyncQueue<Delivery<Partnership, L>>>;
}

interface PartnerSubscription<L> {
  filter: SavedPartnerSearch;
  queue: ReturnType<typeof asyncQueue<Delivery<Stakeholder, L>>>;
}

const FREE_TURN: Turn = { ready: Promise.resolve(), release: () => undefined };

/**
 * This instance's subscribers, and what reaches them: new matches (replayed first where asked),
 * new partners, partnership moves and revoked keys. One job: handing relayed changes to whoever
 * listens, each event read once for all of them (the change feed says when; this says to whom).
 */
export class FanOut<L = unknown> {
  private readonly matchSubs = new Set<MatchSubscription<L>>();
  private readonly partnerSubs = new Set<PartnerSubscription<L>>();
  private readonly partnershipSubs = new Set<PartnershipSubscription<L>>();
  private readonly revokedListeners = new Set<(keyId: string) => void>();
  private readonly replays: ReplayPages<L>;

  /**
   * @param makeLoaders builds a fresh set of per-request loaders; one set serves all subscribers
   * of one event, so resolving their fields costs the same SQL for 1 or 10,000 subscribers.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly makeLoaders: () => L,
  ) {
    this.replays = new ReplayPages(dataSource, makeLoaders);
  }

  /** How many subscriptions this instance serves (for tests and benchmarks). */
  get size(): number {
    return this.matchSubs.size + this.partnerSubs.size + this.partnershipSubs.size;
  }

  /** Hears revoked keys (relayed outbox changes, from any instance); returns the way to stop hearing them. */
  onKeyRevoked(listener: (keyId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Tells the listeners that a key was revoked (a relayed outbox change). */
  keyRevoked(keyId: string): void {
    for (const l of this.revokedListeners) l(keyId);
  }

  /**
   * New matches of a challenge or a stakeholder, live, optionally replaying every stored one after
   * a seq first (in the caller's `turn`, see replay.ts).
   */
  matches(opts: {
    challengeId?: string;
    stakeholderId?: string;
    origin?: MatchOrigin;
    minScore: number;
    afterSeq?: number;
    turn?: () => Turn;
    /** How far behind its client may fall (live events waiting, replayed or not). */
    bound?: QueueBound;
  }): AsyncIterableIterator<Delivery<MatchEventRow, L>> {
    const { turn, bound, ...where } = opts;
    const sub: MatchSubscription<L> = {
      ...where,
      bound,
      registration: this.replays.register(),
      lastSeq: where.afterSeq ?? 0,
      pending: where.afterSeq === undefined ? undefined : [],
      queue: asyncQueue<Delivery<MatchEventRow, L>>(() => this.matchSubs.delete(sub), bound),
    };
    this.matchSubs.add(sub);
    if (where.afterSeq === undefined) return sub.queue;
    // Registered first, replayed second: an event committed in between waits in `pending`.
    const live = () => {
      const pending = sub.pending ?? [];
      sub.pending = undefined;
      for (const d of pending) this.deliver(sub, d);
    };
    return this.replays.begin(sub, { ...where, afterSeq: where.afterSeq }, live, turn ?? (() => FREE_TURN));
  }

  /** New stakeholders that pass a saved search, live. */
  partners(filter: SavedPartnerSearch, bound?: QueueBound) {
    const sub: PartnerSubscription<L> = {
      filter,
      queue: asyncQueue<Delivery<Stakeholder, L>>(() => this.partnerSubs.delete(sub), bound),
    };
    this.partnerSubs.add(sub);
    return sub.queue;
  }

  /** Every status change of a partnership of the given hubs (optionally one challenge), live. */
  partnerships(filter: { hubIds: readonly string[] | 'all'; challengeId?: string }, bound?: QueueBound) {
    const sub: PartnershipSubscription<L> = {
      ...filter,
      queue: asyncQueue<Delivery<Partnership, L>>(() => this.partnershipSubs.delete(sub), bound),
    };
    this.partnershipSubs.add(sub);
    return sub.queue;
  }

  /** Ends every subscription (server shutdown). */
  close(): void {
    for (const s of this.matchSubs) void s.queue.return?.();
    for (const s of this.partnerSubs) void s.queue.return?.();
    for (const s of this.partnershipSubs) void s.queue.return?.();
  }

  /** Hands the stored match events of a relayed seq range to the subscribers they concern. */
  async deliverMatches(from: number, to: number): Promise<void> {
    if (this.matchSubs.size === 0) return;
    const challengeIds = new Set<string>();
    const stakeholderIds = new Set<string>();
    for (const s of this.matchSubs) {
      if (s.challengeId) challengeIds.add(s.challengeId);
      if (s.stakeholderId) stakeholderIds.add(s.stakeholderId);
    }
    const events = await readRange(this.dataSource, from, to, [...challengeIds], [...stakeholderIds]);
    const loaders = this.makeLoaders();
    for (const e of events) {
      // One delivery per event for every subscriber: its executions are shared by view (shared-execution.ts).
      const delivery = { value: e, loaders };
      for (const s of this.matchSubs) this.deliver(s, delivery);
    }
  }

  private deliver(sub: MatchSubscription<L>, delivery: Delivery<MatchEventRow, L>): void {
    const e = delivery.value;
    if (sub.challengeId && e.challengeId !== sub.challengeId) return;
    if (sub.stakeholderId && e.stakeholderId !== sub.stakeholderId) return;
    if (sub.origin && e.origin !== sub.origin) return;
    if (!isNewAt(e, sub.minScore)) return;
    if (sub.pending) {
      if (sub.bound && sub.pending.length >= sub.bound.maxQueued) {
        // Replaying still, and this far behind live: the same bound as a live queue's.
        sub.pending = undefined;
        void sub.queue.return?.();
        sub.bound.onOverflow();
        return;
      }
      sub.pending.push(delivery);
      return;
    }
    if (e.seq <= sub.lastSeq) return;
    sub.lastSeq = e.seq;
    sub.queue.push(delivery);
  }

  /** Pushes a partnership's change (with the status it set) to the hubs that manage its challenge. */
  async deliverPartnership(id: string, status: string | undefined): Promise<void> {
    if (this.partnershipSubs.size === 0) return;
    const partnership = await this.dataSource.getRepository(Partnership).findOneBy({ id });
    if (!partnership) return;
    if (status) partnership.status = status as Partnership['status']; // as set, though a later one may be stored
    const hubIds = new Set(await hubsManagingChallenge(this.dataSource.manager, partnership.challengeId));
    const delivery = { value: partnership, loaders: this.makeLoaders() };
    for (const s of this.partnershipSubs) {
      if (s.challengeId && s.challengeId !== partnership.challengeId) continue;
      if (s.hubIds === 'all' || s.hubIds.some((h) => hubIds.has(h))) s.queue.push(delivery);
    }
  }

  /** Pushes a stakeholder that joined to the saved searches it passes. */
  async deliverPartner(stakeholderId: string): Promise<void> {
    if (this.partnerSubs.size === 0) return;
    const stakeholder = await this.dataSource.getRepository(Stakeholder).findOneBy({ id: stakeholderId });
    if (!stakeholder) return;
    const [facts]: { region_path: string[]; slugs: string[] }[] = await this.dataSource.query(
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
    const delivery = { value: stakeholder, loaders: this.makeLoaders() };
    for (const s of this.partnerSubs) if (passesPartnerFilter(s.filter, partner)) s.queue.push(delivery);
  }
}
