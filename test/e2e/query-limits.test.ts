import { expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';
import { subscribe, wsClient } from '../helpers/ws-client';
import { IntrospectionQuery, parse } from 'graphql';

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
    [
      'too many aliases',
      `{ sdgs { ${Array.from({ length: 31 }, (_, i) => `a${i}: title`).join(' ')} } }`,
      /more than 30 aliases/,
    ],
    [
      'too many root fields',
      `{ ${Array.from({ length: 11 }, () => 'sdgs { id }').join(' ')} }`,
      /at most 10 top-level fields, got 11/,
    ],
    [
      'one field repeated in a set',
      `{ sdgs { ${Array.from({ length: 11 }, () => 'id').join(' ')} } }`,
      /The field "id" is selected 11 times in one selection set; at most 10/,
    ],
    [
      'one field repeated through fragments',
      `{ sdgs { ...A ...B } } fragment A on Sdg { ${'title '.repeat(6)}} fragment B on Sdg { ${'title '.repeat(6)}}`,
      /"title" is selected 12 times/,
    ],
    [
      'too deep through fragments',
      'query { ...A } fragment A on Query { hubs { members { ...B } } } fragment B on Stakeholder ' +
        '{ hubs { members { hubs { members { hubs { members { hubs { members { hubs { members ' +
        '{ id } } } } } } } } } } }',
      /nested deeper/,
    ],
  ])('%s, over HTTP', async (_name, query, message) => {
    const { status, json } = await t.raw({ query });
    expect(status).toBe(400);
    expect(expectErrors(json)[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(expectErrors(json)[0].message).toMatch(message);
  });

  it('stops parsing at 2000 tokens', async () => {
    const { status, json } = await t.raw({
      query: `{ ${Array.from({ length: 600 }, (_, i) => `a${i}: sdgs { id }`).join(' ')} }`,
    });
    expect(status).toBe(400);
    expect(expectErrors(json)[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      message: expect.stringMatching(/Document contains more tha. 2000 tokens/),
    });
  });

  it('lets ordinary deep queries and the IDE’s introspection through', async () => {
    // Eight levels down through single objects: deep, but cheap.
    const ordinary =
      '{ challenges(first: 2) { edges { node { school { region { parent { parent { code } } } } ' +
      'hub { region { code } } } } } }';
    expect((await t.raw({ query: ordinary })).status).toBe(200);
    const { getIntrospectionQuery } = await import('graphql');
    const intro = await t.raw<IntrospectionQuery>({
      query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    });
    expect(intro.status).toBe(200);
    expect(expectData(intro.json).__schema.queryType.name).toBe('Query');
  });

  it('refuses the same shapes over WebSocket', async () => {
    const c = wsClient(t.server.url);
    try {
      const sub = subscribe(c, parse(deep(14)) as never, {});
      await sub.completed;
      expect(sub.results[0].errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(sub.results[0].errors?.[0].message).toMatch(/nested deeper than 12 levels/);
      const repeated = subscribe(c, parse(`{ sdgs { ${'id '.repeat(11)}} }`) as never, {});
      await repeated.completed;
      expect(repeated.results[0].errors?.[0]).toMatchObject({
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        message: expect.stringMatching(/selected 11 times/),
      });
    } finally {
      await c.dispose();
    }
  });
});
