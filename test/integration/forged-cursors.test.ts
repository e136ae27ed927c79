/**
 * Every cursor argument of the API, fed forged cursors of every kind: each is refused with
 * BAD_USER_INPUT naming the argument, never a database error.
 */
import { packCursor } from '../../src/domain/cursor';
import { MAX_RANK_OFFSET } from '../../src/matching/match.service';
import { createChallenge, createStakeholders } from '../helpers/network';
import { startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const ids = { challenge: '', stakeholder: '' };
beforeAll(async () => {
  t = await startTestServer();
  const made = await createStakeholders(t, [
    { name: 'School', kind: 'SCHOOL', sdgs: [13] },
    { name: 'Uni', kind: 'UNIVERSITY', sdgs: [13] },
  ]);
  ids.stakeholder = made.Uni;
  ids.challenge = (
    await createChallenge(t, { schoolId: made.School, title: 'Floods', sdgs: [13], expertiseNeeded: [] })
  ).id;
});
afterAll(() => t?.stop());

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';

const forged: [string, string][] = [
  ['not base64 at all', '!!!'],
  ['random bytes', b64('\u0000\u00ff\u0001garbage')],
  ['too long', 'A'.repeat(201)],
  ['a keyset cursor with a non-uuid id', packCursor('k', ['2026-01-01T00:00:00.000Z', '-'.repeat(36)])],
  ['a keyset cursor with a year PostgreSQL cannot store', packCursor('k', ['-271821-04-20T00:00:00.000Z', UUID])],
  ['a keyset cursor with an invalid date', packCursor('k', ['yesterday', UUID])],
  ['a keyset cursor in the old untagged form', b64(`2026-01-01T00:00:00.000Z|${UUID}`)],
  ['a ranked cursor with a huge offset', packCursor('m', [1e300, 10])],
  ['a ranked cursor with a negative offset', packCursor('m', [-5, 10])],
  ['a ranked cursor with a fractional window', packCursor('m', [0, 2.5])],
  ['a ranked cursor with a window over the page limit', packCursor('m', [0, 1000])],
  ['a ranked cursor past the deepest position', packCursor('m', [MAX_RANK_OFFSET + 1, 10])],
  ['an event cursor with a huge seq', packCursor('e', ['9'.repeat(40)])],
  ['an event cursor with a bigint-overflowing seq', packCursor('e', ['99999999999999999999'])],
  ['the wrong kind of cursor', packCursor('x', [1])],
  ['an extra part', packCursor('e', [1, 2])],
];

const fields: [string, (after: string) => string][] = [
  ['stakeholders', (a) => `{ stakeholders(after: ${JSON.stringify(a)}) { totalCount } }`],
  ['challenges', (a) => `{ challenges(after: ${JSON.stringify(a)}) { totalCount } }`],
  [
    'suggestPartners',
    (a) => `{ suggestPartners(challengeId: "${ids.challenge}", after: ${JSON.stringify(a)}) { totalCount } }`,
  ],
  [
    'suggestChallenges',
    (a) => `{ suggestChallenges(stakeholderId: "${ids.stakeholder}", after: ${JSON.stringify(a)}) { totalCount } }`,
  ],
  ['matchesSince', (a) => `{ matchesSince(challengeId: "${ids.challenge}", after: ${JSON.stringify(a)}) { score } }`],
];

describe('forged cursors', () => {
  it.each(fields)('%s refuses every forged cursor with BAD_USER_INPUT about `after`', async (_field, query) => {
    const wrong: string[] = [];
    for (const [what, cursor] of forged) {
      const { json } = await t.raw({ query: query(cursor) });
      const e = json.errors?.[0];
      if (
        e?.extensions?.code !== 'BAD_USER_INPUT' ||
        e.extensions.field !== 'after' ||
        !/^after must be/.test(e.message)
      ) {
        wrong.push(`${what}: ${JSON.stringify(e ?? json.data)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('ranked lists end at the deepest position: its cursor gives the last, empty page', async () => {
    for (const field of ['suggestPartners', 'suggestChallenges'] as const) {
      const query = fields.find(([name]) => name === field)![1](packCursor('m', [MAX_RANK_OFFSET, 10]));
      const { json } = await t.raw<Record<string, { totalCount: number }>>({ query });
      expect([field, json.errors]).toEqual([field, undefined]);
      expect(json.data![field].totalCount).toBeGreaterThanOrEqual(0);
    }
  });
});
