/**
 * `npm run bench:stall`: does a trivial query wait while others make the server work? The service
 * runs in its own process on the demo network with production limits (each attacker has an
 * address of its own, given by X-Forwarded-For behind TRUST_PROXY). A prober with a key of its
 * own sends a trivial query 20 times a second, and its latency is measured:
 *   1. on the idle server (the floor, same run);
 *   2. while 200 keyless matchFound subscriptions with 200 operation names and aliases, each
 *      selecting nested partnership lists, receive events (a matching partner written every
 *      second by the administrator);
 *   3. while four keyless callers each send, one after the other, the most expensive query the
 *      cost model admits.
 * Prints p50/p99 of the trivial query per scene, and what the attackers got.
 */
import { parse } from 'graphql';
import { performance } from 'node:perf_hooks';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { buildSchema } from '../src/graphql/build-schema';
import { fieldCost } from '../src/graphql/query-cost';
import { getComplexity } from 'graphql-query-complexity';
import { seedDemo } from '../src/db/seed-demo';
import { progress, startBenchDatabase } from './bench-database';
import {
  BENCH_ADMIN_KEY,
  arg,
  Connection,
  percentile,
  post,
  readGraphQLBody,
  ready,
  runBench,
  startService,
  stopService,
} from './bench-service';

const TRIVIAL = '{ sdgs { id } }';

async function probe(url: string, seconds: number): Promise<{ p50: number; p99: number; n: number }> {
  const times: number[] = [];
  const end = Date.now() + seconds * 1000;
  const pending: Promise<void>[] = [];
  while (Date.now() < end) {
    const started = performance.now();
    pending.push(
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
        body: JSON.stringify({ query: TRIVIAL }),
      }).then(async (res) => {
        await res.text();
        times.push(performance.now() - started);
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(pending);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), n: times.length };
}

const from = (address: string) =>
  class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { 'x-forwarded-for': address } });
    }
  };

/** The i-th attacker's subscription: its own operation name and aliases, nested partnership lists. */
const heavySubscription = (i: number) =>
  `subscription Attack${i}($c: ID!) { m${i}: matchFound(challengeId: $c) { s${i}: score reasons ` +
  `challenge { title partnerships(first: 20) { status stakeholder { name partnerships(first: 20) { status ` +
  `challenge { title } } } } } } }`;

/**
 * Fills the lists the attackers' selections read: 20 partners invited to the target challenge,
 * each of them to 10 others, so that every event resolves 20 × 10 nested partnerships.
 */
async function fillPartnerships(url: string, target: string, challengeIds: string[]): Promise<void> {
  const { stakeholders } = await post<{ stakeholders: Connection<{ id: string }> }>(
    url,
    `{ stakeholders(first: 100, filter: { kinds: [UNIVERSITY, RESEARCH_INSTITUTE, INDUSTRY, CIVIL_SOCIETY,
       MEDIA, CULTURAL_INSTITUTION, GOVERNMENT, ENTREPRENEUR] }) { edges { node { id } } } }`,
    {},
  );
  const partners = stakeholders.edges.map((e) => e.node.id).slice(0, 20);
  const others = challengeIds.filter((c) => c !== target).slice(0, 10);
  const invite = 'mutation($c: ID!, $s: ID!) { invitePartner(challengeId: $c, stakeholderId: $s) { id } }';
  const bar = progress('inviting', partners.length * (1 + others.length));
  let done = 0;
  for (const s of partners)
    for (const c of [target, ...others]) {
      // An invitation the rules refuse (the pair is already invited or partnered) is skipped.
      await post(url, invite, { c, s }).catch(() => undefined);
      bar(++done);
    }
}

/** What the scenes read of a challenge: its partners' count, and what a partner that fits it is made of. */
interface SceneChallenge {
  id: string;
  sdgs: { id: number }[];
  expertiseNeeded: { label: string }[];
  school: {
    city: string | null;
    countryCode: string | null;
    location: { latitude: number; longitude: number } | null;
  };
  partnerships: { id: string }[];
}

/** The most expensive stakeholder list the cost model admits: `first` as high as the limit allows. */
function heaviestQuery(
  maxCost: number,
  schema: Awaited<ReturnType<typeof buildSchema>>,
): { query: string; cost: number } {
  const shape = (n: number) =>
    `{ stakeholders(first: ${n}) { edges { node { name city sdgs { id title } hubs(first: 10) { name } ` +
    `partnerships(first: 10) { status challenge { title sdgs { id } partnerships(first: 5) { status } } } } } } }`;
  const cost = (n: number) => getComplexity({ schema, query: parse(shape(n)), variables: {}, estimators: [fieldCost] });
  let n = 1;
  while (n < 100 && cost(n + 1) <= maxCost) n++;
  return { query: shape(n), cost: cost(n) };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 8);
  const db = await startBenchDatabase();
  await seedDemo(db.dataSource);
  const service = await startService(db.url, {
    TRUST_PROXY: 'true',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '300',
    RATE_LIMIT_PER_MINUTE: '100000',
    WS_MAX_SOCKETS_PER_KEY: '500',
  });
  const sockets: Client[] = [];
  const rows: string[] = [];
  const row = (scene: string, p: { p50: number; p99: number; n: number }, note: string) =>
    rows.push(`| ${scene} | ${p.n} | ${p.p50.toFixed(1)} ms | ${p.p99.toFixed(1)} ms | ${note} |`);
  try {
    await ready(service.url);
    const schema = await buildSchema();
    const { challenges } = await post<{ challenges: Connection<SceneChallenge> }>(
      service.url,
      `{ challenges(first: 50) { edges { node { id sdgs { id } expertiseNeeded { label }
         school { city countryCode location { latitude longitude } } partnerships(first: 50) { id } } } } }`,
      {},
    );
    const target = challenges.edges.map((e) => e.node).sort((a, b) => b.partnerships.length - a.partnerships.length)[0];
    await fillPartnerships(
      service.url,
      target.id,
      challenges.edges.map((e) => e.node.id),
    );

    row('idle', await probe(service.url, seconds), 'the floor');

    // Scene 2: 200 subscriptions, 20 addresses × 2 connections × 5, as many as the bounds admit.
    let admitted = 0;
    let refused = 0;
    let delivered = 0;
    let bytes = 0;
    const bar = progress('subscribing', 200);
    for (let i = 0; i < 200; i++) {
      const socket = Math.floor(i / 5);
      if (i % 5 === 0)
        sockets.push(
          createClient({
            url: service.url.replace(/^http/, 'ws'),
            webSocketImpl: from(`10.0.${Math.floor(socket / 2)}.1`),
            retryAttempts: 0,
          }),
        );
      await new Promise<void>((resolve) => {
        let settled = false;
        const settle = () => (settled ? undefined : ((settled = true), resolve()));
        sockets[socket].subscribe(
          { query: heavySubscription(i), variables: { c: target.id } },
          {
            next: (r) => {
              delivered++;
              bytes += JSON.stringify(r).length;
            },
            error: () => (refused++, settle()),
            complete: () => undefined,
          },
        );
        // graphql-ws says nothing on success: a refusal comes within this time or not at all.
        setTimeout(() => (settled ? undefined : (admitted++, settle())), 50);
      });
      bar(i + 1);
    }
    const writes: Promise<unknown>[] = [];
    const writer = setInterval(() => {
      writes.push(
        post(service.url, 'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }', {
          i: {
            kind: 'UNIVERSITY',
            name: `Bench lab ${writes.length}`,
            city: target.school.city,
            countryCode: target.school.countryCode,
            location: target.school.location,
            sdgs: target.sdgs.map((s) => s.id),
            expertise: target.expertiseNeeded.map((e) => e.label),
          },
        }),
      );
    }, 1000);
    const during = await probe(service.url, seconds);
    clearInterval(writer);
    await Promise.all(writes);
    row(
      '200 distinct-name subscriptions receiving events',
      during,
      `${admitted} admitted, ${refused} refused (SUBSCRIPTIONS_TOO_COSTLY); ${writes.length} writes, ` +
        `${delivered} deliveries of ${Math.round(bytes / Math.max(1, delivered))} bytes`,
    );
    await Promise.all(sockets.map(async (s) => s.dispose()));
    sockets.length = 0;

    // Scene 3: four keyless callers, each sending the heaviest admitted query back to back.
    const heavy = heaviestQuery(10_000, schema);
    let answered = 0;
    let limited = 0;
    let stop = false;
    const attackers = Array.from({ length: 4 }, async (_, a) => {
      while (!stop) {
        const res = await fetch(service.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${a}.1` },
          body: JSON.stringify({ query: heavy.query }),
        });
        const json = await readGraphQLBody(res);
        if (json.errors?.[0]?.extensions?.code === 'RATE_LIMITED') {
          limited++;
          await new Promise((r) => setTimeout(r, 200));
        } else answered++;
      }
    });
    const attacked = await probe(service.url, seconds);
    stop = true;
    await Promise.all(attackers);
    row(
      `4 callers sending the heaviest admitted query (cost ${heavy.cost})`,
      attacked,
      `${answered} answered, ${limited} refused (RATE_LIMITED)`,
    );
    console.log(['\n| scene | trivial queries | p50 | p99 | attackers |', '|---|---|---|---|---|', ...rows].join('\n'));
  } finally {
    await Promise.all(sockets.map(async (s) => s.dispose()));
    await stopService(service);
    await db.stop();
  }
}

runBench(main);
