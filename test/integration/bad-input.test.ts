import { GraphQLFormattedError } from 'graphql';
import {
  CreateChallengeDocument,
  CreateStakeholderDocument,
  InvitePartnerDocument,
  UpdateStakeholderDocument,
} from '../generated/graphql';
import { stakeholderInput } from '../helpers/fixtures';
import { expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let schoolId: string;
let universityId: string;
beforeAll(async () => {
  t = await startTestServer();
  schoolId = expectData(
    await t.admin(CreateStakeholderDocument, { input: stakeholderInput({ kind: 'SCHOOL' as never, name: 'School' }) }),
  ).createStakeholder.id;
  universityId = expectData(await t.admin(CreateStakeholderDocument, { input: stakeholderInput() })).createStakeholder
    .id;
});
afterAll(() => t?.stop());

/** Row counts of every table a mutation may write. */
async function snapshot(): Promise<Record<string, number>> {
  const rows: { t: string; n: number }[] = await t.db.dataSource.query(`
    SELECT 'stakeholder' AS t, count(*)::int AS n FROM stakeholder UNION ALL
    SELECT 'expertise', count(*)::int FROM expertise UNION ALL
    SELECT 'challenge', count(*)::int FROM challenge UNION ALL
    SELECT 'partnership', count(*)::int FROM partnership UNION ALL
    SELECT 'partnership_event', count(*)::int FROM partnership_event UNION ALL
    SELECT 'updated', count(*)::int FROM stakeholder WHERE updated_at > created_at`);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

const unknownId = '00000000-0000-4000-8000-000000000000';

describe('bad input is refused with a code, a message naming the field and rule, and no write', () => {
  const cases: [string, () => Promise<{ errors?: readonly GraphQLFormattedError[] }>, string, RegExp][] = [
    [
      'SDG outside 1–17',
      () =>
        t.admin(CreateStakeholderDocument, {
          input: stakeholderInput({ sdgs: [3, 18], expertise: ['Brand new tag A'] }),
        }),
      'BAD_USER_INPUT',
      /^input\.sdgs\[1\] must be between 1 and 17, got 18$/,
    ],
    [
      'latitude outside ±90',
      () =>
        t.admin(CreateStakeholderDocument, {
          input: stakeholderInput({ location: { latitude: 123, longitude: 4 }, expertise: ['Brand new tag B'] }),
        }),
      'BAD_USER_INPUT',
      /^input\.location\.latitude must be between -90 and 90, got 123$/,
    ],
    [
      'empty name',
      () => t.admin(CreateStakeholderDocument, { input: stakeholderInput({ name: '  ' }) }),
      'BAD_USER_INPUT',
      /^input\.name must not be empty$/,
    ],
    [
      'unknown region code',
      () =>
        t.admin(CreateStakeholderDocument, {
          input: stakeholderInput({ regionCode: 'NL-XX', expertise: ['Brand new tag C'] }),
        }),
      'BAD_USER_INPUT',
      /^input\.regionCode must be a known ISO 3166 region code like "NL" or "NL-OV", got "NL-XX"$/,
    ],
    [
      'unknown city',
      () =>
        t.admin(CreateStakeholderDocument, {
          input: stakeholderInput({ location: null, city: 'Leuvn', countryCode: 'BE' }),
        }),
      'BAD_USER_INPUT',
      /^input\.city "Leuvn" is not a known city in BE; did you mean .*"Leuven"/,
    ],
    [
      'city without country',
      () => t.admin(CreateStakeholderDocument, { input: stakeholderInput({ location: null, city: 'Leuven' }) }),
      'BAD_USER_INPUT',
      /^input\.countryCode is required with city/,
    ],
    [
      'challenge whose schoolId is not a school',
      () =>
        t.admin(CreateChallengeDocument, {
          input: { schoolId: universityId, title: 'T', sdgs: [13], expertiseNeeded: ['Brand new tag D'] },
        }),
      'BAD_USER_INPUT',
      /^input\.schoolId must be a stakeholder of kind SCHOOL, got UNIVERSITY$/,
    ],
    [
      'challenge without SDGs',
      () => t.admin(CreateChallengeDocument, { input: { schoolId, title: 'T', sdgs: [], expertiseNeeded: [] } }),
      'BAD_USER_INPUT',
      /^input\.sdgs must name at least one SDG/,
    ],
    [
      'challenge with an unknown school',
      () =>
        t.admin(CreateChallengeDocument, {
          input: { schoolId: unknownId, title: 'T', sdgs: [13], expertiseNeeded: [] },
        }),
      'NOT_FOUND',
      /^Stakeholder "00000000-0000-4000-8000-000000000000" was not found$/,
    ],
    [
      'update of an unknown stakeholder',
      () => t.admin(UpdateStakeholderDocument, { id: unknownId, input: { name: 'x' } }),
      'NOT_FOUND',
      /was not found$/,
    ],
    [
      // The new expertise tag is written before the languages are checked: the transaction must undo it.
      'update with a bad language after a new expertise tag',
      () =>
        t.admin(UpdateStakeholderDocument, {
          id: universityId,
          input: { name: 'Should not stick', expertise: ['Brand new tag E'], languages: ['Dutch'] },
        }),
      'BAD_USER_INPUT',
      /^input\.languages\[0\] must be an ISO 639-1 language code like "nl", got "Dutch"$/,
    ],
    [
      'creation with a bad ISCED level after a new expertise tag',
      () =>
        t.admin(CreateStakeholderDocument, {
          input: stakeholderInput({ expertise: ['Brand new tag F'], educationLevels: [2, 9] }),
        }),
      'BAD_USER_INPUT',
      /^input\.educationLevels\[1\] must be between 0 and 8, got 9$/,
    ],
    [
      'invitation to a challenge that no longer exists',
      async () => {
        const c = expectData(
          await t.admin(CreateChallengeDocument, {
            input: { schoolId, title: 'Own', sdgs: [13], expertiseNeeded: [] },
          }),
        );
        await t.db.dataSource.query(`DELETE FROM challenge WHERE id = $1`, [c.createChallenge.id]);
        return t.admin(InvitePartnerDocument, { challengeId: c.createChallenge.id, stakeholderId: schoolId });
      },
      'NOT_FOUND',
      /^Challenge ".*" was not found$/,
    ],
    [
      'malformed id',
      () => t.admin(InvitePartnerDocument, { challengeId: 'abc', stakeholderId: schoolId }),
      'BAD_USER_INPUT',
      /^challengeId must be an ID returned by this API, got "abc"$/,
    ],
  ];

  it.each(cases)('%s', async (_name, send, code, message) => {
    const before = await snapshot();
    const result = await send();
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error.extensions?.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.extensions?.stacktrace).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an invitation when a live one exists, and the school itself', async () => {
    const c = expectData(
      await t.admin(CreateChallengeDocument, { input: { schoolId, title: 'Twice', sdgs: [13], expertiseNeeded: [] } }),
    ).createChallenge;
    expectData(await t.admin(InvitePartnerDocument, { challengeId: c.id, stakeholderId: universityId }));
    const again = await t.admin(InvitePartnerDocument, { challengeId: c.id, stakeholderId: universityId });
    expect(again.errors?.[0]).toMatchObject({
      message: 'KU Leuven is already invited to the challenge "Twice"',
      extensions: { code: 'CONFLICT', field: 'stakeholderId' },
    });
    // A family is named by the label anyone may see, not by its private name.
    const family = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: stakeholderInput({
          kind: 'FAMILY',
          name: 'Familie Peeters',
          consentGiven: true,
          city: 'Leuven',
          countryCode: 'BE',
          location: null,
        }),
      }),
    ).createStakeholder.id;
    expectData(await t.admin(InvitePartnerDocument, { challengeId: c.id, stakeholderId: family }));
    const twice = await t.admin(InvitePartnerDocument, { challengeId: c.id, stakeholderId: family });
    expect(twice.errors?.[0]?.message).toBe('Family in Leuven is already invited to the challenge "Twice"');
    const self = await t.admin(InvitePartnerDocument, { challengeId: c.id, stakeholderId: schoolId });
    expect(self.errors?.[0]).toMatchObject({
      message: 'stakeholderId must not be the school that posed the challenge',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('answers a wrongly typed variable with BAD_USER_INPUT from GraphQL itself', async () => {
    const { json } = await t.raw({
      query: 'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }',
      variables: { i: { kind: 'ALIEN' } },
    });
    expect(expectErrors(json)[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('hides internal errors: no SQL, no stack', async () => {
    // Break the database under the server: the next read fails inside PostgreSQL.
    await t.db.dataSource.query('ALTER TABLE sdg RENAME TO sdg_moved');
    try {
      const { json } = await t.raw({ query: '{ sdgs { id } }' });
      expect(json.errors).toEqual([
        {
          message: 'Internal server error',
          locations: [{ line: 1, column: 3 }],
          path: ['sdgs'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(json)).not.toMatch(/sdg_moved|relation|SELECT|at /);
    } finally {
      await t.db.dataSource.query('ALTER TABLE sdg_moved RENAME TO sdg');
    }
  });
});
