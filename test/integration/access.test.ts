/**
 * Who may do what: every mutation called by each kind of caller (nobody, a coordinator of either
 * hub, a portal), and the private fields each of them sees. A refused call names its operation and
 * leaves every table as it was.
 */
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateApiKeyDocument,
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
} from '../generated/graphql';
import { expectData } from '../helpers/server';
import { twoHubs, Who } from '../helpers/two-hubs';

const world = twoHubs();
const { ids, keys, as, digest } = world;

/**
 * A document of the role × operation matrix, which mixes documents: any typed document fits, its
 * result read as unknown and its variables left to the server to check.
 */
type MatrixDocument = TypedDocumentNode<unknown, never>;

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
      await world.t.admin(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.family }),
    ).invitePartner;
    const other = (
      await world.t.request(
        CreateChallengeDocument,
        { input: { schoolId: ids.school, title: 'Bees', sdgs: [15], expertiseNeeded: [] } },
        keys.coordA.headers,
      )
    ).data!.createChallenge.id;
    const uniInvite = expectData(
      await world.t.admin(InviteOnceDocument, { challengeId: other, stakeholderId: ids.uni }),
    ).invitePartner;
    const before = await digest();
    const refused = await world.t.request(
      RespondOnceDocument,
      { partnershipId: uniInvite.id, accept: true },
      keys.portalA.headers,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await digest()).toBe(before);
    const ok = expectData(
      await world.t.request(RespondOnceDocument, { partnershipId: invited.id, accept: true }, keys.portalA.headers),
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
