/**
 * One table of hostile requests, sent over HTTP and over WebSocket: both transports go through
 * the one pipeline, so each row must be refused with the same code either way (a connection
 * refused at admission closes with the code that stands for it: 4401 for 401, 4403 for 403).
 */
import { MessageType, parseMessage } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_ADMIN_KEY, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let limited: TestServer;
beforeAll(async () => {
  // Introspection off, as in production: a row below asks for the schema anyway.
  t = await startTestServer({ introspection: false, ide: false });
  limited = await startTestServer({ limits: { keyRequestsPerMinute: 4, publicRequestsPerMinute: 1000 } });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await limited?.stop();
});

interface Hostile {
  query: string;
  variables?: Record<string, unknown>;
  authorization?: string;
  origin?: string;
}

const deep = `{ hubs { ${'members { hubs { '.repeat(8)}id${' } }'.repeat(8)} } }`;
const ROWS: [string, Hostile, string][] = [
  ['an unknown API key', { query: '{ sdgs { id } }', authorization: 'Bearer osm_not-a-key' }, 'UNAUTHENTICATED'],
  ['a key that is not a bearer token', { query: '{ sdgs { id } }', authorization: 'Basic abc' }, 'UNAUTHENTICATED'],
  ['a foreign browser origin', { query: '{ sdgs { id } }', origin: 'https://evil.example' }, 'FORBIDDEN'],
  ['a query over the length cap', { query: `{ sdgs { id } } #${'x'.repeat(20_000)}` }, 'QUERY_TOO_LONG'],
  ['text that does not parse', { query: '{ sdgs { id }' }, 'GRAPHQL_PARSE_FAILED'],
  ['more tokens than the parser takes', { query: `{ ${'sdgs { id } '.repeat(600)} }` }, 'GRAPHQL_PARSE_FAILED'],
  ['a query nested past the depth limit', { query: deep }, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'more aliases than allowed',
    { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: sdgs { id }`).join(' ')} }` },
    'GRAPHQL_VALIDATION_FAILED',
  ],
  ['one field repeated past the limit', { query: `{ ${'sdgs { id } '.repeat(11)} }` }, 'GRAPHQL_VALIDATION_FAILED'],
  ['a field that does not exist', { query: '{ secrets }' }, 'GRAPHQL_VALIDATION_FAILED'],
  ['introspection while it is off', { query: '{ __schema { types { name } } }' }, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'a query over the cost limit',
    { query: '{ stakeholders(first: 100) { edges { node { hubs(first: 100) { members(first: 100) { id } } } } } }' },
    'QUERY_TOO_COSTLY',
  ],
  [
    'a string over its cap, before any search',
    { query: 'query($s: String) { expertise(search: $s) { id } }', variables: { s: 'x'.repeat(101) } },
    'BAD_USER_INPUT',
  ],
  [
    'a NUL byte in a string',
    { query: 'query($s: String) { expertise(search: $s) { id } }', variables: { s: 'wa\u0000ter' } },
    'BAD_USER_INPUT',
  ],
  ['a write without a key', { query: 'mutation { createHub(input: { name: "H" }) { id } }' }, 'UNAUTHENTICATED'],
];

async function overHttp(server: TestServer, r: Hostile): Promise<{ status: number; codes: unknown[] }> {
  const res = await fetch(server.server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(r.authorization ? { authorization: r.authorization } : {}),
      ...(r.origin ? { origin: r.origin } : {}),
    },
    body: JSON.stringify({ query: r.query, variables: r.variables }),
  });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
}

/** The same request as a graphql-ws client sends it: connection_init, then subscribe. */
function overWebSocket(server: TestServer, r: Hostile): Promise<{ close?: number; codes: unknown[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      headers: r.origin ? { origin: r.origin } : {},
    });
    const done = (value: { close?: number; codes: unknown[] }) => {
      resolve(value);
      socket.close();
    };
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: r.authorization } })),
    );
    socket.on('message', (data) => {
      const m = parseMessage(data.toString());
      if (m.type === MessageType.ConnectionAck)
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: r.query, variables: r.variables } }),
        );
      if (m.type === MessageType.Error) done({ codes: m.payload.map((e) => e.extensions?.code) });
      if (m.type === MessageType.Next) done({ codes: (m.payload.errors ?? []).map((e) => e.extensions?.code) });
    });
    socket.on('close', (code) => resolve({ close: code, codes: [] }));
    socket.on('error', reject);
  });
}

/** The first error a request gets over HTTP and over WebSocket, without a key. */
async function firstErrorBothWays(r: Hostile): Promise<{ message: string; code?: string }[]> {
  const res = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: r.query, variables: r.variables }),
  });
  const [http] = ((await res.json()) as { errors: { message: string; extensions?: { code?: string } }[] }).errors;
  const ws = await new Promise<{ message: string }>((resolve) => {
    const socket = new WebSocket(t.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const m = parseMessage(data.toString());
      if (m.type === MessageType.ConnectionAck)
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: r.query, variables: r.variables } }),
        );
      if (m.type === MessageType.Error || m.type === MessageType.Next) {
        resolve((m.type === MessageType.Error ? m.payload : m.payload.errors!)[0]);
        socket.close();
      }
    });
  });
  return [{ message: http.message, code: http.extensions?.code }, { message: ws.message }];
}

const CLOSE_FOR: Record<string, number> = { UNAUTHENTICATED: 4401, FORBIDDEN: 4403 };
const ADMISSION = new Set(['an unknown API key', 'a key that is not a bearer token', 'a foreign browser origin']);

describe('the hostile-request table, over both transports', () => {
  it.each(ROWS.map(([what, request, code]) => [`${what} → ${code}`, what, request, code] as const))(
    '%s',
    async (_title, what, request, code) => {
      const http = await overHttp(t, request);
      expect(http.codes[0]).toBe(code);
      // Refused before anything ran: never a 5xx, never a partial answer.
      expect(http.status).toBeLessThan(500);
      const ws = await overWebSocket(t, request);
      if (ADMISSION.has(what)) expect(ws.close).toBe(CLOSE_FOR[code]);
      else expect(ws.codes[0]).toBe(code);
    },
  );

  it('sends each refused row with the same message both ways', async () => {
    for (const [what, request] of ROWS.filter(([what]) => !ADMISSION.has(what))) {
      const [http, ws] = await firstErrorBothWays(request);
      expect([what, ws.message]).toEqual([what, http.message]);
    }
  });

  it.each<[string, Hostile, string]>([
    ['field', { query: '{ sdg { id } }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['argument', { query: '{ stakeholders(frist: 1) { totalCount } }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'input field in the text',
      { query: '{ stakeholders(filter: { kind: [MEDIA] }) { totalCount } }' },
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'enum value in the text',
      { query: '{ stakeholders(filter: { kinds: [MEDIAS] }) { totalCount } }' },
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'input field in variables',
      {
        query: 'query($f: StakeholderFilter) { stakeholders(filter: $f) { totalCount } }',
        variables: { f: { kind: [] } },
      },
      'BAD_USER_INPUT',
    ],
    [
      'enum value in variables',
      {
        query: 'query($f: StakeholderFilter) { stakeholders(filter: $f) { totalCount } }',
        variables: { f: { kinds: ['MEDIAS'] } },
      },
      'BAD_USER_INPUT',
    ],
  ])('spells out no schema in hints on a misspelt %s while introspection is off', async (_, request, code) => {
    const both = await firstErrorBothWays(request);
    expect(both[0].code).toBe(code);
    const messages = both.map((e) => e.message);
    for (const message of messages) {
      expect(message).not.toMatch(/did you mean/i);
      expect(message).not.toMatch(/"(kinds|first|sdgs|MEDIA)"/);
    }
  });

  it('draws HTTP requests and WebSocket operations from one budget per key', async () => {
    const key = `Bearer ${TEST_ADMIN_KEY}`;
    const ok = { query: '{ sdgs { id } }', authorization: key };
    expect((await overHttp(limited, ok)).codes).toEqual([]);
    expect((await overWebSocket(limited, ok)).codes).toEqual([]);
    expect((await overHttp(limited, ok)).codes).toEqual([]);
    expect((await overWebSocket(limited, ok)).codes).toEqual([]);
    // The fifth request of the minute, whichever transport carries it.
    expect((await overWebSocket(limited, ok)).codes).toEqual(['RATE_LIMITED']);
    const http = await overHttp(limited, ok);
    expect([http.status, http.codes]).toEqual([429, ['RATE_LIMITED']]);
  });
});
