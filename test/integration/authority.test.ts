/**
 * Authority comes from ownership: whatever sequence of calls a COORDINATOR or PORTAL key makes,
 * it never gains rights over what another hub holds. fast-check draws the sequences from every
 * write these roles may call, with ids from both sides; after each sequence every kind of right
 * over the other hub's stakeholders, challenges and invitations is tried again, and must still
 * be refused (and nothing of the other hub may have changed).
 */
import fc from 'fast-check';
import {
  AddHubMembersDocument,
  ChallengeCorrespondenceDocument,
  ChallengeDocument,
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  EraseStakeholderDocument,
  InviteOnceDocument,
  InvitePartnerDocument,
  RespondOnceDocument,
  StakeholderDocument,
  UpdateChallengeDocument,
  UpdateStakeholderDocument,
} from '../generated/graphql';
import { bearer, expectData, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';

let t: TestServer;
type Actor = 'coordA' | 'coordAC' | 'portalA';
const headers = {} as Record<Actor, Record<string, string>>;
const hubs = {} as Record<'A' | 'B' | 'C', string>;
/** The other hub's things, which no actor may ever gain rights over. */
const foreign = {} as Record<
  'school' | 'family' | 'org' | 'challenge' | 'partnership' | 'shared' | 'bothHubsChallenge',
  string
>;
/** A school in both hubs A and B, and its challenge that hub A holds with no hub set. */
let bothHubsSchool = '';
let hublessChallenge = '';
/** Ids the actors may name: their own and the foreign ones (and what they create on the way). */
const pool = { stakeholders: [] as string[], challenges: [] as string[], partnerships: [] as string[] };

const place = { city: 'Leuven', countryCode: 'BE', sdgs: [13], expertise: ['Hydrology'] };

async function foreignDigest(): Promise<string> {
  const [row]: unknown[] = await t.db.dataSource.query(
    `SELECT
      (SELECT json_agg(json_build_object('id', id, 'u', updated_at, 'e', erased_at) ORDER BY id)
         FROM stakeholder WHERE id = ANY($1::uuid[])) AS s,
      (SELECT json_agg(json_build_object('h', hub_id, 's', stakeholder_id) ORDER BY hub_id, stakeholder_id)
         FROM hub_member
         WHERE stakeholder_id = ANY($1::uuid[]) OR (hub_id = $2 AND stakeholder_id <> $5)) AS m,
      (SELECT json_agg(json_build_object('id', id, 'u', updated_at, 'h', hub_id) ORDER BY id)
         FROM challenge WHERE id = ANY($3::uuid[])) AS c,
      (SELECT json_agg(json_build_object('id', id, 'st', status, 'u', updated_at))
         FROM partnership WHERE id = $4) AS p`,
    [
      [foreign.school, foreign.family, foreign.org, foreign.shared],
      hubs.B,
      [foreign.challenge, foreign.bothHubsChallenge],
      foreign.partnership,
      // Hub A holds this school too: A may edit or erase it (and erasure ends every membership).
      bothHubsSchool,
    ],
  );
  return JSON.stringify(row);
}

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  hubs.A = await hub('Leuven makers');
  hubs.B = await hub('Twente science hub');
  hubs.C = await hub('Limburg STEM');
  const key = async (name: string, role: 'COORDINATOR' | 'PORTAL', hubIds: string[]) =>
    bearer(expectData(await t.admin(CreateApiKeyDocument, { input: { name, role, hubIds } })).createApiKey.secret);
  headers.coordA = await key('Coordinator A', 'COORDINATOR', [hubs.A]);
  headers.coordAC = await key('Coordinator A and C', 'COORDINATOR', [hubs.A, hubs.C]);
  headers.portalA = await key('Portal A', 'PORTAL', [hubs.A]);
  const stakeholder = async (input: Record<string, unknown>) =>
    expectData(await t.admin(CreateStakeholderDocument, { input: { ...place, ...input } as never })).createStakeholder
      .id;
  foreign.school = await stakeholder({ kind: 'SCHOOL', name: 'Twente college', hubIds: [hubs.B] });
  foreign.family = await stakeholder({
    kind: 'FAMILY',
    name: 'Familie Verborgen',
    contactEmail: 'verborgen@family.example',
    consentGiven: true,
    underservedContexts: ['ETHNIC_MINORITY'],
    hubIds: [hubs.B],
  });
  foreign.org = await stakeholder({ kind: 'CIVIL_SOCIETY', name: 'Twente water NGO', hubIds: [hubs.B] });
  // Not in any hub: only ADMIN manages it.
  foreign.shared = await stakeholder({ kind: 'UNIVERSITY', name: 'Unaffiliated university' });
  foreign.challenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: foreign.school, hubId: hubs.B, title: 'Twente floods', sdgs: [13], expertiseNeeded: [] },
    }),
  ).createChallenge.id;
  foreign.partnership = expectData(
    await t.admin(InviteOnceDocument, { challengeId: foreign.challenge, stakeholderId: foreign.family }),
  ).invitePartner.id;
  const ownSchool = await stakeholder({ kind: 'SCHOOL', name: 'Leuven college', hubIds: [hubs.A] });
  const ownOrg = await stakeholder({ kind: 'INDUSTRY', name: 'Leuven sensors', hubIds: [hubs.A] });
  const ownChallenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: ownSchool, hubId: hubs.A, title: 'Leuven air', sdgs: [13], expertiseNeeded: [] },
    }),
  ).createChallenge.id;
  // A school both hubs work with: its challenge posted for hub B stays hub B's, though the school
  // is in hub A too; its challenge with no hub is managed through the school, by either hub.
  bothHubsSchool = await stakeholder({ kind: 'SCHOOL', name: 'Border college', hubIds: [hubs.A, hubs.B] });
  foreign.bothHubsChallenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: bothHubsSchool, hubId: hubs.B, title: 'Border river', sdgs: [13], expertiseNeeded: [] },
    }),
  ).createChallenge.id;
  hublessChallenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: bothHubsSchool, title: 'Border bees', sdgs: [15], expertiseNeeded: [] },
    }),
  ).createChallenge.id;
  pool.stakeholders.push(...Object.values(foreign).slice(0, 3), foreign.shared, ownSchool, ownOrg, bothHubsSchool);
  pool.challenges.push(foreign.challenge, foreign.bothHubsChallenge, ownChallenge, hublessChallenge);
  pool.partnerships.push(foreign.partnership);
});
afterAll(() => t?.stop());

const pick = <T>(list: () => T[]) => fc.nat().map((n) => () => list()[n % list().length]);
const hubArb = fc.constantFrom<'A' | 'B' | 'C'>('A', 'B', 'C');

/** One call an actor might make, with arguments drawn from both sides. */
const command = fc.oneof(
  fc.record({
    op: fc.constant('addHubMembers' as const),
    hub: hubArb,
    ids: fc.array(
      pick(() => pool.stakeholders),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    op: fc.constant('createStakeholder' as const),
    hubs: fc.subarray(['A', 'B', 'C'] as const),
    kind: fc.constantFrom('SCHOOL', 'CIVIL_SOCIETY'),
  }),
  fc.record({ op: fc.constant('updateStakeholder' as const), id: pick(() => pool.stakeholders) }),
  fc.record({ op: fc.constant('eraseStakeholder' as const), id: pick(() => pool.stakeholders) }),
  fc.record({
    op: fc.constant('createChallenge' as const),
    school: pick(() => pool.stakeholders),
    hub: fc.option(hubArb),
  }),
  fc.record({ op: fc.constant('updateChallenge' as const), id: pick(() => pool.challenges), hub: hubArb }),
  fc.record({
    op: fc.constant('invitePartner' as const),
    challenge: pick(() => pool.challenges),
    id: pick(() => pool.stakeholders),
  }),
  fc.record({
    op: fc.constant('respondToInvitation' as const),
    id: pick(() => pool.partnerships),
    accept: fc.boolean(),
  }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

async function run(actor: Actor, c: Command): Promise<void> {
  const h = headers[actor];
  switch (c.op) {
    case 'addHubMembers':
      await t.request(AddHubMembersDocument, { hubId: hubs[c.hub], stakeholderIds: c.ids.map((f) => f()) }, h);
      return;
    case 'createStakeholder': {
      const r = await t.request(
        CreateStakeholderDocument,
        { input: { ...place, kind: c.kind as never, name: `Made by ${actor}`, hubIds: c.hubs.map((x) => hubs[x]) } },
        h,
      );
      if (r.data) pool.stakeholders.push(r.data.createStakeholder.id);
      return;
    }
    case 'updateStakeholder':
      await t.request(UpdateStakeholderDocument, { id: c.id(), input: { contactEmail: 'attacker@evil.example' } }, h);
      return;
    case 'eraseStakeholder':
      await t.request(EraseStakeholderDocument, { id: c.id() }, h);
      return;
    case 'createChallenge': {
      const input = {
        schoolId: c.school(),
        hubId: c.hub ? hubs[c.hub] : null,
        title: 'x',
        sdgs: [13],
        expertiseNeeded: [],
      };
      const r = await t.request(CreateChallengeDocument, { input }, h);
      if (r.data) pool.challenges.push(r.data.createChallenge.id);
      return;
    }
    case 'updateChallenge':
      await t.request(UpdateChallengeDocument, { id: c.id(), input: { hubId: hubs[c.hub] } }, h);
      return;
    case 'invitePartner': {
      const r = await t.request(InviteOnceDocument, { challengeId: c.challenge(), stakeholderId: c.id() }, h);
      if (r.data) pool.partnerships.push(r.data.invitePartner.id);
      return;
    }
    case 'respondToInvitation':
      await t.request(RespondOnceDocument, { partnershipId: c.id(), accept: c.accept }, h);
      return;
  }
}

/** Every right over the other hub's things, tried once more: each must be refused. */
async function expectNoForeignRights(actor: Actor): Promise<void> {
  const h = headers[actor];
  const refused = async (result: Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>) =>
    expect((await result).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  for (const id of [foreign.school, foreign.family, foreign.org, foreign.shared]) {
    await refused(t.request(UpdateStakeholderDocument, { id, input: { capacity: 1 } }, h));
    await refused(t.request(EraseStakeholderDocument, { id }, h));
    await refused(t.request(AddHubMembersDocument, { hubId: hubs.A, stakeholderIds: [id] }, h));
  }
  await refused(t.request(RespondOnceDocument, { partnershipId: foreign.partnership, accept: true }, h));
  await refused(t.request(InviteOnceDocument, { challengeId: foreign.challenge, stakeholderId: foreign.org }, h));
  for (const challengeId of [foreign.challenge, foreign.bothHubsChallenge]) {
    await refused(t.request(InviteOnceDocument, { challengeId, stakeholderId: foreign.org }, h));
    await refused(t.request(UpdateChallengeDocument, { id: challengeId, input: { title: 'Mine now' } }, h));
  }
  await refused(
    t.request(
      CreateChallengeDocument,
      { input: { schoolId: foreign.school, hubId: hubs.A, title: 'In their name', sdgs: [13], expertiseNeeded: [] } },
      h,
    ),
  );
  const family = expectData(await t.request(StakeholderDocument, { id: foreign.family }, h)).stakeholder!;
  expect(family).toMatchObject({ name: 'Family in Leuven', contactEmail: null, underservedContexts: [] });
  const challenge = expectData(await t.request(ChallengeDocument, { id: foreign.challenge }, h)).challenge!;
  expect(challenge.hub?.id).toBe(hubs.B);
}

describe('no sequence of calls yields rights outside the caller’s hubs', () => {
  it.each<Actor>(['coordA', 'coordAC', 'portalA'])('as %s', async (actor) => {
    const before = await foreignDigest();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 6 }), async (commands) => {
        for (const c of commands) await run(actor, c);
        await expectNoForeignRights(actor);
        expect(await foreignDigest()).toBe(before);
      }),
      { numRuns: 15 },
    );
  });

  it('lets either hub of a shared school manage its challenge that names no hub', async () => {
    // Fresh ones: the sequences above may have moved or erased the shared ones (within their rights).
    const school = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: { ...place, kind: 'SCHOOL', name: 'Second border college', hubIds: [hubs.A, hubs.B] } as never,
      }),
    ).createStakeholder.id;
    const id = expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: school, title: 'Border birds', sdgs: [15], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
    for (const actor of ['coordA', 'coordAC'] as const) {
      const r = await t.request(UpdateChallengeDocument, { id, input: { title: `Birds (${actor})` } }, headers[actor]);
      expect(r.errors).toBeUndefined();
    }
  });

  /** A fresh school in the given hubs (a look-alike of the last one, on purpose), with a challenge for `hubId`. */
  async function schoolWithChallenge(schoolHubs: string[], hubId: string | null) {
    const name = `School of ${schoolHubs.length} hubs`;
    const school = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: { ...place, kind: 'SCHOOL', name, hubIds: schoolHubs, allowDuplicate: true } as never,
      }),
    ).createStakeholder.id;
    return expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: school, hubId, title: 'Shared rivers', sdgs: [6], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
  }

  it.each([
    // [the challenge's hub, the school's hubs, may coordA and coordAC read the invitation's words]
    ['hub B', 'B', ['A', 'B'], false],
    ['no hub', null, ['A', 'B'], true],
    ['hub A', 'A', ['B'], true],
  ] as const)('shows invitation words on a challenge for %s as its rights go', async (_, hub, schoolHubs, mayRead) => {
    const id = await schoolWithChallenge(
      schoolHubs.map((h) => hubs[h]),
      hub && hubs[hub],
    );
    // The invitee is hub B's only, so nothing but the challenge's rights can show coordA the words.
    expectData(
      await t.admin(InvitePartnerDocument, { challengeId: id, stakeholderId: foreign.org, message: 'Private words' }),
    );
    const words = async (h: Record<string, string>) => {
      const c = expectData(await t.request(ChallengeCorrespondenceDocument, { id }, h)).challenge!;
      return c.partnerships.map((p) => [p.message, ...p.history.map((e) => e.note)].filter((x) => x !== null));
    };
    expect((await words(bearer(TEST_ADMIN_KEY)))[0]).toContain('Private words');
    for (const actor of ['coordA', 'coordAC'] as const)
      expect((await words(headers[actor]))[0].length > 0).toBe(mayRead);
    expect(await words({})).toEqual([[]]);
  });

  it.each([
    // [the school's hubs, may coordA file its challenge with no hub under hub A]
    [['A', 'B'], false],
    [['A'], true],
    [['A', 'C'], false],
  ] as const)(
    'lets a hub take a challenge with no hub (school in %j) only with every hub managing it',
    async (schoolHubs, may) => {
      const id = await schoolWithChallenge(
        schoolHubs.map((h) => hubs[h]),
        null,
      );
      const r = await t.request(UpdateChallengeDocument, { id, input: { hubId: hubs.A } }, headers.coordA);
      const hub = expectData(await t.admin(ChallengeDocument, { id })).challenge!.hub;
      if (may) {
        expect(r.errors).toBeUndefined();
        expect(hub?.id).toBe(hubs.A);
      } else {
        expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(hub).toBeNull();
      }
      // A key for every hub managing it may (coordAC coordinates A and C).
      if (schoolHubs.join() === 'A,C')
        expect(
          (await t.request(UpdateChallengeDocument, { id, input: { hubId: hubs.A } }, headers.coordAC)).errors,
        ).toBeUndefined();
    },
  );

  it('still lets a coordinator share what it manages between its own hubs', async () => {
    const id = expectData(
      await t.request(
        CreateStakeholderDocument,
        { input: { ...place, kind: 'CIVIL_SOCIETY', name: 'Shared between A and C', hubIds: [hubs.A] } },
        headers.coordAC,
      ),
    ).createStakeholder.id;
    expectData(await t.request(AddHubMembersDocument, { hubId: hubs.C, stakeholderIds: [id] }, headers.coordAC));
    const seen = expectData(await t.request(StakeholderDocument, { id }, headers.coordAC)).stakeholder!;
    expect(seen.hubs.map((x) => x.id).sort()).toEqual([hubs.A, hubs.C].sort());
  });
});
