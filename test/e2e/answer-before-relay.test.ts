/**
 * A write is answered once it is in its own instance's match index; its relay (the match events it
 * stores, the webhook deliveries it queues, the subscribers it tells) follows right after. What
 * reads the relay's work on the writer's instance waits for that relay: an answer never makes the
 * next read miss the write. The relay is held here deterministically: a session holds the match
 * events' table against writes, as a slow disk would, until the test lets it go.
 */
import { Client } from 'pg';
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  CreateWebhookEndpointDocument,
  MatchesSinceDocument,
  MatchFoundDocument,
  RevokeApiKeyDocument,
  SuggestPartnersDocument,
  WebhookEndpointsDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { startReceiver, Receiver } from '../helpers/webhook-receiver';
import { subscribe, until, wsClient } from '../helpers/ws-client';

let t: TestServer;
let receiver: Receiver;
let challengeId: string;
let endpointId: string;
const clients: { dispose(): void | Promise<void> }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  receiver = await startReceiver();
  const { School } = await createStakeholders(t, [{ name: 'School', kind: 'SCHOOL', sdgs: [6], location: north(0) }]);
  challengeId = (
    await createChallenge(t, {
      schoolId: School,
      title: 'Canal water',
      sdgs: [6],
      expertiseNeeded: ['Hydrology'],
      wantedKinds: ['UNIVERSITY'],
    })
  ).id;
  endpointId = expectData(
    await t.admin(CreateWebhookEndpointDocument, { input: { url: receiver.url, events: ['MATCH_FOUND'] } }),
  ).createWebhookEndpoint.endpoint.id;
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await receiver?.close();
  await t?.stop();
});

const lab = (name: string, km: number) => ({
  name,
  kind: 'UNIVERSITY' as const,
  sdgs: [6],
  expertise: ['Hydrology'],
  location: north(km),
});

/** Runs `fn` while the relay cannot store match events; `release` lets it go on. */
async function withRelayHeld(fn: (release: () => Promise<void>) => Promise<void>): Promise<void> {
  const holder = new Client({ connectionString: t.db.url });
  await holder.connect();
  let held = true;
  const release = async () => {
    if (held) await holder.query('COMMIT');
    held = false;
  };
  try {
    await holder.query('BEGIN');
    // Reads go on; the relay's INSERT INTO match_event waits for this transaction.
    await holder.query('LOCK TABLE match_event IN SHARE ROW EXCLUSIVE MODE');
    await fn(release);
  } finally {
    await release();
    await holder.end();
  }
}

const storedEventsOf = async (stakeholderId: string) =>
  (
    (await t.db.dataSource.query('SELECT count(*)::int AS n FROM match_event WHERE stakeholder_id = $1', [
      stakeholderId,
    ])) as { n: number }[]
  )[0].n;

it('answers a write before its relay; stored matches, deliveries and new subscriptions wait for it', async () => {
  const since = new Date(Date.now() - 60_000).toISOString();
  await withRelayHeld(async (release) => {
    // Answered while its relay cannot finish (it would never be, if the answer waited for it).
    const { 'Lab A': labA } = await createStakeholders(t, [lab('Lab A', 5)]);
    // In its instance's index: suggested at once.
    const page = expectData(await t.request(SuggestPartnersDocument, { challengeId, first: 5 })).suggestPartners;
    expect(page.edges.map((e) => e.node.stakeholder.id)).toContain(labA);
    // Its events are not stored yet: the relay is waiting on the held table.
    expect(await storedEventsOf(labA)).toBe(0);
    // Reads of what the relay stores, and a subscription, begun now.
    const stored = t.request(MatchesSinceDocument, { challengeId, since });
    const deliveries = t.admin(WebhookEndpointsDocument, { first: 20, deliveries: 20 });
    const client = wsClient(t.server.url);
    clients.push(client);
    const sub = subscribe(client, MatchFoundDocument, { challengeId });
    await release();
    // Each saw the relay's work: none answered from before it.
    expect(expectData(await stored).matchesSince.map((m) => m.stakeholder.id)).toEqual([labA]);
    const endpoint = expectData(await deliveries).webhookEndpoints.edges.find((e) => e.node.id === endpointId);
    expect(endpoint?.node.deliveries.totalCount).toBe(1);
    // The subscription started after Lab A's relay: the first match it hears is a later one.
    await until(() => t.live.size >= 1);
    const { 'Lab B': labB } = await createStakeholders(t, [lab('Lab B', 6)]);
    const [first] = await sub.waitFor(1);
    expect(first.data!.matchFound.stakeholder.id).toBe(labB);
    sub.stop();
  });
}, 60_000);

it('answers a revocation only after its relay, which closes the key’s sockets on this instance', async () => {
  const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Hub' } })).createHub.id;
  const { apiKey } = expectData(
    await t.admin(CreateApiKeyDocument, { input: { name: 'Doomed', role: 'COORDINATOR', hubIds: [hub] } }),
  ).createApiKey;
  const holder = new Client({ connectionString: t.db.url });
  await holder.connect();
  try {
    // Every relay waits at its turn's statement while this transaction lasts.
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE outbox_relay IN EXCLUSIVE MODE');
    let answered = false;
    const revoked = t.admin(RevokeApiKeyDocument, { id: apiKey.id }).then((r) => ((answered = true), r));
    const relayWaits = async () =>
      (
        (await holder.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = 'outbox_relay' AND NOT l.granted`,
        )) as { rows: { n: number }[] }
      ).rows[0].n > 0;
    const pending = async () =>
      (
        (await holder.query(
          "SELECT count(*)::int AS n FROM outbox WHERE change->>'kind' = 'key-revoked' AND change->>'keyId' = $1",
          [apiKey.id],
        )) as { rows: { n: number }[] }
      ).rows[0].n > 0;
    await until(async () => (await pending()) && (await relayWaits()));
    // The revocation committed and its relay is waiting: it is not answered yet.
    expect(answered).toBe(false);
    await holder.query('COMMIT');
    expect(expectData(await revoked).revokeApiKey.id).toBe(apiKey.id);
  } finally {
    await holder.query('ROLLBACK').catch((error: unknown) => expect(String(error)).toContain('no transaction'));
    await holder.end();
  }
}, 60_000);

describe('a read behind a relay held up longer than its bound', () => {
  let bounded: TestServer;
  beforeAll(async () => {
    bounded = await startTestServer({ ownRelayWaitMs: 300 });
  });
  afterAll(() => bounded?.stop());

  it('goes on without it (as behind an import’s matching), and finds the write once relayed', async () => {
    const { School } = await createStakeholders(bounded, [{ name: 'School', kind: 'SCHOOL', sdgs: [6] }]);
    const challenge = await createChallenge(bounded, {
      schoolId: School,
      title: 'Canal water',
      sdgs: [6],
      expertiseNeeded: ['Hydrology'],
      wantedKinds: ['UNIVERSITY'],
    });
    const since = new Date(Date.now() - 60_000).toISOString();
    const holder = new Client({ connectionString: bounded.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE match_event IN SHARE ROW EXCLUSIVE MODE');
      const { 'Lab C': labC } = await createStakeholders(bounded, [lab('Lab C', 5)]);
      // Answered while the relay is still held: without the write's match.
      const read = await bounded.request(MatchesSinceDocument, { challengeId: challenge.id, since });
      expect(expectData(read).matchesSince.map((m) => m.stakeholder.id)).not.toContain(labC);
      await holder.query('COMMIT');
      const found = async () =>
        expectData(await bounded.request(MatchesSinceDocument, { challengeId: challenge.id, since })).matchesSince;
      await until(async () => (await found()).some((m) => m.stakeholder.id === labC), {
        what: 'the write’s match stored once its relay went on',
      });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  }, 30_000);
});
