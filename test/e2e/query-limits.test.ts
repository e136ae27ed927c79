import { startTestServer, TestServer } from '../helpers/server';
import { subscribe, wsClient } from '../helpers/ws-client';
import { parse } from 'graphql';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

// stakeholders → hubs → members → hubs → … : the schema's cycle, nested `levels` times.
function deep(levels: number): string {
  const fields = Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? 'members' : 'hubs'));
  return `{ hubs { ${fields.map((f) => `${f} { `).join('')}id${' }'.repeat(levels)} } }`;
}

describe('hostile query shapes are refused before they run', () => {
  it.each([
    ['too deep', deep(14), /nested deeper than 12 levels/],
    ['too many aliases', `{ sdgs { ${Array.from({ length: 31 }, (_, i) => `a${i}: title`).join(' ')} } }`, /more than 30 aliases/],
    ['too many root fields', `{ ${Array.from({ length: 11 }, () => 'sdgs { id }').join(' ')} }`, /at most 10 top-level fields, got 11/],
    ['too deep through fragments', `query { ...A } fragment A on Query { hubs { members { ...B } } } fragment B on Stakeholder { hubs { members { hubs { members { hubs { members { hubs { members { hubs { members { id } } } } } } } } } } }`, /nested deeper/],
  ])('%s, over HTTP', async (_name, query, message) => {
    const { status, json } = await t.raw({ query });
    expect(status).toBe(400);
    expect(json.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(json.errors[0].message).toMatch(message);
  });

  it('lets ordinary deep queries and the IDE’s introspection through', async () => {
    // Eight levels down through single objects: deep, but cheap.
    const ordinary = '{ challenges(first: 2) { edges { node { school { region { parent { parent { code } } } } hub { region { code } } } } } }';
    expect((await t.raw({ query: ordinary })).status).toBe(200);
    const { getIntrospectionQuery } = await import('graphql');
    const intro = await t.raw({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) });
    expect(intro.status).toBe(200);
    expect(intro.json.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses the same shapes over WebSocket', async () => {
    const c = wsClient(t.server.url);
    try {
      const sub = subscribe(c, parse(deep(14)) as never, {});
      await sub.completed;
      expect(sub.results[0].errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(sub.results[0].errors?.[0].message).toMatch(/nested deeper than 12 levels/);
    } finally {
      await c.dispose();
    }
  });
});
