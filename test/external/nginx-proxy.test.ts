/**
 * Three service processes behind a real nginx running deploy/nginx/matchmaker.conf, sharing one
 * database and Redis (REDIS_URL), each believing X-Forwarded-For from the proxy only
 * (TRUST_PROXY=127.0.0.1): writes and reads cross instances, a subscription opened through the
 * proxy hears writes made on every instance, and rate limits see the real client's address, which
 * a client cannot choose by sending X-Forwarded-For itself.
 */
import { existsSync } from 'node:fs';
import { CreateStakeholderDocument, PartnerJoinedDocument, StakeholderDocument } from '../generated/graphql';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { north } from '../helpers/network';
import { NGINX, postFrom, RunningNginx, startNginx } from '../helpers/nginx';
import { expectData, TEST_ADMIN_KEY } from '../helpers/server';
import { post, ServiceProcess, startService } from '../helpers/service-process';
import { subscribe, untilListening, wsClient } from '../helpers/ws-client';

/** A budget small enough to spend in a test: 4 operations a minute per address without a key. */
const BUDGET = 4;

/** A loopback address of a client machine of this run's own (budgets in Redis outlive runs). */
const clientAddress = () => `127.${[1, 2, 3].map(() => 2 + Math.floor(Math.random() * 250)).join('.')}`;

const SDGS = { query: '{ sdgs { id } }' };

let db: TestDatabase;
let services: ServiceProcess[] = [];
let proxy: RunningNginx | undefined;

beforeAll(async () => {
  const redis = process.env.REDIS_URL;
  if (!redis) throw new Error('REDIS_URL must point at a Redis server for the external suite');
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx-light (CI installs it)`);
  db = await createTestDatabase();
  await db.dataSource.destroy();
  const env = {
    REDIS_URL: redis,
    DATABASE_URL: db.url,
    TRUST_PROXY: '127.0.0.1',
    PUBLIC_RATE_LIMIT_PER_MINUTE: String(BUDGET),
  };
  // One at a time: each start runs the migrations check and loads the index (2 cores in CI).
  for (let i = 0; i < 3; i++) services.push(await startService(env));
  proxy = await startNginx(services.map((s) => s.port));
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  const codes = await Promise.all(services.map((s) => s.stop()));
  services = [];
  await db?.drop();
  expect(codes).toEqual([0, 0, 0]);
}, 60_000);

const university = async (url: string, name: string) =>
  expectData(
    await post(url, CreateStakeholderDocument, {
      input: { kind: 'UNIVERSITY', name, sdgs: [6], expertise: ['Hydrology'], location: north(3) },
    }),
  ).createStakeholder.id;

it('reads through one instance, and through the proxy, what was written through another', async () => {
  const id = await university(services[0].url, 'Written on the first');
  for (const url of [services[1].url, services[2].url, proxy!.url])
    expect(expectData(await post(url, StakeholderDocument, { id })).stakeholder?.name).toBe('Written on the first');
}, 30_000);

it('pushes to a subscription opened through the proxy what is written through each instance', async () => {
  const ws = wsClient(proxy!.url, { connectionParams: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
  try {
    const joined = subscribe(ws, PartnerJoinedDocument, { filter: { kinds: ['UNIVERSITY'] } });
    await untilListening([joined], (round) => university(services[0].url, `Warm-up ${round}`));
    // nginx put the socket on one of the three: at least two of these writes come from another.
    const ids = [];
    for (const [i, s] of services.entries()) ids.push(await university(s.url, `Through instance ${i}`));
    for (const id of ids) await joined.find((r) => r.data?.partnerJoined.id === id, 15_000);
    joined.stop();
  } finally {
    await ws.dispose();
  }
}, 60_000);

it('keeps a budget per real client address, which X-Forwarded-For cannot change', async () => {
  const [first, second, invented] = [clientAddress(), clientAddress(), clientAddress()];
  const through = (from: string, headers: Record<string, string> = {}) =>
    postFrom(from, proxy!.url, SDGS, headers).then((r) => r.status);
  // Round robin spreads these over the three instances; the budget is one (Redis).
  const spent = [];
  for (let i = 0; i < BUDGET; i++) spent.push(await through(first));
  expect(spent).toEqual(Array(BUDGET).fill(200));
  expect(await through(first)).toBe(429);
  // Another client, another budget.
  expect(await through(second)).toBe(200);
  // nginx replaces the header: an invented address (or another client's) does not help.
  expect(await through(first, { 'x-forwarded-for': invented })).toBe(429);
  expect(await through(first, { 'x-forwarded-for': `${invented}, ${second}` })).toBe(429);
  // Straight to an instance, the header is not believed from a peer that is not the proxy…
  expect((await postFrom(first, services[1].url, SDGS, { 'x-forwarded-for': invented })).status).toBe(429);
  // …and is from the proxy's address: the invented client has a budget of its own.
  expect((await postFrom('127.0.0.1', services[1].url, SDGS, { 'x-forwarded-for': invented })).status).toBe(200);
}, 30_000);

it('keeps /metrics off the proxy, and answers it on each instance’s loopback', async () => {
  const metrics = (url: string) => url.replace(/\/graphql$/, '/metrics');
  expect((await fetch(metrics(proxy!.url))).status).toBe(404);
  const direct = await fetch(metrics(services[0].url));
  expect(direct.status).toBe(200);
  expect(await direct.text()).toMatch(/^matchmaker_graphql_operations_total\{transport="http"/m);
});
