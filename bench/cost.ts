/**
 * `npm run bench:cost`: does the cost model track CPU? Runs representative shapes (nested
 * partnership lists, stakeholder search, suggestPartners ranking, suggestTeam) against a real
 * server over a filled database, keyless, and prints the server process's CPU time per estimated
 * cost point for each, and the factor between the cheapest and the dearest shape per point.
 * PostgreSQL runs in its own process: its time is not counted, the event loop's is.
 */
import { parse } from 'graphql';
import { DEFAULT_LIMITS } from '../src/config';
import { budgetPoints, operationCost } from '../src/graphql/query-cost';
import { progress, serveDemo, startBenchDatabase } from './bench-database';
import { readGraphQLBody, runBench } from './bench-service';

const ADMIN = 'bench-admin-key-0123456789abcdef';
const KINDS = ['UNIVERSITY', 'INDUSTRY', 'MEDIA', 'GOVERNMENT', 'CIVIL_SOCIETY', 'RESEARCH_INSTITUTE'];

/** The shapes: what a portal, a widget or an attacker within the limits sends. */
const SHAPES: [label: string, query: string][] = [
  ['reference list (sdgs)', '{ sdgs { id code } }'],
  [
    'nested partnership lists, private fields (the finding)',
    `{ challenges(first: 20) { edges { node { title partnerships(first: 20) {
      status message stakeholder { name contactEmail contactPhone city } } } } } }`,
  ],
  [
    'stakeholders → partnerships → challenge',
    `{ stakeholders(first: 40) { edges { node { name partnerships(first: 10) { status challenge { title } } } } } }`,
  ],
  [
    'stakeholder search (name)',
    '{ stakeholders(first: 100, filter: { search: "er" }) { edges { node { id name city } } } }',
  ],
  [
    'suggestPartners ranking (first: 50)',
    `query($c: ID!) { suggestPartners(challengeId: $c, first: 50) { totalCount edges { node {
      score reasons stakeholder { id name city } } } } }`,
  ],
  [
    'suggestTeam (size: 10)',
    'query($c: ID!) { suggestTeam(challengeId: $c, size: 10) ' +
      '{ missingKinds members { score stakeholder { id name } } } }',
  ],
];

/** A request with `key`, or keyless: its data, of the shape T the query selects; throws on errors. */
async function post<T = unknown>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await readGraphQLBody<T>(res);
  if (body.errors?.length) throw new Error(`${query.slice(0, 60)}…: ${body.errors[0].message}`);
  // Without errors a response carries its data (GraphQL over HTTP).
  if (body.data === undefined || body.data === null) throw new Error(`${query.slice(0, 60)}…: no data`);
  return body.data;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
  const db = await startBenchDatabase();
  try {
    const limits = { ...DEFAULT_LIMITS, keyRequestsPerMinute: 1e7, publicRequestsPerMinute: 1e7 };
    const demo = await serveDemo(db, { limits, adminApiKey: ADMIN });
    const { schema, live, service } = demo;
    // Fill every list the shapes read: 300 partners with contacts, 30 challenges, 20 invitations each.
    const fill = progress('filling', 330);
    const [{ id: school }]: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM stakeholder WHERE kind = 'SCHOOL' LIMIT 1`,
    );
    for (let i = 0; i < 300; i++) {
      await post(
        service.url,
        'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }',
        {
          i: {
            kind: KINDS[i % KINDS.length],
            name: `Partner ${i} Werkplaats`,
            sdgs: [1 + (i % 17), 1 + ((i * 7) % 17)],
            expertise: ['Hydrology', 'Sensors', 'Robotics', 'Design'].slice(0, 1 + (i % 4)),
            location: { latitude: 50.8 + (i % 30) / 100, longitude: 5.6 + (i % 17) / 100 },
            contactEmail: `partner${i}@example.org`,
            contactPhone: '+31 43 000 0000',
          },
        },
        ADMIN,
      );
      fill(i + 1);
    }
    const challengeIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const input = {
        schoolId: school,
        title: `Challenge ${i}`,
        sdgs: [13, 6],
        expertiseNeeded: ['Hydrology', 'Sensors'],
      };
      const c = await post<{ createChallenge: { id: string } }>(
        service.url,
        'mutation($i: CreateChallengeInput!) { createChallenge(input: $i) { id } }',
        {
          i: input,
        },
        ADMIN,
      );
      challengeIds.push(c.createChallenge.id);
      fill(301 + i);
    }
    await db.dataSource.query(
      `INSERT INTO partnership (challenge_id, stakeholder_id, status, message)
       SELECT c.id, s.id, 'INVITED', 'Would you help our pupils measure the water levels this spring?'
       FROM challenge c CROSS JOIN LATERAL (
         SELECT id FROM stakeholder WHERE kind <> 'SCHOOL' ORDER BY md5(c.id::text || id::text) LIMIT 20) s`,
    );
    await db.dataSource.query(
      `INSERT INTO hub_member (hub_id, stakeholder_id)
       SELECT h.id, s.id FROM hub h, stakeholder s ON CONFLICT DO NOTHING`,
    );
    await live.reloadAll();

    const rows: { label: string; cost: number; cpuMs: number; perPoint: number }[] = [];
    const report = progress('measuring', SHAPES.length);
    for (const [label, query] of SHAPES) {
      const variables = { c: challengeIds[0] };
      const cost = operationCost(schema, parse(query), variables, undefined) as number;
      for (let i = 0; i < 3; i++) await post(service.url, query, variables); // warm up
      const cpu = process.cpuUsage();
      for (let i = 0; i < runs; i++) await post(service.url, query, { c: challengeIds[i % challengeIds.length] });
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000 / runs;
      rows.push({ label, cost, cpuMs, perPoint: (cpuMs * 1000) / cost });
      report(rows.length);
    }
    // The trivial shape is priced by its budget minimum (one point), not per cost point.
    const priced = rows.filter((r) => r.cost >= 100);
    const cheapest = Math.min(...priced.map((r) => r.perPoint));
    const dearest = Math.max(...priced.map((r) => r.perPoint));
    // Beyond the request itself (HTTP, pipeline, JSON): what the shape's own work costs per point.
    const floor = rows[0].cpuMs;
    const marginal = (r: (typeof rows)[number]) => ((r.cpuMs - floor) * 1000) / r.cost;
    const margins = priced.map(marginal);
    const table = [
      '| shape | estimated cost | budget points | CPU per run | CPU per cost point | × cheapest | ' +
        'beyond the trivial request, per point |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.cost} | ${budgetPoints(r.cost, limits.costPerPoint)} | ${r.cpuMs.toFixed(1)} ms | ` +
          `${r.perPoint.toFixed(1)} µs | ${r.cost >= 100 ? (r.perPoint / cheapest).toFixed(1) + '×' : '(1 point)'} | ` +
          `${r.cost >= 100 ? marginal(r).toFixed(1) + ' µs' : ''} |`,
      ),
    ];
    console.log(`\nCOST_PER_POINT ${limits.costPerPoint}; ${runs} runs per shape, keyless, one at a time\n`);
    console.log(table.join('\n'));
    console.log(
      `\nfactor between the cheapest and the dearest shape per cost point (cost ≥ 100): ` +
        `${(dearest / cheapest).toFixed(1)}× (target ≤ 3×); beyond the trivial request's own CPU: ` +
        `${(Math.max(...margins) / Math.min(...margins)).toFixed(1)}×`,
    );
    const atLimit = budgetPoints(limits.maxCost, limits.costPerPoint);
    console.log(
      `an operation at the cost limit (${limits.maxCost}) takes ${atLimit} points: ` +
        `${Math.floor(DEFAULT_LIMITS.publicRequestsPerMinute / atLimit)} per minute per address without a key, ` +
        `≈ ${((dearest * limits.maxCost) / 1000).toFixed(0)} ms of CPU each at the dearest rate`,
    );
    await demo.stop();
  } finally {
    await db.stop();
  }
}

runBench(main);
