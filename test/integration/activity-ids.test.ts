/**
 * Activity ids and cursors reveal no count: what a coordinator sees of its own hub's log says
 * nothing of how much the other hubs broker. Pages stay stable, and cursors stay unforgeable.
 */
import { packCursor } from '../../src/domain/cursor';
import { ActivityDocument, CreateHubDocument, UpdateHubDocument } from '../generated/graphql';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const hubs = { mine: '', other: '' };
const ENTRIES = 7;

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string) =>
    expectData(
      await t.admin(CreateHubDocument, { input: { name, coordinators: [{ name: 'An', email: `an@${name}.be` }] } }),
    ).createHub.id;
  hubs.mine = await hub('mine');
  hubs.other = await hub('other');
  // Interleaved, so that a global serial would show gaps in one hub's ids.
  for (let i = 0; i < ENTRIES; i++) {
    for (const id of [hubs.mine, hubs.other, hubs.other])
      expectData(await t.admin(UpdateHubDocument, { id, input: { name: `hub ${id.slice(0, 4)} ${i}` } }));
  }
});
afterAll(() => t?.stop());

const page = (hubId: string, first: number, after?: string | null) =>
  t.admin(ActivityDocument, { hubId, first, after });

describe('activity ids', () => {
  it('are random ids, and cursors carry no number', async () => {
    const all = expectData(await t.admin(ActivityDocument, { hubId: hubs.mine, first: 100 })).activity.edges;
    expect(all).toHaveLength(ENTRIES);
    for (const { node, cursor } of all) {
      expect(node.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe(`a|${node.id}`);
    }
  });

  it.each([1, 2, 3, ENTRIES])('page by page (%i at a time) the same entries, in the same order', async (size) => {
    const whole = expectData(await t.admin(ActivityDocument, { hubId: hubs.mine, first: 100 })).activity.edges.map(
      (e) => e.node.id,
    );
    const paged: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { activity } = expectData(await page(hubs.mine, size, after));
      paged.push(...activity.edges.map((e) => e.node.id));
      if (!activity.pageInfo.hasNextPage) break;
      after = activity.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole);
  });

  it('refuses cursors not made by this API for this hub', async () => {
    const theirs = expectData(await t.admin(ActivityDocument, { hubId: hubs.other, first: 1 })).activity.edges[0];
    const forged = [
      ['an entry of another hub', theirs.cursor],
      ['a serial, as cursors used to be', packCursor('a', [3])],
      ['a random id', packCursor('a', ['00000000-0000-4000-8000-000000000000'])],
      ['another kind of cursor', packCursor('k', ['2026-01-01T00:00:00.000Z', theirs.node.id])],
    ];
    const answers = [];
    for (const [what, after] of forged) {
      const e = (await page(hubs.mine, 5, after)).errors?.[0];
      answers.push([what, e?.extensions?.code, e?.extensions?.field]);
    }
    expect(answers).toEqual(forged.map(([what]) => [what, 'BAD_USER_INPUT', 'after']));
  });
});
