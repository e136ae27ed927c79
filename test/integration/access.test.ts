import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  ApiKeysDocument,
  ChallengeDocument,
  CreateApiKeyDocument,
  CreateApiKeyInput,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateMissionDocument,
  CreateStakeholderDocument,
  EraseStakeholderDocument,
  HubWithCoordinatorsDocument,
  ImportStakeholdersDocument,
  InviteOnceDocument,
  RespondOnceDocument,
  RevokeApiKeyDocument,
  StakeholderDocument,
  StakeholdersDocument,
  UpdateStakeholderDocument,
  ViewerDocument,
} from '../generated/graphql';
import { bearer, expectData, expectErrors, GraphQLResult, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const ids = {} as Record<'hubA' | 'hubB' | 'school' | 'family' | 'uni' | 'challenge', string>;
const keys = {} as Record<'coordA' | 'coordB' | 'portalA', { id: string; headers: Record<string, string> }>;
type Who = 'public' | 'admin' | keyof typeof keys;

/** Sends a typed document as `who`. */
async function as<T, V>(who: Who, doc: TypedDocumentNode<T, V>, variables: V): Promise<GraphQLResult<T>> {
  if (who === 'admin') return t.admin(doc, variables);
  return t.request(doc, variables, who === 'public' ? {} : keys[who].headers);
}

/**
 * A document of the role × operation matrix, which mixes documents: any typed document fits, its
 * result read as unknown and its variables left to the server to check.
 */
type MatrixDocument = TypedDocumentNode<unknown, never>;

// A digest of everything a write could touch: a refused call must leave it unchanged.
async function digest(): Promise<string> {
  const [row]: unknown[] = await t.db.dataSource.query(`SELECT
    (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM stakeholder) AS s,
    (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM challenge) AS c,
    (SELECT count(*) FROM hub) AS h, (SELECT count(*) FROM hub_member) AS m, (SELECT count(*) FROM mission) AS mi,
    (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM partnership) AS p,
    (SELECT count(*) || '/' || count(revoked_at) FROM api_key) AS k`);
  return JSON.stringify(row);
}

async function key(name: string, role: 'COORDINATOR' | 'PORTAL', hubIds: string[]) {
  const created = expectData(await t.admin(CreateApiKeyDocument, { input: { name, role, hubIds } })).createApiKey;
  return { id: created.apiKey.id, headers: bearer(created.secret) };
}

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string, coordinator: string) =>
    expectData(
      await t.admin(CreateHubDocument, {
        input: { name, coordinators: [{ name: coordinator, email: `${coordinator}@hub.example` }] },
      }),
    ).createHub.id;
  ids.hubA = await hub('Leuven makers', 'an');
  ids.hubB = await hub('Twente science hub', 'bert');
  keys.coordA = await key('Coordinator Leuven', 'COORDINATOR', [ids.hubA]);
  keys.coordB = await key('Coordinator Twente', 'COORDINATOR', [ids.hubB]);
  keys.portalA = await key('Leuven portal', 'PORTAL', [ids.hubA]);
  const create = async (input: Record<string, unknown>) =>
    expectData(
      await t.request(
        CreateStakeholderDocument,
        { input: { sdgs: [13], expertise: ['Hydrology'], city: 'Leuven', countryCode: 'BE', ...input } as never },
        keys.coordA.headers,
      ),
    ).createStakeholder.id;
  ids.school = await create({
    kind: 'SCHOOL',
    name: 'Sint-Pieterscollege',
    contactEmail: 'info@spc.example',
    hubIds: [ids.hubA],
  });
  ids.family = await create({
    kind: 'FAMILY',
    name: 'Familie Geheim',
    contactEmail: 'geheim@family.example',
    consentGiven: true,
    hubIds: [ids.hubA],
  });
  ids.uni = expectData(
    await t.admin(CreateStakeholderDocument, {
      input: {
        kind: 'UNIVERSITY',
        name: 'KU Leuven',
        sdgs: [13],
        expertise: ['Hydrology'],
        city: 'Leuven',
        countryCode: 'BE',
      },
    }),
  ).createStakeholder.id;
  ids.challenge = expectData(
    await t.request(
      CreateChallengeDocument,
      { input: { schoolId: ids.school, title: 'Floods', sdgs: [13], expertiseNeeded: ['Hydrology'] } },
      keys.coordA.headers,
    ),
  ).createChallenge.id;
});
afterAll(() => t?.stop());

describe('who may call each mutation (role × operation)', () => {
  const newSchool = (hubIds?: () => string[]) => ({
    kind: 'SCHOOL',
    name: 'New school',
    sdgs: [4],
    expertise: [],
    city: 'Leuven',
    countryCode: 'BE',
    hubIds: hubIds?.(),
  });
  // [operation, caller, document, variables (late: ids exist only after beforeAll), expected]
  const cases: [string, Who, MatrixDocument, () => unknown, 'UNAUTHENTICATED' | 'FORBIDDEN' | 'OK'][] = [
    ['createHub', 'public', CreateHubDocument, () => ({ input: { name: 'x' } }), 'UNAUTHENTICATED'],
    ['createHub', 'coordA', CreateHubDocument, () => ({ input: { name: 'x' } }), 'FORBIDDEN'],
    ['createHub', 'portalA', CreateHubDocument, () => ({ input: { name: 'x' } }), 'FORBIDDEN'],
    ['createMission', 'portalA', CreateMissionDocument, () => ({ input: { title: 'x', sdgs: [4] } }), 'FORBIDDEN'],
    ['createMission', 'coordB', CreateMissionDocument, () => ({ input: { title: 'Water', sdgs: [6] } }), 'OK'],
    ['createStakeholder', 'public', CreateStakeholderDocument, () => ({ input: newSchool() }), 'UNAUTHENTICATED'],
    [
      'createStakeholder',
      'portalA',
      CreateStakeholderDocument,
      () => ({ input: newSchool(() => [ids.hubA]) }),
      'FORBIDDEN',
    ],
    ['createStakeholder', 'coordA', CreateStakeholderDocument, () => ({ input: newSchool() }), 'FORBIDDEN'],
    [
      'createStakeholder',
      'coordA',
      CreateStakeholderDocument,
      () => ({ input: newSchool(() => [ids.hubB]) }),
      'FORBIDDEN',
    ],
    [
      'createStakeholder',
      'coordA',
      CreateStakeholderDocument,
      () => ({ input: newSchool(() => [ids.hubA, ids.hubB]) }),
      'FORBIDDEN',
    ],
    ['createStakeholder', 'coordA', CreateStakeholderDocument, () => ({ input: newSchool(() => [ids.hubA]) }), 'OK'],
    [
      'updateStakeholder',
      'public',
      UpdateStakeholderDocument,
      () => ({ id: ids.school, input: { capacity: 9 } }),
      'UNAUTHENTICATED',
    ],
    [
      'updateStakeholder',
      'coordB',
      UpdateStakeholderDocument,
      () => ({ id: ids.school, input: { capacity: 9 } }),
      'FORBIDDEN',
    ],
    [
      'updateStakeholder',
      'portalA',
      UpdateStakeholderDocument,
      () => ({ id: ids.school, input: { capacity: 9 } }),
      'FORBIDDEN',
    ],
    [
      'updateStakeholder',
      'coordA',
      UpdateStakeholderDocument,
      () => ({ id: ids.uni, input: { capacity: 9 } }),
      'FORBIDDEN',
    ],
    [
      'updateStakeholder',
      'coordA',
      UpdateStakeholderDocument,
      () => ({ id: ids.school, input: { capacity: 4 } }),
      'OK',
    ],
    [
      'createChallenge',
      'coordB',
      CreateChallengeDocument,
      () => ({ input: { schoolId: ids.school, title: 'x', sdgs: [4], expertiseNeeded: [] } }),
      'FORBIDDEN',
    ],
    [
      'createChallenge',
      'portalA',
      CreateChallengeDocument,
      () => ({ input: { schoolId: ids.school, title: 'x', sdgs: [4], expertiseNeeded: [] } }),
      'FORBIDDEN',
    ],
    [
      'createChallenge',
      'coordA',
      CreateChallengeDocument,
      () => ({ input: { schoolId: ids.school, title: 'x', sdgs: [4], expertiseNeeded: [], hubId: ids.hubB } }),
      'FORBIDDEN',
    ],
    [
      'invitePartner',
      'public',
      InviteOnceDocument,
      () => ({ challengeId: ids.challenge, stakeholderId: ids.uni }),
      'UNAUTHENTICATED',
    ],
    [
      'invitePartner',
      'coordB',
      InviteOnceDocument,
      () => ({ challengeId: ids.challenge, stakeholderId: ids.uni }),
      'FORBIDDEN',
    ],
    [
      'invitePartner',
      'portalA',
      InviteOnceDocument,
      () => ({ challengeId: ids.challenge, stakeholderId: ids.uni }),
      'OK',
    ],
    [
      'importStakeholders',
      'coordA',
      ImportStakeholdersDocument,
      () => ({ input: { format: 'CSV', content: 'record,externalId\n' } }),
      'FORBIDDEN',
    ],
    ['createApiKey', 'coordA', CreateApiKeyDocument, () => ({ input: { name: 'mine', role: 'ADMIN' } }), 'FORBIDDEN'],
    [
      'createApiKey',
      'public',
      CreateApiKeyDocument,
      () => ({ input: { name: 'mine', role: 'ADMIN' } }),
      'UNAUTHENTICATED',
    ],
    ['revokeApiKey', 'portalA', RevokeApiKeyDocument, () => ({ id: keys.coordA.id }), 'FORBIDDEN'],
    ['eraseStakeholder', 'coordB', EraseStakeholderDocument, () => ({ id: ids.family }), 'FORBIDDEN'],
    ['eraseStakeholder', 'portalA', EraseStakeholderDocument, () => ({ id: ids.family }), 'FORBIDDEN'],
    ['eraseStakeholder', 'public', EraseStakeholderDocument, () => ({ id: ids.family }), 'UNAUTHENTICATED'],
  ];

  it.each(cases)('%s as %s', async (operation, who, doc, variables, expected) => {
    const before = await digest();
    // Each row's variables are its own document's (no one type fits them all); the server checks them.
    const result = await as(who, doc, variables() as never);
    if (expected === 'OK') {
      expect(result.errors).toBeUndefined();
      expect(await digest()).not.toBe(before);
      return;
    }
    expect({ code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message }).toEqual({
      code: expected,
      message: expect.stringContaining(operation),
    });
    expect(result.errors?.[0]?.message).toContain(operation);
    expect(result.data ?? null).toBeNull();
    expect(await digest()).toBe(before);
  });

  it('lets a portal respond only for invitees of its hubs', async () => {
    const invited = expectData(
      await t.admin(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.family }),
    ).invitePartner;
    const other = (
      await t.request(
        CreateChallengeDocument,
        { input: { schoolId: ids.school, title: 'Bees', sdgs: [15], expertiseNeeded: [] } },
        keys.coordA.headers,
      )
    ).data!.createChallenge.id;
    const uniInvite = expectData(
      await t.admin(InviteOnceDocument, { challengeId: other, stakeholderId: ids.uni }),
    ).invitePartner;
    const before = await digest();
    const refused = await t.request(
      RespondOnceDocument,
      { partnershipId: uniInvite.id, accept: true },
      keys.portalA.headers,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await digest()).toBe(before);
    const ok = expectData(
      await t.request(RespondOnceDocument, { partnershipId: invited.id, accept: true }, keys.portalA.headers),
    );
    expect(ok.respondToInvitation.status).toBe('ACCEPTED');
  });
});

describe('who sees what (role × private field)', () => {
  const visible: Record<Who, boolean> = { admin: true, coordA: true, coordB: false, portalA: false, public: false };

  it.each(Object.entries(visible) as [Who, boolean][])('as %s: private fields shown = %s', async (who, shown) => {
    const family = (await as(who, StakeholderDocument, { id: ids.family })).data!.stakeholder!;
    const school = (await as(who, StakeholderDocument, { id: ids.school })).data!.stakeholder!;
    expect(family.name).toBe(shown ? 'Familie Geheim' : 'Family in Leuven');
    expect(family.contactEmail).toBe(shown ? 'geheim@family.example' : null);
    expect(school.name).toBe('Sint-Pieterscollege');
    expect(school.contactEmail).toBe(shown ? 'info@spc.example' : null);
    const hub = (await as(who, HubWithCoordinatorsDocument, { id: ids.hubA })).data!.hub!;
    expect(hub.coordinators[0].email).toBe(shown ? 'an@hub.example' : null);
    const found = (await as(who, StakeholdersDocument, { filter: { search: 'Geheim' } })).data!.stakeholders.totalCount;
    expect(found).toBe(shown ? 1 : 0);
  });
});

describe('API keys', () => {
  it('shows the secret once and stores only its hash', async () => {
    const created = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Hash check', role: 'PORTAL', hubIds: [ids.hubA] } }),
    ).createApiKey;
    expect(created.secret).toMatch(/^osm_[A-Za-z0-9_-]{43}$/);
    const [row]: { secret_hash: Buffer }[] = await t.db.dataSource.query('SELECT * FROM api_key WHERE id = $1', [
      created.apiKey.id,
    ]);
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(4));
    expect(Buffer.from(row.secret_hash).length).toBe(32);
    const listed = expectData(await t.admin(ApiKeysDocument, {})).apiKeys;
    expect(listed.map((k) => k.id)).toContain(created.apiKey.id);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(expectData(await t.request(ViewerDocument, {}, bearer(created.secret))).viewer).toEqual({
      role: 'PORTAL',
      hubIds: [ids.hubA],
      apiKeyId: created.apiKey.id,
    });
    expect(expectData(await t.request(ViewerDocument, {})).viewer.role).toBe('PUBLIC');
  });

  it('stops working the moment it is revoked', async () => {
    const created = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Short-lived', role: 'PORTAL', hubIds: [ids.hubA] } }),
    ).createApiKey;
    expect((await t.raw({ query: '{ viewer { role } }' }, bearer(created.secret))).status).toBe(200);
    expect(
      expectData(await t.admin(RevokeApiKeyDocument, { id: created.apiKey.id })).revokeApiKey.revokedAt,
    ).toBeTruthy();
    const after = await t.raw({ query: '{ viewer { role } }' }, bearer(created.secret));
    expect(after.status).toBe(401);
    expect(expectErrors(after.json)[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  /** A key's input as the table writes it: `hubIds: 'hubA'` stands for the hub made in beforeAll. */
  type TableInput = Omit<CreateApiKeyInput, 'hubIds'> & { hubIds?: 'hubA' | string[] };
  it.each<[TableInput, string, RegExp]>([
    [{ name: 'No hubs', role: 'COORDINATOR' }, 'input.hubIds', /at least one hub/],
    [
      { name: 'Admin with hubs', role: 'ADMIN', hubIds: ['00000000-0000-4000-8000-000000000000'] },
      'input.hubIds',
      /must be empty/,
    ],
    [
      { name: 'Bad origin', role: 'PORTAL', hubIds: 'hubA', allowedOrigins: ['https://portal.example/path'] },
      'input.allowedOrigins[0]',
      /must be an origin/,
    ],
    ...['https://*.example.org', 'https://portal*.example.org', 'http://*:8080'].map(
      (o): [TableInput, string, RegExp] => [
        { name: 'Wildcard origin', role: 'PORTAL', hubIds: 'hubA', allowedOrigins: ['https://ok.example', o] },
        'input.allowedOrigins[1]',
        /without wildcards/,
      ],
    ),
    [{ name: ' ', role: 'PORTAL', hubIds: 'hubA' }, 'input.name', /name/],
  ])('refuses %j with a message about %s', async (input, field, message) => {
    const before = await digest();
    const result = await t.admin(CreateApiKeyDocument, {
      input: { ...input, hubIds: input.hubIds === 'hubA' ? [ids.hubA] : input.hubIds },
    });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    expect(result.errors?.[0].message).toMatch(message);
    expect(await digest()).toBe(before);
  });
});

describe('consent and erasure', () => {
  it('refuses a family without recorded consent, writing nothing', async () => {
    const before = await digest();
    const result = await t.admin(CreateStakeholderDocument, {
      input: { kind: 'FAMILY', name: 'Familie Nee', sdgs: [3], expertise: [], city: 'Leuven', countryCode: 'BE' },
    });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.consentGiven' } });
    expect(result.errors?.[0].message).toMatch(/^input.consentGiven must be true/);
    expect(await digest()).toBe(before);
  });

  it('erases a family’s personal data for good while its partnership stays counted', async () => {
    const challenge = expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: ids.school, title: 'Family science', sdgs: [13], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
    expectData(await t.admin(InviteOnceDocument, { challengeId: challenge, stakeholderId: ids.family }));
    const partnerships = async () =>
      expectData(await t.admin(ChallengeDocument, { id: challenge })).challenge!.partnerships;
    const countBefore = (await partnerships()).length;
    expect(countBefore).toBe(1);
    const erased = expectData(
      await t.request(EraseStakeholderDocument, { id: ids.family }, keys.coordA.headers),
    ).eraseStakeholder;
    // Erasure also ends its hub memberships, so even its former coordinator sees only "A family".
    expect(erased).toMatchObject({ name: 'A family', kind: 'FAMILY', contactEmail: null, location: null });
    expect(expectData(await t.admin(StakeholderDocument, { id: ids.family })).stakeholder).toMatchObject({
      name: 'Erased stakeholder',
      city: null,
      contactEmail: null,
    });
    const [row]: { erased_at: Date | null }[] = await t.db.dataSource.query('SELECT * FROM stakeholder WHERE id = $1', [
      ids.family,
    ]);
    expect(JSON.stringify(row)).not.toMatch(/Geheim|geheim@family|Leuven/);
    expect(row.erased_at).toBeTruthy();
    expect(await partnerships()).toHaveLength(countBefore);
    const [{ n }]: { n: number }[] = await t.db.dataSource.query(
      'SELECT count(*)::int AS n FROM hub_member WHERE stakeholder_id = $1',
      [ids.family],
    );
    expect(n).toBe(0);
    expect(
      expectData(await t.admin(StakeholdersDocument, { filter: { search: 'Geheim' } })).stakeholders.totalCount,
    ).toBe(0);
    // An erased stakeholder cannot be brought back by an edit.
    const edit = await t.admin(UpdateStakeholderDocument, { id: ids.family, input: { name: 'Familie Geheim' } });
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
