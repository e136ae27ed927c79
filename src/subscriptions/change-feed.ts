import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Logger } from '../log/logger';
import type { QueueBound } from './async-queue';
import { Delivery, FanOut } from './fan-out';
import { MatchIndex } from '../matching/index/match-index';
import { refreshIndex } from '../matching/index/load-index';
import { EventBus } from './event-bus';
import type { MatchEventRow } from './match-events';
import {
  applyChange,
  joinedBy,
  pendingChanges,
  readRelayed,
  RELAY_BATCH,
  relayOutbox,
  RelayedChange,
  RelayHook,
  TAIL_PAGE,
} from './outbox-relay';
import type { SavedPartnerSearch } from './partner-filter';
import { BusMessage } from './topics';
import type { OutboxChange } from '../domain/outbox';
import { AppendedChange, relayCommitsWith } from '../domain/unit-of-work';
import { applyUnlessRead, ReadChanges } from './read-changes';
import { JobChain } from './job-chain';

/** Options for {@link ChangeFeed}. */
export interface ChangeFeedOptions {
  /**
   * How often an instance looks for changes nobody relayed (a writer that died after its commit,
   * a bus message lost); 0 looks only when told.
   * @default 1000
   */
  pollMs?: number;
  /**
   * More work each relayed change causes, in the relay's transaction (webhook deliveries).
   * @default undefined
   */
  onRelayed?: RelayHook;
  /**
   * Called after this instance relayed changes and committed (wakes the webhook senders).
   * @default undefined
   */
  afterRelay?: () => void;
  /**
   * How long a read of the relay's work waits for the relay that follows this instance's writes
   * (see {@link ChangeFeed.relayedOwn}); one held up longer, behind an import's matching, lets the
   * read go on without it.
   * @default 2000
   */
  ownRelayWaitMs?: number;
}

/**
 * `settle`: relay what is pending, then read what others relayed (after this instance's writes, on
 * a poll, when a tool announces changes it wrote). `tail`: only read what others relayed (another
 * instance's nudge: what it tells of is relayed already), unless this instance owes a relay.
 */
type Job = 'settle' | 'tail';

/**
 * How soon an instance that found the relay's turn taken tries again (the holder's nudge usually
 * comes first; a holder that relayed nothing sends none).
 * @default 100
 */
export const RELAY_RETRY_MS = 100;

/**
 * This instance's feed of changes, from the transactional outbox. It says *when*; three modules
 * say *what*: outbox-relay.ts relays pending changes (matching them on the index and storing the
 * new match events with the change), applyChange (outbox-relay.ts, over load-index.ts) keeps the
 * match index — the read model — current, and fan-out.ts hands each change to the subscribers it
 * concerns. After a write commits, its unit of work has this feed apply it to this instance's
 * index before the write is answered, then relay it right after and tell every instance on the
 * bus. Every instance then tails the relayed changes in order, applies them to its index and fans
 * them out.
 * A lost bus message or a dead writer costs a poll interval, never a change.
 */
export class ChangeFeed<L = unknown> {
  /** This instance's subscribers: what relayed changes are handed to. */
  readonly fanOut: FanOut<L>;
  /** Relayed changes up to here are in this instance's index and were handed to its subscribers. */
  private lastApplied = 0;
  /** Changes this instance relayed, so already in its index: the tail does not read them again. */
  private readonly selfApplied = new Set<number>();
  /** Changes its index read after their commit: relayed and tailed without reading them again. */
  private read = new ReadChanges();
  private started = false;
  private shuttingDown = false;
  private caughtUp = false;
  private timer: NodeJS.Timeout | undefined;
  /** One job at a time, so each subscriber sees events in seq order (a tail joining a settle stays one). */
  private readonly jobs = new JobChain<Job>(
    (job) => this.handle(job),
    (queued, next) => (next === 'settle' ? 'settle' : queued),
    (error) =>
      this.shuttingDown
        ? this.log.debug('outbox relay cut off by shutdown', { error: String(error) })
        : this.log.error('outbox relay failed', { error: String(error) }),
  );
  /**
   * A relay of this instance found the turn taken: the holder may have read its changes before
   * this instance's committed (or relayed nothing and will not nudge), so this instance relays
   * again after the holder's nudge or {@link RELAY_RETRY_MS}, whichever comes first.
   */
  private owed = false;
  private retry: NodeJS.Timeout | undefined;
  /**
   * A writer that did not say what it appended (an import) settled since the last relay: what is
   * pending is applied to this instance's index at once when the turn is taken by another.
   */
  private relayAll = false;
  /** The relay that follows this instance's writes so far (see {@link relayedOwn}). */
  private ownRelay: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private stopRelaying: () => void = () => undefined;
  /** Names this feed's bus messages: its own nudge is not news to it. */
  private readonly id = randomUUID();
  /** The nudge in flight (the writer is answered without waiting for it; shutdown waits). */
  private publishing: Promise<void> = Promise.resolve();

  /** @param makeLoaders per-request loaders for each event's subscribers (see {@link FanOut}). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly makeLoaders: () => L,
    /** This instance's match index: kept current here, from this instance's writes and everyone else's. */
    readonly index: MatchIndex = new MatchIndex(),
    private readonly options: ChangeFeedOptions = {},
  ) {
    this.fanOut = new FanOut(dataSource, makeLoaders);
    this.unsubscribe = bus.subscribe((m) => void this.onMessage(m));
    // Messages may have been lost while the bus was down, a tool's announcement among them.
    bus.onReconnect(() => void this.jobs.run('settle'));
  }

  /** How many subscriptions this instance serves (for tests and benchmarks). */
  get size(): number {
    return this.fanOut.size;
  }

  /**
   * Starts following the outbox once the index is loaded; `fromSeq` is {@link relayedUpTo} read
   * before the load began, so a change relayed during the load is applied again (harmless), and
   * `loadedWith` the changes pending then (read-changes.ts's `pendingSeqs`), which the load read:
   * they are relayed, but not read into the index again. Relays what is pending at once: a change
   * committed by a process that died before relaying it, or written by a tool (an import).
   */
  async start(fromSeq: number, loadedWith: readonly number[] = []): Promise<void> {
    this.lastApplied = fromSeq;
    this.read = new ReadChanges(loadedWith);
    this.started = true;
    // Domain writes that appended to the outbox relay through this feed once they commit.
    this.stopRelaying = relayCommitsWith(this.dataSource, (written) => this.settle(written));
    const every = this.options.pollMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.jobs.run('settle'), every);
      this.timer.unref();
    }
    await this.jobs.run('settle');
    this.caughtUp = true;
  }

  /** Relayed changes up to here are in this instance's index (for metrics: how far behind it is). */
  get applied(): number {
    return this.lastApplied;
  }

  /** Index loaded and changes left by earlier processes relayed: ready for traffic. */
  get ready(): boolean {
    return this.index.loaded && this.caughtUp;
  }

  /**
   * After a write committed (its change is in the outbox). Given what the write appended: applies
   * it to this instance's index and resolves, so the writer answers with its write in the index
   * (read-your-writes), and has it relayed right after on this feed's chain (its match events
   * stored, every instance told: see {@link relayedOwn}); a key's revocation resolves only after
   * that relay, which closes the key's sockets here. Without: relays every change pending and
   * resolves when this instance's index has it (an import waits for its matching). A change read
   * here is not read again when relayed (read-changes.ts).
   * @param written the changes the write appended; by default, every change pending
   */
  async settle(written?: readonly AppendedChange[]): Promise<void> {
    if (written === undefined) {
      this.relayAll = true;
      return this.jobs.run('settle');
    }
    try {
      for (const { change, seq } of written) {
        await applyChange(this.index, this.dataSource, change);
        this.read.add(seq);
      }
    } finally {
      // Not awaited by the writer. A failure is logged by the chain (run), which settles either
      // way, and the change relayed on the next poll, nudge or write: the outbox keeps it.
      void this.jobs.run('settle');
      this.ownRelay = this.jobs.settled;
    }
    // A revocation is answered once this instance's relay has closed the key's sockets.
    if (written.some(({ change }) => change.kind === 'key-revoked')) await this.ownRelay;
  }

  /**
   * Resolves once the relay that follows this instance's writes so far has run (or failed, and
   * was logged), or after {@link ChangeFeedOptions.ownRelayWaitMs} if that comes first: a read of
   * what relays store (a challenge's match events) waits for it, so that a write's events are
   * there for the next read on its own instance, but never longer than that (this instance's
   * relays run one after another, and an import's can take minutes).
   */
  relayedOwn(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.ownRelayWaitMs ?? 2000);
      timer.unref();
    });
    return Promise.race([this.ownRelay, bound]).finally(() => clearTimeout(timer));
  }

  /** Reads the whole index again (tests that write around the domain, straight in SQL). */
  async reloadAll(): Promise<void> {
    await refreshIndex(this.index, this.dataSource, { all: true });
  }

  /** Hears revoked keys (relayed outbox changes, from any instance); see {@link FanOut.onKeyRevoked}. */
  onKeyRevoked(listener: (keyId: string) => void): () => void {
    return this.fanOut.onKeyRevoked(listener);
  }

  /** New matches, live (and replayed first where asked): see {@link FanOut.matches}. */
  matches(opts: Parameters<FanOut<L>['matches']>[0]): AsyncIterableIterator<Delivery<MatchEventRow, L>> {
    return this.fanOut.matches(opts);
  }

  /** New stakeholders that pass a saved search, live: see {@link FanOut.partners}. */
  partners(filter: SavedPartnerSearch, bound?: QueueBound) {
    return this.fanOut.partners(filter, bound);
  }

  /** Partnership moves of some hubs, live: see {@link FanOut.partnerships}. */
  partnerships(filter: { hubIds: readonly string[] | 'all'; challengeId?: string }, bound?: QueueBound) {
    return this.fanOut.partnerships(filter, bound);
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
    clearTimeout(this.retry);
    this.unsubscribe();
    this.fanOut.close();
    await this.jobs.settled;
    await this.publishing;
  }

  private async publish(message: BusMessage): Promise<void> {
    try {
      await this.bus.publish(message);
    } catch (error) {
      // The change is in the outbox: the other instances find it at their next poll.
      if (this.shuttingDown) this.log.debug('publish cut off by shutdown', { error: String(error) });
      else this.log.error('publish failed', { error: String(error), message });
    }
  }

  private onMessage(message: BusMessage): void {
    // The only message: the outbox moved (parseMessage drops anything else). This feed's own
    // nudge is not news: it had tailed what it relayed before it sent it. Another instance's
    // tells of changes it relayed; a tool's (no sender) of changes it wrote and nobody relayed.
    if (message.kind !== 'outbox' || message.from === this.id) return;
    void this.jobs.run(message.from === undefined ? 'settle' : 'tail');
  }

  private async handle(job: Job): Promise<void> {
    if (!this.started) return;
    const mine: RelayedChange[] = [];
    try {
      const upTo = job === 'settle' || this.owed ? await this.relay(mine) : undefined;
      // What this feed relayed right after what it had applied needs no reading back: no other
      // instance relayed in between (the relay is one at a time), and a later one nudges the bus.
      // Nor does a turn with nothing to relay whose cursor is where this feed is (an earlier turn
      // took this write's change along, or a poll found nothing new).
      if (mine.length && mine.every((r, k) => r.relayedSeq === this.lastApplied + 1 + k)) {
        for (const r of mine) await this.deliver(r);
      } else if (mine.length || upTo === undefined || upTo > this.lastApplied) {
        await this.tail();
      }
    } finally {
      // What committed is announced, also when a later batch or the reading failed: other
      // instances only read on a nudge.
      if (mine.length) {
        this.options.afterRelay?.();
        const before = this.publishing;
        this.publishing = this.publish({ kind: 'outbox', from: this.id }).then(() => before);
      }
    }
  }

  /**
   * Relays what is pending, a batch a turn, while this instance gets the turn; `mine` collects
   * what it relayed, batch by batch as each commits. Returns the relay's cursor after the last
   * turn, or `undefined` when another instance held the turn.
   */
  private async relay(mine: RelayedChange[]): Promise<number | undefined> {
    // Taken now: what writes settle from here on is the next job's.
    const all = this.relayAll;
    this.relayAll = false;
    try {
      for (;;) {
        const turn = await relayOutbox(
          this.dataSource,
          this.index,
          (c, seq) => this.applyRelayed(c, seq),
          this.options.onRelayed,
          (cursor) => this.catchUp(cursor),
        );
        this.owed = turn === undefined;
        if (turn === undefined) {
          // Another instance holds the turn: relay soon. This instance's writes are in its index
          // already; what a writer that did not say left pending is applied here all the same.
          this.retryRelay();
          const pending = all ? await pendingChanges(this.dataSource) : [];
          for (const change of pending) await applyChange(this.index, this.dataSource, change);
          return undefined;
        }
        mine.push(...turn.relayed);
        for (const r of turn.relayed) this.selfApplied.add(r.relayedSeq);
        if (turn.relayed.length < RELAY_BATCH) return turn.upTo;
      }
    } catch (error) {
      // Not relayed (or not applied): the next relay takes these writes again, and this instance
      // relays on the next nudge too (a poll, the next write or a tool's announcement, else).
      this.relayAll ||= all;
      this.owed = true;
      throw error;
    }
  }

  /** Relays again in a while, unless a nudge has had this instance relay by then. */
  private retryRelay(): void {
    if (this.retry || !this.started) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.owed) void this.jobs.run('tail');
    }, RELAY_RETRY_MS);
    this.retry.unref();
  }

  /**
   * Before this instance relays from `cursor` (in the relay's transaction, holding the turn):
   * applies to its index what others relayed up to there and it has not applied yet. Only that:
   * their events reach subscribers from the tail once the relay has committed (the changes are
   * marked as in the index already, like this instance's own).
   */
  private async catchUp(cursor: number): Promise<void> {
    let after = this.lastApplied;
    // Nothing to read when all up to the cursor is this instance's own (or already taken in).
    while (after < cursor && this.selfApplied.has(after + 1)) after += 1;
    if (after >= cursor) return;
    for await (const r of this.relayedAfter(after)) {
      if (r.relayedSeq > cursor) return;
      if (!this.selfApplied.has(r.relayedSeq) && r.change) await this.applyRelayed(r.change, r.seq);
      this.selfApplied.add(r.relayedSeq);
    }
  }

  private applyRelayed(change: OutboxChange, seq: number): Promise<void> {
    return applyUnlessRead(this.index, this.dataSource, change, seq, this.read);
  }

  /** Applies relayed changes after {@link lastApplied} and hands their events to subscribers. */
  private async tail(): Promise<void> {
    for await (const r of this.relayedAfter(this.lastApplied)) await this.deliver(r);
  }

  /**
   * Relayed changes after `after`, in order, a page at a time. When the outbox was pruned past
   * `after` (this instance was far behind), what it missed is in the tables, not the outbox: the
   * index is read again whole first.
   */
  private async *relayedAfter(after: number): AsyncGenerator<RelayedChange> {
    for (;;) {
      const page = await readRelayed(this.dataSource, after);
      if (page.length && page[0].relayedSeq > after + 1) {
        this.log.warn('outbox pruned past this instance: reloading its index', { from: after });
        await this.reloadAll();
      }
      for (const r of page) {
        yield r;
        after = r.relayedSeq;
      }
      if (page.length < TAIL_PAGE) return;
    }
  }

  /** One relayed change, in order: into this instance's index (unless it relayed it), then to subscribers. */
  private async deliver(r: RelayedChange): Promise<void> {
    if (!this.selfApplied.delete(r.relayedSeq) && r.change) await this.applyRelayed(r.change, r.seq);
    if (r.matches) await this.fanOut.deliverMatches(r.matches.from, r.matches.to);
    if (r.change) for (const id of joinedBy(r.change)) await this.fanOut.deliverPartner(id);
    if (r.change?.kind === 'partnership' && r.change.partnershipId)
      await this.fanOut.deliverPartnership(r.change.partnershipId, r.change.status);
    if (r.change?.kind === 'key-revoked') this.fanOut.keyRevoked(r.change.keyId);
    this.lastApplied = r.relayedSeq;
  }
}
