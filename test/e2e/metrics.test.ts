/**
 * /metrics as Prometheus scrapes it: operations over HTTP and WebSocket counted by name and
 * outcome with their latency, operation names bounded, the gauges and Node's process metrics,
 * every metric the README documents, and who may read it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import { CreateStakeholderDocument, PartnerJoinedDocument, SdgsDocument } from '../generated/graphql';
import { north } from '../helpers/network';
import { startTestServer, TestServer } from '../helpers/server';
import { subscribe, until, wsClient } from '../helpers/ws-client';

/** One sample of the exposition text: its name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples and the `# TYPE` names of a Prometheus text exposition. */
function parseExposition(text: string): { samples: Sample[]; types: Set<string> } {
  const samples: Sample[] = [];
  const types = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) types.add(type[1]);
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const metricsUrl = (t: TestServer) => t.server.url.replace(/\/graphql$/, '/metrics');

async function scrape(t: TestServer): Promise<ReturnType<typeof parseExposition>> {
  const res = await fetch(metricsUrl(t));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

/** The metric names in the README's "Operations" table (first column, in backticks). */
function documentedMetrics(): string[] {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Operations'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  return [...table.matchAll(/^\| `([a-z_]+)`/gm)].map((m) => m[1]);
}

describe('/metrics', () => {
  let t: TestServer;
  const clients: { dispose(): void | Promise<void> }[] = [];
  beforeAll(async () => {
    t = await startTestServer({ metrics: { maxOperationNames: 4 } });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await t?.stop();
  });

  it('counts operations by transport, name and outcome, with latency, over HTTP and WebSocket', async () => {
    await t.request(SdgsDocument);
    await t.request(SdgsDocument);
    await t.raw({ query: '{ sdgs { id } }' });
    const refused = await t.raw({ query: 'query Broken { nope }' });
    expect(refused.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Without a key, a write answers an error in its result, which is its outcome.
    const denied = await t.request(CreateStakeholderDocument, {
      input: { kind: 'SCHOOL', name: 'School', sdgs: [4], expertise: [], location: north(0) },
    });
    const deniedCode = String(denied.errors?.[0].extensions?.code);
    expect(deniedCode).toMatch(/^[A-Z_]+$/);

    const ws = wsClient(t.server.url);
    clients.push(ws);
    const overWs = subscribe(ws, SdgsDocument, {});
    await overWs.completed;
    expect(overWs.results[0].data?.sdgs.length).toBe(17);
    const joined = subscribe(ws, PartnerJoinedDocument, {});
    await until(() => t.live.size === 1, { what: 'the subscription holds' });
    // Names beyond the cap of 4 (Sdgs, anonymous, CreateStakeholder, PartnerJoined) count as `other`.
    await t.raw({ query: 'query Fifth { sdgs { id } }' });
    await t.raw({ query: 'query Sixth { sdgs { id } }' });

    const { samples } = await scrape(t);
    const total = 'matchmaker_graphql_operations_total';
    const count = 'matchmaker_graphql_operation_duration_seconds_count';
    expect(valueOf(samples, total, { transport: 'http', operation: 'Sdgs', outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, count, { transport: 'http', operation: 'Sdgs', outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, total, { transport: 'http', operation: 'anonymous', outcome: 'ok' })).toBe(1);
    expect(
      valueOf(samples, total, { transport: 'http', operation: 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBe(1);
    expect(valueOf(samples, total, { transport: 'http', operation: 'CreateStakeholder', outcome: deniedCode })).toBe(1);
    expect(valueOf(samples, total, { transport: 'websocket', operation: 'Sdgs', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, total, { transport: 'websocket', operation: 'PartnerJoined', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, total, { transport: 'http', operation: 'other', outcome: 'ok' })).toBe(2);
    expect(samples.filter((s) => s.name === total && s.labels.operation === 'Fifth')).toEqual([]);
    // The histogram's buckets are cumulative: the last one holds every observation.
    const buckets = samples.filter(
      (s) => s.name === 'matchmaker_graphql_operation_duration_seconds_bucket' && s.labels.operation === 'Sdgs',
    );
    expect(buckets.find((b) => b.labels.le === '+Inf' && b.labels.transport === 'http')?.value).toBe(2);

    expect(valueOf(samples, 'matchmaker_websocket_sockets')).toBe(1);
    expect(valueOf(samples, 'matchmaker_subscriptions')).toBe(1);
    expect(valueOf(samples, 'matchmaker_outbox_backlog')).toBe(0);
    expect(valueOf(samples, 'matchmaker_outbox_relay_lag_seconds')).toBe(0);
    expect(valueOf(samples, 'matchmaker_index_stakeholders')).toBe(t.live.index.size);
    expect(valueOf(samples, 'matchmaker_index_bytes')).toBe(t.live.index.byteLength);
    const queues = samples.filter((s) => s.name === 'matchmaker_job_queue_depth').map((s) => s.labels.queue);
    expect(queues).toContain('webhook-delivery');
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    joined.stop();
  });

  it('counts every HTTP response by route and status, refusals before any operation included', async () => {
    const base = t.server.url.replace(/\/graphql$/, '');
    const post = (body: string) =>
      fetch(t.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const before = (await scrape(t)).samples;
    const http = 'matchmaker_http_responses_total';
    const seen = (route: string, status: string, samples: Sample[]) => valueOf(samples, http, { route, status });
    expect((await post('{"query": ')).status).toBe(400);
    expect((await post(JSON.stringify({ query: `{ sdgs { id } } #${'x'.repeat(2_000_000)}` }))).status).toBe(413);
    expect((await fetch(`${base}/no/such/page`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const after = (await scrape(t)).samples;
    for (const [route, status] of [
      ['/graphql', '400'],
      ['/graphql', '413'],
      ['unmatched', '404'],
      ['/healthz', '200'],
    ])
      expect([route, status, seen(route, status, after) - seen(route, status, before)]).toEqual([route, status, 1]);
    // A path is never a label: the scanner's URL is not in the text.
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes('no/such')))).toBe(false);
  });

  it('exposes every metric the README documents', async () => {
    const documented = documentedMetrics();
    expect(documented.length).toBeGreaterThanOrEqual(12);
    const { types } = await scrape(t);
    expect(documented.filter((name) => !types.has(name))).toEqual([]);
  });

  it('answers loopback callers only, and never what came through a proxy', async () => {
    const proxied = await fetch(metricsUrl(t), { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).toMatch(/METRICS_TOKEN/);
    const forwarded = await fetch(metricsUrl(t), { headers: { forwarded: 'for=203.0.113.7' } });
    expect(forwarded.status).toBe(403);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef';
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ metrics: { token } });
  });
  afterAll(() => t?.stop());

  it.each([
    ['no token', {}, 401],
    ['a wrong token', { authorization: `Bearer ${token.replace('0', '1')}` }, 401],
    ['the token', { authorization: `Bearer ${token}` }, 200],
    ['the token, through a proxy', { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.7' }, 200],
  ])('answers %s (headers %j) with %i', async (_what, headers: Record<string, string>, status) => {
    const res = await fetch(metricsUrl(t), { headers });
    expect(res.status).toBe(status);
    if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('is off with METRICS=false', async () => {
    const off = await startTestServer({ metrics: { enabled: false } });
    try {
      expect((await fetch(metricsUrl(off))).status).toBe(404);
      // Operations still run (nothing about them depended on the endpoint).
      expect((await off.raw({ query: print(SdgsDocument) })).status).toBe(200);
    } finally {
      await off.stop();
    }
  });
});
