/**
 * `npm run bench:http`: what the web framework costs. The service as it runs (Fastify, CORS,
 * hooks, error handler) against a floor measured in the same run: the same pipeline and the same
 * Apollo behind a bare `node:http` handler that only reads the body and writes the answer — what
 * the hand-written handler did before Fastify, minus its routes. Rounds alternate between the
 * two so that drift on a shared machine hits both. Target: the framework costs at most 10% of
 * requests per second.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import autocannon from 'autocannon';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_LIMITS } from '../src/config';
import { Context } from '../src/graphql/context';
import { createPipeline } from '../src/graphql/pipeline';
import { isRefusal } from '../src/graphql/pipeline-types';
import { createFormatError } from '../src/graphql/to-graphql-error';
import { silentLogger } from '../src/log/logger';
import { progress, serveDemo, startBenchDatabase } from './bench-database';
import { runBench } from './bench-service';

const limits = { ...DEFAULT_LIMITS, keyRequestsPerMinute: 1e9, publicRequestsPerMinute: 1e9 };

const QUERIES: [string, string][] = [
  ['reference list `{ sdgs { id code } }`', '{ sdgs { id code } }'],
  [
    'open challenges with schools (loaders)',
    '{ challenges(first: 20) { edges { node { id title school { name city } sdgs { id code } } } } }',
  ],
];

/** The floor: the same pipeline and Apollo, behind nothing but node:http. */
async function startBare(apollo: ApolloServer<Context>, pipeline: ReturnType<typeof createPipeline>) {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    // The bench sends only operations: an object, whose fields prepare checks as it would a client's.
    if (typeof body !== 'object' || body === null || !('query' in body)) throw new Error('not an operation');
    const facts = { transport: 'http' as const, address: req.socket.remoteAddress, method: req.method };
    const admitted = await pipeline.admit(facts);
    if ('refusal' in admitted) throw new Error('refused');
    const prepared = pipeline.prepare(admitted.viewer, body, facts);
    if (isRefusal(prepared)) throw new Error(prepared.errors[0].message);
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body },
      context: async () => pipeline.context(admitted.viewer, facts),
    });
    res.writeHead(response.status ?? 200, Object.fromEntries(response.headers));
    res.end(response.body.kind === 'complete' ? response.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

async function rps(url: string, query: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 10,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
  const rounds = 3;
  const db = await startBenchDatabase();
  try {
    const demo = await serveDemo(db, { limits });
    const { schema, live, service } = demo;
    const pipeline = createPipeline({
      schema,
      dataSource: db.dataSource,
      log: silentLogger,
      live,
      limits,
      introspection: true,
    });
    const apollo = new ApolloServer<Context>({
      schema,
      formatError: createFormatError(silentLogger),
      documentStore: pipeline.documentStore,
      persistedQueries: false,
    });
    await apollo.start();
    const bare = await startBare(apollo, pipeline);
    console.log(`database: ${db.server}; ${rounds} alternating rounds of ${seconds} s, 10 connections\n`);
    const rows = ['| request | bare node:http (floor) | Fastify (the service) | framework cost | target ≤ 10% |'];
    rows.push('|---|---|---|---|---|');
    const report = progress('measuring', QUERIES.length * rounds);
    let done = 0;
    for (const [label, query] of QUERIES) {
      const floor: number[] = [];
      const framework: number[] = [];
      await rps(bare.url, query, 1); // warm up both
      await rps(service.url, query, 1);
      for (let round = 0; round < rounds; round++) {
        floor.push(await rps(bare.url, query, seconds));
        framework.push(await rps(service.url, query, seconds));
        report(++done);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const f = median(floor);
      const s = median(framework);
      const cost = (1 - s / f) * 100;
      rows.push(
        `| ${label} | ${f.toFixed(0)} req/s | ${s.toFixed(0)} req/s | ` +
          `${cost.toFixed(1)}% | ${cost <= 10 ? 'met' : 'missed'} |`,
      );
    }
    console.log(`\n${rows.join('\n')}`);
    await new Promise((resolve) => bare.server.close(resolve));
    await apollo.stop();
    await demo.stop();
  } finally {
    await db.stop();
  }
}

runBench(main);
