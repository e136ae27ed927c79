/**
 * Budgets count work, not requests: an operation takes max(1, ⌈cost / COST_PER_POINT⌉) points of
 * its caller's per-minute budget, over HTTP and WebSocket alike. And a query past its execution
 * deadline stops at its next checkpoint (a loader batch, a private field) with DEADLINE_EXCEEDED.
 */
import { GraphQLFormattedError, parse } from 'graphql';
import { operationCost } from '../../src/graphql/query-cost';
import { buildSchema } from '../../src/graphql/build-schema';
import { CreateStakeholderDocument } from '../generated/graphql';
import { stakeholderInput } from '../helpers/fixtures';
import { isErrorList } from '../helpers/json';
import { asResult, expectData, expectErrors, RELAXED_LIMITS, startTestServer } from '../helpers/server';
import { wsClient } from '../helpers/ws-client';

const BUDGET = 24;
const PER_POINT = 100;

// Shapes of different cost; how many of each fit in one minute's budget of 24 points.
const SHAPES: [name: string, query: string, cost: number, fit: number][] = [
  ['reference list', '{ sdgs { id } }', 18, 24],
  ['one hub’s members', '{ hub(id: "00000000-0000-4000-8000-000000000000") { members(first: 100) { id } } }', 102, 12],
  ['a page of names', '{ stakeholders(first: 100) { edges { node { id name } } } }', 401, 4],
  [
    'nested partnership lists',
    '{ challenges(first: 20) { edges { node { partnerships(first: 20) { id status message } } } } }',
    0, // filled in from the estimator below: the table checks points, not the estimator
    0,
  ],
];

describe('budgets in cost points', () => {
  beforeAll(async () => {
    const schema = await buildSchema();
    const nested = SHAPES[3];
    nested[2] = operationCost(schema, parse(nested[1]), undefined, undefined) as number;
    nested[3] = Math.floor(BUDGET / Math.ceil(nested[2] / PER_POINT));
  });

  it('prices the shapes as the table says', async () => {
    const schema = await buildSchema();
    for (const [, query, cost] of SHAPES.slice(0, 3))
      expect(operationCost(schema, parse(query), undefined, undefined)).toBe(cost);
    // The nested shape is the heavy one: more than a third of the budget per operation.
    expect(SHAPES[3][2]).toBeGreaterThan(BUDGET * PER_POINT * 0.3);
  });

  it.each(['http', 'websocket'] as const)('lets as many of each shape through as its points fit (%s)', async (via) => {
    for (const [name, query, , fit] of SHAPES) {
      const t = await startTestServer({
        limits: { ...RELAXED_LIMITS, publicRequestsPerMinute: BUDGET, costPerPoint: PER_POINT },
      });
      const client = wsClient(t.server.url);
      try {
        const send = async (): Promise<{ ok: boolean; code?: unknown; retryAfter?: string | null }> => {
          if (via === 'http') {
            const res = await fetch(t.server.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query }),
            });
            const body = asResult(await res.json());
            return {
              ok: res.status === 200,
              code: body.errors?.[0]?.extensions?.code,
              retryAfter: res.headers.get('retry-after'),
            };
          }
          // graphql-ws hands a refusal at subscribe to `error`, an execution's errors to `next`.
          type Outcome = { errors?: readonly GraphQLFormattedError[] } | undefined;
          const result = await new Promise<Outcome>((resolve) => {
            let last: Outcome;
            client.subscribe(
              { query },
              {
                next: (r) => (last = r),
                error: (e) => resolve({ errors: isErrorList(e) ? e : [] }),
                complete: () => resolve(last),
              },
            );
          });
          const errors = result?.errors ?? [];
          return { ok: errors.length === 0, code: errors[0]?.extensions?.code };
        };
        let passed = 0;
        let refusal: Awaited<ReturnType<typeof send>> | undefined;
        for (let i = 0; i <= BUDGET; i++) {
          const r = await send();
          if (!r.ok) {
            refusal = r;
            break;
          }
          passed++;
        }
        expect([name, passed]).toEqual([name, fit]);
        expect([name, refusal?.code]).toEqual([name, 'RATE_LIMITED']);
        if (via === 'http') expect(Number(refusal?.retryAfter)).toBeGreaterThan(0);
      } finally {
        await client.dispose();
        await t.stop();
      }
    }
  });
});

describe('execution deadline', () => {
  it('stops a query at its next checkpoint with DEADLINE_EXCEEDED, and never cuts a mutation short', async () => {
    const t = await startTestServer({ limits: { ...RELAXED_LIMITS, executionDeadlineMs: 0 } });
    try {
      // A mutation runs to its end even with no time at all: its write commits and it says so.
      expectData(await t.admin(CreateStakeholderDocument, { input: stakeholderInput({ contactEmail: 'a@b.org' }) }));
      const shapes = [
        // A loader batch (the hubs of each stakeholder) is the checkpoint.
        '{ stakeholders(first: 5) { edges { node { id hubs { name } } } } }',
        // A private field is one, too.
        '{ stakeholders(first: 5) { edges { node { id contactEmail } } } }',
      ];
      for (const query of shapes) {
        const { json } = await t.raw({ query });
        const codes = (json.errors ?? []).map((e) => e.extensions?.code);
        expect([query, codes.length > 0 && codes.every((c) => c === 'DEADLINE_EXCEEDED')]).toEqual([query, true]);
        expect(expectErrors(json)[0].message).toMatch(/execution deadline of 0 ms \(EXECUTION_DEADLINE_MS\)/);
      }
    } finally {
      await t.stop();
    }
  });
});
