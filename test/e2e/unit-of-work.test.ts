/**
 * Writes are settled by the domain's unit of work, not by whoever calls it: a domain service
 * called with nothing else (no resolver, no settle) is in its own instance's index when it
 * returns and reaches a second instance. Key revocation is an outbox change like any other, so
 * an instance whose bus was down when a key was revoked closes the key's sockets once it is back.
 */
import { CreateApiKeyDocument, PartnerJoinedDocument, RevokeApiKeyDocument } from '../generated/graphql';
import { Client } from 'pg';
import { createStakeholder } from '../../src/domain/stakeholder/stakeholder.service';
import { createChallenge } from '../../src/domain/challenge/challenge.service';
import { appendOutbox } from '../../src/domain/outbox';
import { inTransaction } from '../../src/domain/unit-of-work';
import { MatchIndex } from '../../src/matching/index/match-index';
import { announce } from '../../src/subscriptions/announce';
import { relayOutbox } from '../../src/subscriptions/outbox-relay';
import { StakeholderKind } from '../../src/domain/enums';
import { WsCloseCode } from '../../src/server/close-codes';
import { north } from '../helpers/network';
import { bearer, expectData, startTestServer, TestServer } from '../helpers/server';
import { tcpRelay } from '../helpers/tcp-relay';
import { handshake, subscribe, until, wsClient } from '../helpers/ws-client';

let a: TestServer;
let b: TestServer;
let relay: Awaited<ReturnType<typeof tcpRelay>>;
const clients: { dispose(): void | Promise<void> }[] = [];

beforeAll(async () => {
  // No polling: an instance hears of others' writes only through the bus (or by catching up
  // when its bus comes back).
  a = await startTestServer({ pollMs: 0 });
  relay = await tcpRelay(a.db.url);
  b = await startTestServer({ pollMs: 0, sameDatabaseAs: a, busUrl: relay.url });
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await b?.stop();
  await relay?.close();
  await a?.stop();
});

/** A lab written through the domain on `t`'s database by a writer that has not relayed it yet. */
const unrelayedLab = (t: TestServer, name: string, km: number) =>
  inTransaction(
    t.db.dataSource.manager,
    (m) =>
      createStakeholder(m, { kind: StakeholderKind.UNIVERSITY, name, sdgs: [6], expertise: [], location: north(km) }),
    { relay: false },
  );

/** How many relay turns `a` took, and how many reads of relayed changes it made, since its last reset. */
const relayStatements = () => ({
  turns: a.db.queries.filter((q) => q.includes('FROM outbox_relay WHERE id = 1 FOR UPDATE SKIP LOCKED')).length,
  readBack: a.db.queries.filter((q) => /FROM outbox\s+WHERE relayed_seq >/.test(q)).length,
});

/** How many changes in the outbox no instance has relayed yet. */
const pendingCount = async () =>
  (
    (await a.db.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE relayed_seq IS NULL')) as {
      n: number;
    }[]
  )[0].n;

/** How many reads of stakeholder rows into its index `a` made since its last reset. */
const rowReads = () => a.db.queries.filter((q) => q.includes('WITH taken AS (')).length;

describe('the unit of work settles what it wrote', () => {
  it('a domain write, with no settle anywhere, is in its instance’s index and reaches the other instance', async () => {
    const ws = wsClient(b.server.url);
    clients.push(ws);
    const joined = subscribe(ws, PartnerJoinedDocument, { filter: { kinds: ['UNIVERSITY'] } });
    await until(() => b.live.size === 1);
    const created = await createStakeholder(a.db.dataSource.manager, {
      kind: StakeholderKind.UNIVERSITY,
      name: 'Lab written by the domain',
      sdgs: [6],
      expertise: [],
      location: north(1),
    });
    // Read-your-writes: the writing instance's index has it when the domain call returns.
    expect(a.live.index.rowOf(created.id)).toBeGreaterThanOrEqual(0);
    const [event] = await joined.waitFor(1, 15_000);
    expect(event.data!.partnerJoined).toMatchObject({ id: created.id, name: 'Lab written by the domain' });
    expect(b.live.index.rowOf(created.id)).toBeGreaterThanOrEqual(0);
    joined.stop();
  }, 60_000);
});

describe('a write costs its instance one relay', () => {
  it('the writer neither relays again on its own nudge nor reads back what it relayed itself', async () => {
    await a.live.settle();
    a.db.resetQueries();
    for (let n = 0; n < 3; n++)
      await createStakeholder(a.db.dataSource.manager, {
        kind: StakeholderKind.UNIVERSITY,
        name: `Lab ${n} of one relay each`,
        sdgs: [6],
        expertise: [],
        location: north(2 + n),
      });
    // Room for the writer's own nudges to come back over the bus (each relayed again, before).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(relayStatements()).toEqual({ turns: 3, readBack: 0 });
    // The other instance hears each nudge and reads the changes: it has all three.
    const names = ['Lab 0 of one relay each', 'Lab 1 of one relay each', 'Lab 2 of one relay each'];
    const ids = (await a.db.dataSource.query('SELECT id FROM stakeholder WHERE name = ANY($1)', [names])) as {
      id: string;
    }[];
    expect(ids).toHaveLength(3);
    await until(() => ids.every(({ id }) => b.live.index.rowOf(id) >= 0));
  }, 60_000);

  it('a turn with nothing to relay reads nothing back when the cursor is where the instance is', async () => {
    // Two writes whose changes one turn relays (the second writer's turn then finds nothing), and
    // a poll with nothing new: one statement each, the turn's.
    const labs = ['Lab relayed along', 'Lab that relays it'];
    for (const name of labs) await unrelayedLab(a, name, 6);
    await a.live.settle();
    a.db.resetQueries();
    await a.live.settle();
    await a.live.settle();
    expect(relayStatements()).toEqual({ turns: 2, readBack: 0 });
    // Behind the cursor (another instance relayed, its nudge lost): the same poll reads it.
    const lab = await unrelayedLab(b, 'Lab b relays', 7);
    await relayOutbox(b.db.dataSource, new MatchIndex(), () => Promise.resolve());
    await a.live.settle();
    expect(a.live.index.rowOf(lab.id)).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('a relay takes each write from the index its writer read it into, not from its rows again', async () => {
    await a.live.settle();
    // The relay's turn held elsewhere: every writer has read its row in before any relay runs.
    const holder = new Client({ connectionString: a.db.url });
    await holder.connect();
    const names = ['Lab 0 read once', 'Lab 1 read once', 'Lab 2 read once'];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT relayed FROM outbox_relay WHERE id = 1 FOR UPDATE');
      a.db.resetQueries();
      for (const [n, name] of names.entries())
        await createStakeholder(a.db.dataSource.manager, {
          kind: StakeholderKind.UNIVERSITY,
          name,
          sdgs: [6],
          expertise: [],
          location: north(30 + n),
        });
      expect(rowReads()).toBe(3);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    await until(async () => (await pendingCount()) === 0, { what: 'the held writes relayed' });
    // Relayed, and matched on the index as the writers left it: no row read again.
    expect(rowReads()).toBe(3);
    const ids = (await a.db.dataSource.query('SELECT id FROM stakeholder WHERE name = ANY($1)', [names])) as {
      id: string;
    }[];
    expect(ids.every(({ id }) => a.live.index.rowOf(id) >= 0)).toBe(true);
  }, 60_000);
});

describe('a nudge is read, not relayed', () => {
  const written = (tenths: number) =>
    inTransaction(
      a.db.dataSource.manager,
      (m) => appendOutbox(m, { kind: 'track-prior', tenths, observations: 1 }),
      { relay: false }, // a writer that has not relayed its change yet
    );

  it('an instance told of relayed changes reads them and leaves a pending one to its writer', async () => {
    await a.live.settle();
    await written(5);
    // Relayed by a third instance, which has not nudged anyone yet.
    const [first] = (await relayOutbox(a.db.dataSource, new MatchIndex(), () => Promise.resolve()))?.relayed ?? [];
    expect(first?.change?.kind).toBe('track-prior');
    await written(6);
    await announce({ kind: 'outbox', from: 'the third instance' }, a.db.url);
    await until(() => a.live.applied >= first.relayedSeq && b.live.applied >= first.relayedSeq);
    // Both read what the nudge told of; neither took the turn from the writer of the second change.
    expect(await pendingCount()).toBe(1);
    await a.live.settle();
    expect(await pendingCount()).toBe(0);
  }, 60_000);

  /** Holds the relay's turn, as another instance in the middle of its relay would, while `fn` runs. */
  const whileTurnTaken = async (fn: () => Promise<void>) => {
    const holder = new Client({ connectionString: a.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT relayed FROM outbox_relay WHERE id = 1 FOR UPDATE');
      await fn();
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
  };
  const lab = (name: string, km: number) => ({
    kind: StakeholderKind.UNIVERSITY,
    name,
    sdgs: [6],
    expertise: [],
    location: north(km),
  });

  it.each([
    ['the holder’s nudge comes', true, 6],
    ['the holder relayed nothing and sends none', false, 7],
  ])(
    'a writer that found the turn taken relays its change once %s',
    async (_, nudged, km) => {
      await a.live.settle();
      let created = { id: '' };
      await whileTurnTaken(async () => {
        created = await createStakeholder(
          a.db.dataSource.manager,
          lab(`Lab written while the turn was taken ${km}`, km),
        );
        // Answered in its own instance's index all the same; relayed by nobody yet.
        expect(a.live.index.rowOf(created.id)).toBeGreaterThanOrEqual(0);
        expect(await pendingCount()).toBe(1);
      });
      if (nudged) await announce({ kind: 'outbox', from: 'the holder' }, a.db.url);
      await until(async () => (await pendingCount()) === 0);
      await until(() => b.live.index.rowOf(created.id) >= 0);
    },
    60_000,
  );

  it('a writer that found the turn taken applies its own change at once, not what others left pending', async () => {
    await a.live.settle();
    let theirs = { id: '' };
    let ours = { id: '' };
    await whileTurnTaken(async () => {
      // The other instance's write, committed while the turn is taken: pending, in its own index.
      theirs = await createStakeholder(b.db.dataSource.manager, lab('Lab of the other instance', 8));
      expect(b.live.index.rowOf(theirs.id)).toBeGreaterThanOrEqual(0);
      a.db.resetQueries();
      ours = await createStakeholder(a.db.dataSource.manager, lab('Lab of this instance', 9));
      expect(a.live.index.rowOf(ours.id)).toBeGreaterThanOrEqual(0);
      // Neither read what is pending: each applied the change it wrote, and only that.
      expect(a.live.index.rowOf(theirs.id)).toBeLessThan(0);
      expect(b.live.index.rowOf(ours.id)).toBeLessThan(0);
      expect(a.db.queries.filter((q) => /^SELECT change FROM outbox/.test(q.trim()))).toEqual([]);
    });
    // Both relayed once the turn is free, and each instance has both.
    await until(async () => (await pendingCount()) === 0);
    await until(() => a.live.index.rowOf(theirs.id) >= 0 && b.live.index.rowOf(ours.id) >= 0);
  }, 60_000);
});

describe('a relay starts from everything relayed before it', () => {
  it('matches a challenge with a stakeholder another instance relayed while its nudge was on the way', async () => {
    const school = await createStakeholder(a.db.dataSource.manager, {
      kind: StakeholderKind.SCHOOL,
      name: 'School of the late nudge',
      sdgs: [6],
      expertise: [],
      location: north(20),
    });
    await until(() => b.live.index.rowOf(school.id) >= 0);
    await a.live.relayedOwn();
    // A lab written and relayed by a third instance, whose nudge has not reached anyone yet (it
    // knew of no challenge the lab would match: there was none).
    const lab = await unrelayedLab(a, 'Lab relayed elsewhere', 21);
    const relayed = await relayOutbox(a.db.dataSource, new MatchIndex(), () => Promise.resolve());
    expect(relayed?.relayed.map((r) => r.change?.kind)).toEqual(['stakeholder']);
    expect(b.live.index.rowOf(lab.id)).toBeLessThan(0);
    // The other instance posts a challenge the lab fits, and relays it itself.
    const challenge = await createChallenge(b.db.dataSource.manager, {
      schoolId: school.id,
      title: 'Water quality of the canal',
      sdgs: [6],
      expertiseNeeded: [],
      wantedKinds: [StakeholderKind.UNIVERSITY],
      location: north(20),
    });
    await b.live.relayedOwn();
    const events: { origin: string }[] = await a.db.dataSource.query(
      'SELECT origin FROM match_event WHERE challenge_id = $1 AND stakeholder_id = $2',
      [challenge.id, lab.id],
    );
    expect(events).toEqual([{ origin: 'CHALLENGE_POSTED' }]);
    expect(b.live.index.rowOf(lab.id)).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

describe('key revocation is an outbox change', () => {
  it('closes the key’s sockets on an instance whose bus was down at the time, once its bus is back', async () => {
    const { createApiKey } = expectData(
      await a.admin(CreateApiKeyDocument, { input: { name: 'Operator laptop', role: 'ADMIN' } }),
    );
    const { socket, acked, closed } = await handshake(b.server.url, bearer(createApiKey.secret));
    expect(acked).toBe(true);
    let closedWith: number | undefined;
    void closed.then((c) => (closedWith = c.code));

    relay.cut(); // instance B's bus is down: it hears nothing of what A relays
    expectData(await a.admin(RevokeApiKeyDocument, { id: createApiKey.apiKey.id }));
    await a.live.settle(); // relayed and announced on A's side: B missed the announcement
    expect(closedWith).toBeUndefined();
    expect(socket.readyState).toBe(socket.OPEN);

    relay.restore(); // B's bus reconnects, catches up on the outbox, and hears the revocation
    expect((await closed).code).toBe(WsCloseCode.Forbidden);
  }, 60_000);
});
