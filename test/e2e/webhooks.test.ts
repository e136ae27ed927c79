import { Webhook } from 'standardwebhooks';
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  CreateWebhookEndpointDocument,
  CreateWebhookEndpointInput,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RevokeApiKeyDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookEndpointDocument,
  WebhookEndpointsDocument,
  WebhookHealthDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { bearer, expectData, expectErrors, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';
import { until } from '../helpers/until';
import { Receiver, startReceiver } from '../helpers/webhook-receiver';

let t: TestServer;
const receivers: Receiver[] = [];
const ids = {} as Record<'hub' | 'otherHub' | 'school' | 'challenge', string>;
const keys = {} as Record<'coordinator' | 'portal' | 'publishable', string>;

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function key(role: 'COORDINATOR' | 'PORTAL', hubIds = [ids.hub]) {
  return expectData(await t.admin(CreateApiKeyDocument, { input: { name: role, role, hubIds } })).createApiKey;
}

async function register(secretKey: string, input: CreateWebhookEndpointInput) {
  return expectData(await t.request(CreateWebhookEndpointDocument, { input }, bearer(secretKey))).createWebhookEndpoint;
}

async function endpointOf(secretKey: string, id: string) {
  const page = expectData(await t.request(WebhookEndpointsDocument, { first: 20, deliveries: 20 }, bearer(secretKey)));
  const found = page.webhookEndpoints.edges.find((e) => e.node.id === id);
  if (!found) throw new Error(`endpoint ${id} is not in the key's list`);
  return found.node;
}

const partner = (name: string, km = 3) => ({
  name,
  kind: 'UNIVERSITY' as const,
  sdgs: [13, 6],
  expertise: ['Hydrology', 'Sensors'],
  location: north(km),
  hubIds: [ids.hub],
});

beforeAll(async () => {
  t = await startTestServer();
  ids.hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Hub' } })).createHub.id;
  ids.otherHub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Other hub' } })).createHub.id;
  ({ School: ids.school } = await createStakeholders(t, [
    { name: 'School', kind: 'SCHOOL', sdgs: [13, 6], hubIds: [ids.hub] },
  ]));
  ids.challenge = (
    await createChallenge(t, {
      schoolId: ids.school,
      hubId: ids.hub,
      title: 'Floods',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology', 'Sensors'],
      wantedKinds: ['UNIVERSITY'],
    })
  ).id;
  keys.coordinator = (await key('COORDINATOR')).secret;
  keys.portal = (await key('PORTAL')).secret;
  keys.publishable = expectData(
    await t.admin(CreateApiKeyDocument, {
      input: { name: 'Page', role: 'PUBLISHABLE', allowedOrigins: ['https://portal.example.org'] },
    }),
  ).createApiKey.secret;
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await t?.stop();
});

describe('signed deliveries', () => {
  it('sends match.found signed as Standard Webhooks says: the standardwebhooks library verifies it', async () => {
    const r = await receiver();
    const { secret, endpoint } = await register(TEST_ADMIN_KEY, {
      url: `${r.url}/hooks`,
      events: ['MATCH_FOUND'],
      hubIds: [ids.hub],
    });
    expect(secret).toMatch(/^whsec_/);
    await createStakeholders(t, [partner('Uni A')]);
    await until(() => r.received.length >= 1, { timeoutMs: 10_000, what: 'the receiver got match.found' });
    const [got] = r.received;
    const payload = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as {
      type: string;
      data: { score: number; challenge: { id: string }; stakeholder: { name: string } };
    };
    expect(payload.type).toBe('match.found');
    expect(payload.data.challenge.id).toBe(ids.challenge);
    expect(payload.data.stakeholder.name).toBe('Uni A');
    expect(got.id).toMatch(/^msg_/);
    expect(got.path).toBe('/hooks');
    // A body changed on the way, or signed with another secret, fails verification.
    expect(() => new Webhook(secret).verify(got.body.replace('Uni A', 'Uni B'), got.headers as never)).toThrow();
    const other = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    expect(() => new Webhook(other).verify(got.body, got.headers as never)).toThrow();
    await until(
      async () => (await endpointOf(TEST_ADMIN_KEY, endpoint.id)).deliveries.edges[0]?.node.status === 'DELIVERED',
    );
    const [delivery] = (await endpointOf(TEST_ADMIN_KEY, endpoint.id)).deliveries.edges.map((e) => e.node);
    expect(delivery).toMatchObject({ eventType: 'MATCH_FOUND', attempts: 1, lastStatusCode: 200, messageId: got.id });

    // Redelivered on demand with the same webhook-id, as the next attempt.
    const again = expectData(await t.admin(RedeliverWebhookDocument, { deliveryId: delivery.id })).redeliverWebhook;
    expect(again.status).toBe('PENDING');
    await until(() => r.received.length >= 2, { timeoutMs: 10_000, what: 'the redelivery arrived' });
    expect(r.received[1].id).toBe(got.id);
    expect(new Webhook(secret).verify(r.received[1].body, r.received[1].headers as never)).toEqual(payload);
  });

  it('retries a receiver that fails, with the same webhook-id, until it answers 2xx', async () => {
    const r = await receiver();
    r.answers = [500, 500];
    const { endpoint } = await register(keys.coordinator, { url: r.url, events: ['PARTNER_JOINED'] });
    await createStakeholders(t, [partner('Retried partner', 40)]);
    await until(() => r.received.length >= 3, { timeoutMs: 15_000, what: 'three attempts reached the receiver' });
    expect(new Set(r.received.map((x) => x.id)).size).toBe(1);
    expect(r.received.map((x) => x.body)).toEqual([r.received[0].body, r.received[0].body, r.received[0].body]);
    await until(
      async () => (await endpointOf(keys.coordinator, endpoint.id)).deliveries.edges[0]?.node.status === 'DELIVERED',
    );
    const node = await endpointOf(keys.coordinator, endpoint.id);
    expect(node.deliveries.edges[0].node).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    expect(node.enabled).toBe(true);
  });

  it('gives up after the schedule, and disables at once an endpoint that answers 410 Gone', async () => {
    const failing = await receiver();
    failing.otherwise = 503;
    const gone = await receiver();
    gone.otherwise = 410;
    const a = await register(keys.coordinator, { url: failing.url, events: ['PARTNER_JOINED'] });
    const b = await register(keys.coordinator, { url: gone.url, events: ['PARTNER_JOINED'] });
    await createStakeholders(t, [partner('Unlucky partner', 60)]);
    // One attempt and three retries (the tests' schedule), then FAILED.
    await until(
      async () => (await endpointOf(keys.coordinator, a.endpoint.id)).deliveries.edges[0]?.node.status === 'FAILED',
      15_000,
    );
    const failed = (await endpointOf(keys.coordinator, a.endpoint.id)).deliveries.edges[0].node;
    expect(failed).toMatchObject({ attempts: 4, lastStatusCode: 503 });
    expect(failed.lastError).toContain('HTTP 503');
    expect(failing.received).toHaveLength(4);
    await until(async () => !(await endpointOf(keys.coordinator, b.endpoint.id)).enabled, 10_000);
    const disabled = await endpointOf(keys.coordinator, b.endpoint.id);
    expect(disabled.disabledReason).toContain('410 Gone');
    expect(gone.received).toHaveLength(1);
    // A disabled endpoint hears nothing more; updating it enables it again.
    await createStakeholders(t, [partner('Later partner', 61)]);
    await t.live.relayedOwn(); // its deliveries were decided by its relay
    expect((await endpointOf(keys.coordinator, b.endpoint.id)).deliveries.totalCount).toBe(1);
    const enabled = expectData(
      await t.request(UpdateWebhookEndpointDocument, { id: b.endpoint.id, input: {} }, bearer(keys.coordinator)),
    ).updateWebhookEndpoint;
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
    // Deleted, b is gone with its deliveries; paused, a keeps its FAILED one (counted by webhookHealth below).
    const deleted = await t.request(DeleteWebhookEndpointDocument, { id: b.endpoint.id }, bearer(keys.coordinator));
    expect(expectData(deleted).deleteWebhookEndpoint).toBe(true);
    const paused = await t.request(
      UpdateWebhookEndpointDocument,
      { id: a.endpoint.id, input: { enabled: false } },
      bearer(keys.coordinator),
    );
    expect(expectData(paused).updateWebhookEndpoint).toMatchObject({
      enabled: false,
      disabledReason: 'disabled by its owner',
    });
    const [{ count }]: { count: string }[] = await t.db.dataSource.query(
      'SELECT count(*) FROM webhook_delivery WHERE endpoint_id = $1',
      [b.endpoint.id],
    );
    expect(count).toBe('0');
  });
});

describe('who hears what', () => {
  it('masks a family for a PORTAL endpoint and shows it to its hub coordinator’s', async () => {
    const portalReceiver = await receiver();
    const coordinatorReceiver = await receiver();
    await register(keys.portal, { url: portalReceiver.url, events: ['PARTNER_JOINED'] });
    await register(keys.coordinator, { url: coordinatorReceiver.url, events: ['PARTNER_JOINED'] });
    expectData(
      await t.request(
        CreateStakeholderDocument,
        {
          input: {
            kind: 'FAMILY',
            consentGiven: true,
            name: 'Familie Stil',
            contactEmail: 'stil@family.example',
            sdgs: [3],
            expertise: [],
            location: { latitude: 50.87934, longitude: 4.70093 },
            hubIds: [ids.hub],
          },
        },
        bearer(keys.coordinator),
      ),
    );
    await until(() => portalReceiver.received.length >= 1 && coordinatorReceiver.received.length >= 1, 10_000);
    type Joined = { type: string; data: { name: string; contactEmail: string | null } };
    const seenByPortal = JSON.parse(portalReceiver.received[0].body) as Joined;
    const seenByCoordinator = JSON.parse(coordinatorReceiver.received[0].body) as Joined;
    expect(seenByPortal.type).toBe('partner.joined');
    expect(seenByPortal.data).toMatchObject({ name: 'A family', contactEmail: null });
    expect(seenByCoordinator.data).toMatchObject({ name: 'Familie Stil', contactEmail: 'stil@family.example' });
  });

  it('lets a key register only for its own hubs, and manage only its own endpoints', async () => {
    const r = await receiver();
    const other = expectErrors(
      await t.request(
        CreateWebhookEndpointDocument,
        { input: { url: r.url, events: ['MATCH_FOUND'], hubIds: [ids.otherHub] } },
        bearer(keys.portal),
      ),
    );
    expect(other[0].extensions?.code).toBe('FORBIDDEN');
    expect(other[0].message).toContain('input.hubIds[0]');
    const input = { url: r.url, events: ['MATCH_FOUND' as const] };
    expect(expectErrors(await t.request(CreateWebhookEndpointDocument, { input }))[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const page = await t.request(
      CreateWebhookEndpointDocument,
      { input },
      { ...bearer(keys.publishable), origin: 'https://portal.example.org' },
    );
    expect(expectErrors(page)[0].extensions?.code).toBe('FORBIDDEN');
    const { endpoint, secret } = await register(keys.portal, input);
    expect(endpoint.hubIds).toEqual([ids.hub]);
    const asOtherKey = bearer(keys.coordinator);
    for (const answer of [
      await t.request(DeleteWebhookEndpointDocument, { id: endpoint.id }, asOtherKey),
      await t.request(RotateWebhookSecretDocument, { id: endpoint.id }, asOtherKey),
      await t.request(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { enabled: false } }, asOtherKey),
    ])
      expect(expectErrors(answer)[0].extensions?.code).toBe('NOT_FOUND');
    const rotated = expectData(await t.request(RotateWebhookSecretDocument, { id: endpoint.id }, bearer(keys.portal)));
    expect(rotated.rotateWebhookSecret.secret).not.toBe(secret);
  });

  it.each([
    ['http://10.0.0.1/hooks', 'private'],
    ['http://192.168.1.20/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://0.0.0.0:80/', 'unspecified'],
    ['http://100.64.0.1/', ''],
    ['ftp://example.org/hooks', 'http'],
    ['http://user:pass@example.org/', 'password'],
  ])('refuses %s at registration with BAD_USER_INPUT naming input.url', async (url, words) => {
    const [error] = expectErrors(
      await t.request(CreateWebhookEndpointDocument, { input: { url, events: ['MATCH_FOUND'] } }, bearer(keys.portal)),
    );
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('input.url');
    expect(error.message.toLowerCase()).toContain(words);
  });

  it('stops the endpoints of a revoked key at once', async () => {
    const r = await receiver();
    const portal = await key('PORTAL');
    const { endpoint } = await register(portal.secret, { url: r.url, events: ['PARTNER_JOINED'] });
    await createStakeholders(t, [partner('Before revocation', 70)]);
    await until(() => r.received.length >= 1, 10_000);
    expectData(await t.admin(RevokeApiKeyDocument, { id: portal.apiKey.id }));
    await createStakeholders(t, [partner('After revocation', 71)]);
    await t.live.relayedOwn(); // its deliveries were decided by its relay
    const [row]: { enabled: boolean; disabled_reason: string; deliveries: string }[] = await t.db.dataSource.query(
      `SELECT enabled, disabled_reason, (SELECT count(*) FROM webhook_delivery WHERE endpoint_id = $1) AS deliveries
       FROM webhook_endpoint WHERE id = $1`,
      [endpoint.id],
    );
    expect(row).toEqual({ enabled: false, disabled_reason: 'its API key was revoked', deliveries: '1' });
    expect(r.received).toHaveLength(1);
  });
});

describe('operations', () => {
  it('shows an administrator the queue, the last hour’s latency and failures; nobody else', async () => {
    const health = expectData(await t.admin(WebhookHealthDocument)).webhookHealth;
    expect(health.deliveredLastHour).toBeGreaterThan(0);
    expect(health.failedLastHour).toBeGreaterThan(0); // the 503 endpoint's delivery, above
    expect(health.disabledEndpoints).toBeGreaterThan(0);
    expect(health.latencyP50Ms).toBeGreaterThan(0);
    expect(health.latencyP99Ms).toBeGreaterThanOrEqual(health.latencyP50Ms!);
    expect(health.queuedAttempts).toBeGreaterThanOrEqual(0);
    const refused = expectErrors(await t.request(WebhookHealthDocument, {}, bearer(keys.coordinator)));
    expect(refused[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('two instances', () => {
  it('deliver each event once between them', async () => {
    const second = await startTestServer({ sameDatabaseAs: t });
    try {
      const r = await receiver();
      const { endpoint } = await register(keys.coordinator, { url: r.url, events: ['PARTNER_JOINED'] });
      for (let i = 0; i < 12; i++) {
        const on = i % 2 ? second : t;
        expectData(
          await on.admin(CreateStakeholderDocument, { input: { ...partner(`Pair ${i}`, 80 + i), expertise: [] } }),
        );
      }
      const delivered = async () =>
        (await endpointOf(keys.coordinator, endpoint.id)).deliveries.edges.filter((e) => e.node.status === 'DELIVERED')
          .length;
      await until(async () => (await delivered()) === 12, { timeoutMs: 15_000, what: 'all 12 delivered' });
      expect(r.received).toHaveLength(12);
      expect(new Set(r.received.map((x) => x.id)).size).toBe(12);
    } finally {
      await second.stop();
    }
  });
});
