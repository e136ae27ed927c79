import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client, createClient } from 'graphql-ws';
import { Webhook } from 'standardwebhooks';
import WebSocket from 'ws';
import { progress, startBenchDatabase } from './bench-database';
import { arg, isObject, percentile, post, runBench, startService, stopService } from './bench-service';

const CREATE_STAKEHOLDER = 'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }';
const CREATE_ENDPOINT =
  'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }';
// The selection of `npm run bench:subscriptions`, so its WebSocket row reads like that bench's.
const MATCH_FOUND =
  'subscription($c: ID!) { matchFound(challengeId: $c) { score stakeholder { id name } challenge { id } reasons } }';

/** Every how many endpoints one has each of its deliveries verified (HMAC in JS costs the receiving thread). */
const VERIFY_EVERY = 50;

/** What createStakeholder answers to the bench's selection. */
interface Created {
  createStakeholder: { id: string };
}

/** What MATCH_FOUND delivers, as far as the bench reads it: whose match each event is. */
interface MatchFound {
  matchFound?: { stakeholder?: { id: string } | null } | null;
}

/** Receipt times by the partner whose match.found they carry, for one transport. */
class Receipts {
  readonly byPartner = new Map<string, number[]>();
  bytes = 0;
  add(partnerId: string, at: number, bytes: number): void {
    (this.byPartner.get(partnerId) ?? this.byPartner.set(partnerId, []).get(partnerId)!).push(at);
    this.bytes ||= bytes;
  }
  count(partnerId: string): number {
    return this.byPartner.get(partnerId)?.length ?? 0;
  }
}

/** A `--name a,b` argument of numbers, or its fallback. */
function list(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1].split(',').map(Number) : fallback;
}

/** The partner a match.found body is about: `data.stakeholder.id`. */
function partnerOf(body: string): string {
  const parsed: unknown = JSON.parse(body);
  const data = isObject(parsed) ? parsed.data : undefined;
  const stakeholder = isObject(data) ? data.stakeholder : undefined;
  const id = isObject(stakeholder) ? stakeholder.id : undefined;
  if (!isObject(parsed) || parsed.type !== 'match.found' || typeof id !== 'string')
    throw new Error(`not a match.found body: ${body.slice(0, 200)}`);
  return id;
}

const header = (headers: IncomingHttpHeaders, name: string) => String(headers[name] ?? '');

/**
 * One node:http receiver on 127.0.0.1 for every endpoint (`/hook/<n>`), answering 204 once the
 * body is in; a sample of endpoints has each delivery's Standard Webhooks signature verified.
 */
async function startReceiver(secrets: string[], receipts: Receipts) {
  const problems: string[] = [];
  const ids = new Set<string>();
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(204).end();
      const body = Buffer.concat(chunks).toString('utf8');
      const n = Number(/^\/hook\/(\d+)$/.exec(req.url ?? '')?.[1] ?? NaN);
      try {
        const webhookId = header(req.headers, 'webhook-id');
        // A retry resends the same webhook-id: the bench counts first arrivals only.
        if (ids.has(`${n} ${webhookId}`)) {
          duplicates += 1;
          return;
        }
        ids.add(`${n} ${webhookId}`);
        if (n % VERIFY_EVERY === 0)
          new Webhook(secrets[n]).verify(body, {
            'webhook-id': webhookId,
            'webhook-timestamp': header(req.headers, 'webhook-timestamp'),
            'webhook-signature': header(req.headers, 'webhook-signature'),
          });
        receipts.add(partnerOf(body), at, body.length);
      } catch (error) {
        problems.push(`${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    verified: () => [...ids].filter((k) => Number(k.split(' ')[0]) % VERIFY_EVERY === 0).length,
    duplicates: () => duplicates,
    problems,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** N graphql-ws clients, keyless, each subscribed to matchFound on `challengeId`. */
async function connectClients(url: string, challengeId: string, n: number, receipts: Receipts): Promise<Client[]> {
  const clients: Client[] = [];
  const bar = progress('WebSocket clients', n);
  for (let i = 0; i < n; i++) {
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.on('error', reject);
      client.subscribe<MatchFound>(
        { query: MATCH_FOUND, variables: { c: challengeId } },
        {
          next: (r) => {
            const at = performance.now();
            const id = r.data?.matchFound?.stakeholder?.id;
            const bytes = JSON.stringify({ id: '00000000-0000-4000-8000-000000000000', type: 'next', payload: r });
            if (id) receipts.add(id, at, bytes.length);
          },
          error: (e) => console.error('subscription error', e),
          complete: () => undefined,
        },
      );
    });
    bar(i + 1);
  }
  return clients;
}

/** Delivery latencies of one transport, sorted, and each event's time until its last delivery. */
interface Measured {
  latencies: number[];
  lastOfEvent: number[];
}

const row = (transport: string, n: number, events: number, m: Measured, bytes: number) =>
  `| ${transport} | ${n} | ${events} | ${m.latencies.length} | ${bytes} | ` +
  `${percentile(m.latencies, 50).toFixed(1)} ms | ${percentile(m.latencies, 99).toFixed(1)} ms | ` +
  `${(percentile(m.lastOfEvent, 50) / 1000).toFixed(2)} s | ` +
  `${((n * 1000) / percentile(m.lastOfEvent, 50)).toFixed(0)} |`;

/**
 * `npm run bench:webhooks [-- --endpoints 1000 --events 10 --concurrency 20,100 --deadline 600]`:
 * the service runs in its own process in production mode; N ADMIN webhook endpoints for
 * MATCH_FOUND point at one real HTTP receiver on loopback in this process, and N graphql-ws
 * clients subscribe to matchFound on the same challenge. Each event (a new partner that fits the
 * challenge) must reach all N endpoints and all N clients before the next is written. Prints each
 * transport's delivery latency from the mutation being sent to each receipt, per value of
 * WEBHOOK_CONCURRENCY (the service restarts on the same database, endpoints kept).
 */
async function main(): Promise<void> {
  const n = arg('endpoints', 1000);
  const events = arg('events', 10);
  const concurrencies = list('concurrency', [20]);
  const deadlineMs = arg('deadline', 600) * 1000;
  const db = await startBenchDatabase();
  const hooks = new Receipts();
  const secrets: string[] = [];
  const receiver = await startReceiver(secrets, hooks);
  const table = [
    '| transport | endpoints / clients | events | deliveries | bytes each | p50 | p99 | ' +
      'all N received, median event | deliveries/s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const notes: string[] = [];
  let challengeId = '';
  let partners = 0;
  try {
    for (const concurrency of concurrencies) {
      const service = await startService(db.url, {
        // Every client comes from this one address: the per-address subscription budget is lifted too.
        WS_SUBSCRIPTION_COST_PER_CALLER: '1000000000',
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_MAX_ENDPOINTS: String(n),
        WEBHOOK_CONCURRENCY: String(concurrency),
      });
      const ws = new Receipts();
      let clients: Client[] = [];
      try {
        if (!challengeId) {
          const school = (
            await post<Created>(service.url, CREATE_STAKEHOLDER, {
              i: {
                kind: 'SCHOOL',
                name: 'Bench school',
                city: 'Leuven',
                countryCode: 'BE',
                sdgs: [13, 6],
                expertise: [],
              },
            })
          ).createStakeholder.id;
          challengeId = (
            await post<{ createChallenge: { id: string } }>(
              service.url,
              'mutation($i: CreateChallengeInput!) { createChallenge(input: $i) { id } }',
              { i: { schoolId: school, title: 'Webhooks', sdgs: [13, 6], expertiseNeeded: ['Hydrology', 'Sensors'] } },
            )
          ).createChallenge.id;
          const bar = progress('webhook endpoints', n);
          for (let i = 0; i < n; i++) {
            const made = await post<{ createWebhookEndpoint: { secret: string } }>(service.url, CREATE_ENDPOINT, {
              i: { url: `http://127.0.0.1:${receiver.port}/hook/${i}`, events: ['MATCH_FOUND'] },
            });
            secrets.push(made.createWebhookEndpoint.secret);
            bar(i + 1);
          }
        }
        clients = await connectClients(service.url, challengeId, n, ws);
        await new Promise((r) => setTimeout(r, 1000));

        const hook: Measured = { latencies: [], lastOfEvent: [] };
        const live: Measured = { latencies: [], lastOfEvent: [] };
        const mutationMs: number[] = [];
        const bar = progress(`events (WEBHOOK_CONCURRENCY ${concurrency})`, events);
        for (let e = 0; e < events; e++) {
          const sent = performance.now();
          const id = (
            await post<Created>(service.url, CREATE_STAKEHOLDER, {
              i: {
                kind: 'UNIVERSITY',
                name: `Partner ${partners++}`,
                city: 'Leuven',
                countryCode: 'BE',
                sdgs: [13, 6],
                expertise: ['Hydrology', 'Sensors'],
              },
            })
          ).createStakeholder.id;
          mutationMs.push(performance.now() - sent);
          const deadline = Date.now() + deadlineMs;
          while ((hooks.count(id) < n || ws.count(id) < n) && Date.now() < deadline && !receiver.problems.length)
            await new Promise((r) => setTimeout(r, 5));
          if (receiver.problems.length) throw new Error(`receiver: ${receiver.problems.slice(0, 3).join('; ')}`);
          if (hooks.count(id) < n || ws.count(id) < n)
            throw new Error(
              `event ${e} (WEBHOOK_CONCURRENCY ${concurrency}): after ${deadlineMs / 1000} s, ` +
                `${hooks.count(id)} of ${n} webhook deliveries and ${ws.count(id)} of ${n} WebSocket messages arrived`,
            );
          for (const [m, r] of [
            [hook, hooks],
            [live, ws],
          ] as const) {
            const times = r.byPartner.get(id)!.map((t) => t - sent);
            m.latencies.push(...times);
            m.lastOfEvent.push(Math.max(...times));
          }
          bar(e + 1);
        }
        for (const sorted of [hook.latencies, hook.lastOfEvent, live.latencies, live.lastOfEvent, mutationMs])
          sorted.sort((a, b) => a - b);
        table.push(
          row(`webhooks, WEBHOOK_CONCURRENCY ${concurrency}`, n, events, hook, hooks.bytes),
          row('WebSocket (graphql-ws), same events', n, events, live, ws.bytes),
        );
        notes.push(
          `WEBHOOK_CONCURRENCY ${concurrency}: createStakeholder p50 ${percentile(mutationMs, 50).toFixed(1)} ms.`,
        );
      } finally {
        // The service's sockets close before it stops, so its drain does not wait on them.
        await Promise.all(clients.map(async (c) => c.dispose()));
        await stopService(service);
      }
    }
    console.log(`\n${table.join('\n')}\n`);
    console.log(
      `${notes.join(' ')} Latency is from the mutation being sent to each receipt; the webhook receiver is ` +
        `one node:http server on 127.0.0.1 answering 204; the service sends from pg-boss (WEBHOOK_POLL_SECONDS 1). ` +
        `${receiver.verified()} deliveries (every ${VERIFY_EVERY}th endpoint's) had their Standard Webhooks ` +
        `signature verified, all valid; ${receiver.duplicates()} retries arrived.`,
    );
  } finally {
    await receiver.close();
    await db.stop();
  }
}

runBench(main);
