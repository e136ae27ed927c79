import { DataSource } from 'typeorm';
import { Partnership } from '../domain/partnership/partnership.entity';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { Logger } from '../log/logger';
import { asyncQueue, QueueBound } from './async-queue';
import { MatchIndex } from '../matching/index/match-index';
import { refreshIndex } from '../matching/index/load-index';
import { EventBus } from './event-bus';
import { isNewAt, MatchEventRow, readRange } from './match-events';
import { ReplayPages, Turn } from './replay';
import {
  applyChange,
  joinedBy,
  pendingChanges,
  readRelayed,
  RELAY_BATCH,
  relayOutbox,
  TAIL_PAGE,
} from './outbox-relay';
import { PartnerFacts, passesPartnerFilter, SavedPartnerSearch } from './partner-filter';
import { BusMessage, MatchOrigin } from './topics';
import { relayCommitsWith } from '../domain/unit-of-work';
import { hubsManagingChallenge } from '../domain/challenge/managing-hubs';

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

/** Options for {@link ChangeFeed}. */
export interface ChangeFeedOptions {
  /**
   * How often an instance looks for changes nobody relayed (a writer that died after its commit,
   * a bus message lost); 0 looks only when told.
   * @default 1000
   */
  pollMs?: number;
}

type Job = 'settle';

const FREE_TURN: Turn = { ready: Promise.resolve(), release: () => undefined };

/**
 * This instance's feed of changes, from the transactional outbox: its match index kept current,
 * and matches, new partners, partnership moves and key revocations pushed to subscribers. After
 * a write commits, its instance relays pending changes (matching them on its index and storing
 * the new match events with the change), applies them to its own index before the write is
 * answered, and tells every instance on the bus. Every instance then tails the relayed changes in order: it
 * applies them to its index and hands their events to its subscribers, reading each event once
 * for all of them. A lost bus message or a dead writer costs a poll interval, never a change.
 */
export class ChangeFeed<L = unknown> {
  private readonly matchSubs = new Set<MatchSubscription<L>>();
  private readonly partnerSubs = new Set<PartnerSubscription<L>>();
  private readonly partnershipSubs = new Set<PartnershipSubscription<L>>();
  private readonly revokedListeners = new Set<(keyId: string) => void>();
  /** Relayed changes up to here are in this instance's index and were handed to its subscribers. */
  private lastApplied = 0;
  /** Changes this instance relayed, so already in its index: the tail does not read them again. */
  private readonly selfApplied = new Set<number>();
  private started = false;
  private shuttingDown = false;
  private caughtUp = false;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | undefined;
  private readonly unsubscribe: () => void;
  private stopRelaying: () => void = () => undefined;
  private readonly replays: ReplayPages<L>;

  /**
   * @param makeLoaders builds a fresh set of per-request loaders; one set serves all subscribers
   * of one event, so resolving their fields costs the same SQL for 1 or 10,000 subscribers.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly makeLoaders: () => L,
    /** This instance's match index: kept current here, from this instance's writes and everyone else's. */
    readonly index: MatchIndex = new MatchIndex(),
    private readonly options: ChangeFeedOptions = {},
  ) {
    this.replays = new ReplayPages(dataSource, makeLoaders);
    this.unsubscribe = bus.subscribe((m) => void this.onMessage(m));
    bus.onReconnect(() => void this.run('settle'));
  }

  /** How many subscriptions this instance serves (for tests and benchmarks). */
  get size(): number {
    return this.matchSubs.size + this.partnerSubs.size + this.partnershipSubs.size;
  }

  /**
   * Starts following the outbox once the index is loaded; `fromSeq` is {@link relayedUpTo} read
   * before the load began, so a change relayed during the load is applied again (harmless).
   * Relays what is pending at once: a change committed by a process that died before relaying it.
   */
  async start(fromSeq: number): Promise<void> {
    this.lastApplied = fromSeq;
    this.started = true;
    // Domain writes that appended to the outbox relay through this feed once they commit.
    this.stopRelaying = relayCommitsWith(this.dataSource, () => this.settle());
    const every = this.options.pollMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.run('settle'), every);
      this.timer.unref();
    }
    await this.run('settle');
    this.caughtUp = true;
  }

  /** Index loaded and changes left by earlier processes relayed: ready for traffic. */
  get ready(): boolean {
    return this.index.loaded && this.caughtUp;
  }

  /**
   * After a write committed (its change is in the outbox): relays it, so that this instance's
   * index and every subscriber see it. Resolves when this instance's index has it.
   */
  async settle(): Promise<void> {
    await this.run('settle');
  }

  /** Reads the whole index again (tests that write around the domain, straight in SQL). */
  async reloadAll(): Promise<void> {
    await refreshIndex(this.index, this.dataSource, { all: true });
  }

  /** Hears revoked keys (relayed outbox changes, from any instance); returns the way to stop hearing them. */
  onKeyRevoked(listener: (keyId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
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

  /**
   * Marks a deliberate shutdown, synchronously: the embedded database may be stopping on the same
   * signal, so a relay cut off from here on is expected and not an incident.
   */
  stopping(): void {
    this.shuttingDown = true;
    this.started = false;
    this.stopRelaying();
  }

  /**
   * Ends every subscription (server shutdown), stops listening, and waits for a relay in flight,
   * so the database pool is not closed under it.
   */
  async close(): Promise<void> {
    this.stopping();
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    for (const s of this.matchSubs) void s.queue.return?.();
    for (const s of this.partnerSubs) void s.queue.return?.();
    for (const s of this.partnershipSubs) void s.queue.return?.();
    await this.chain;
  }

  private async publish(message: BusMessage): Promise<void> {
    try {
      await this.bus.publish(message);
    } catch (error) {
      // The change is in the outbox: the other instances find it at their next poll.
      this.log.error('publish failed', { error: String(error), message });
    }
  }

  private onMessage(message: BusMessage): void {
    // The only message: the outbox moved (parseMessage drops anything else).
    if (message.kind === 'outbox') void this.run('settle');
  }

  /** One job at a time, in order, so each subscriber sees events in seq order. */
  private run(job: Job): Promise<void> {
    // A settle that has not started yet will see every change committed before it starts: callers
    // share it, so polls and messages during a long relay do not pile up.
    if (this.waiting) return this.waiting;
    const done = this.chain.then(() => {
      this.waiting = undefined;
      return this.handle(job);
    });
    this.waiting = done;
    this.chain = done.catch((error) =>
      this.shuttingDown
        ? this.log.debug('outbox relay cut off by shutdown', { error: String(error) })
        : this.log.error('outbox relay failed', { error: String(error) }),
    );
    return done;
  }

  private async handle(job: Job): Promise<void> {
    if (!this.started || job !== 'settle') return;
    let relayedAny = false;
    for (;;) {
      const relayed = await relayOutbox(this.dataSource, this.index, (c) =>
        applyChange(this.index, this.dataSource, c),
      );
      if (relayed === undefined) break;
      relayedAny = true;
      for (const r of relayed) this.selfApplied.add(r.relayedSeq);
      if (relayed.length < RELAY_BATCH) break;
    }
    if (!relayedAny) {
      // Another instance may be relaying right now: apply what is pending here all the same,
      // so that a write is in its own instance's index before it is answered.
      for (const change of await pendingChanges(this.dataSource))
        await applyChange(this.index, this.dataSource, change);
    }
    await this.tail();
    if (relayedAny) await this.publish({ kind: 'outbox' });
  }

  /** Applies relayed changes after {@link lastApplied} and hands their events to subscribers. */
  private async tail(): Promise<void> {
    for (;;) {
      const page = await readRelayed(this.dataSource, this.lastApplied);
      if (page.length && page[0].relayedSeq > this.lastApplied + 1) {
        // Pruned while this instance was far behind: what it missed is in the tables, not the outbox.
        this.log.warn('outbox pruned past this instance: reloading its index', { from: this.lastApplied });
        await this.reloadAll();
      }
      for (const r of page) {
        if (!this.selfApplied.delete(r.relayedSeq) && r.change)
          await applyChange(this.index, this.dataSource, r.change);
        if (r.matches) await this.handleRange(r.matches.from, r.matches.to);
        if (r.change) for (const id of joinedBy(r.change)) await this.handlePartner(id);
        if (r.change?.kind === 'partnership' && r.change.partnershipId)
          await this.handlePartnership(r.change.partnershipId, r.change.status);
        if (r.change?.kind === 'key-revoked') for (const l of this.revokedListeners) l(r.change.keyId);
        this.lastApplied = r.relayedSeq;
      }
      if (page.length < TAIL_PAGE) return;
    }
  }

  private async handleRange(from: number, to: number): Promise<void> {
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

  private async handlePartnership(id: string, status: string | undefined): Promise<void> {
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
    const delivery = { value: stakeholder, loaders: this.makeLoaders() };
    for (const s of this.partnerSubs) if (passesPartnerFilter(s.filter, partner)) s.queue.push(delivery);
  }
}
