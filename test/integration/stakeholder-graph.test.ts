import {
  ChallengeDocument,
  ChallengesDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateMissionDocument,
  CreateStakeholderDocument,
  ExpertiseSearchDocument,
  InvitePartnerDocument,
  RegionsDocument,
  RespondToInvitationDocument,
  SdgsDocument,
  StakeholderDocument,
  StakeholdersDocument,
  UpdateChallengeDocument,
  UpdateStakeholderDocument,
} from '../generated/graphql';
import { stakeholderInput } from '../helpers/fixtures';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

async function create(overrides: Parameters<typeof stakeholderInput>[0] = {}) {
  return expectData(await t.admin(CreateStakeholderDocument, { input: stakeholderInput(overrides) })).createStakeholder;
}

describe('reference data', () => {
  it('has the 17 SDGs in English and Dutch', async () => {
    const { sdgs } = expectData(await t.request(SdgsDocument));
    expect(sdgs).toHaveLength(17);
    expect(sdgs[12]).toEqual({ id: 13, code: 'SDG 13', title: 'Climate action', titleNl: 'Klimaatactie' });
    expect(sdgs.every((s) => s.title && s.titleNl)).toBe(true);
  });

  it('has every country and the Dutch and Belgian subdivisions', async () => {
    const all = expectData(await t.request(RegionsDocument, {})).regions;
    expect(all.filter((r) => r.code.length === 2).length).toBeGreaterThanOrEqual(249);
    const nl = expectData(await t.request(RegionsDocument, { countryCode: 'nl' })).regions;
    expect(nl.map((r) => r.code)).toEqual(expect.arrayContaining(['NL', 'NL-OV', 'NL-ZH', 'NL-LI']));
    expect(nl.filter((r) => r.code.startsWith('NL-'))).toHaveLength(12);
    const be = expectData(await t.request(RegionsDocument, { countryCode: 'BE' })).regions;
    const vbr = be.find((r) => r.code === 'BE-VBR')!;
    expect(vbr.parent?.code).toBe('BE-VLG');
    expect(be.filter((r) => r.code.startsWith('BE-'))).toHaveLength(13);
  });
});

describe('stakeholders', () => {
  it('geocodes a city offline and derives the region', async () => {
    const s = await create({
      location: null,
      city: 'Enschede',
      countryCode: 'NL',
      kind: 'SCHOOL' as never,
      name: 'Stedelijk Lyceum',
    });
    expect(s.location!.latitude).toBeCloseTo(52.22, 1);
    expect(s.location!.longitude).toBeCloseTo(6.9, 1);
    expect(s.region).toEqual({ code: 'NL-OV', name: 'Overijssel' });
    expect(s.countryCode).toBe('NL');
  });

  it('derives the region from an explicit location, and keeps a given one', async () => {
    expect((await create()).region?.code).toBe('BE-VBR');
    expect((await create({ regionCode: 'be-vlg' })).region?.code).toBe('BE-VLG');
  });

  it('refuses a region of another country than the one given, on create and on update', async () => {
    const created = await t.admin(CreateStakeholderDocument, {
      input: stakeholderInput({ countryCode: 'BE', regionCode: 'NL-OV' }),
    });
    expect(created.errors?.[0]).toMatchObject({
      message: 'input.regionCode must be a region of countryCode BE, got "NL-OV"',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.regionCode' },
    });
    const s = await create();
    const updated = await t.admin(UpdateStakeholderDocument, { id: s.id, input: { regionCode: 'DE-BY' } });
    expect(updated.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.regionCode' } });
    // A country's own regions, and the country itself, are fine.
    expect((await create({ countryCode: 'BE', regionCode: 'BE' })).region?.code).toBe('BE');
  });

  it('creates expertise on first use and matches case- and accent-insensitively', async () => {
    const a = await create({ expertise: ['Wáter  Management', 'Quantum dots'] });
    const b = await create({ expertise: ['water-management', 'QUANTUM DOTS'] });
    expect(a.expertise.map((e) => e.slug)).toEqual(['water-management', 'quantum-dots']);
    expect(b.expertise.map((e) => e.slug)).toEqual(['water-management', 'quantum-dots']);
    const found = expectData(await t.request(ExpertiseSearchDocument, { search: 'quantum' })).expertise;
    expect(found.filter((e) => e.slug === 'quantum-dots')).toHaveLength(1);
    // Seeded tags keep their place in the taxonomy.
    expect(a.expertise[0].label).toBe('Water management');
  });

  it('updates only the given fields', async () => {
    const s = await create({ description: 'keep me', capacity: 4 });
    const u = expectData(
      await t.admin(UpdateStakeholderDocument, {
        id: s.id,
        input: { name: 'Renamed', sdgs: [4, 6], city: 'Namur', countryCode: 'BE' },
      }),
    ).updateStakeholder;
    expect(u).toMatchObject({ name: 'Renamed', description: 'keep me', capacity: 4, sdgs: [{ id: 4 }, { id: 6 }] });
    expect(u.region?.code).toBe('BE-WNA');
    expect(new Date(u.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(s.updatedAt).getTime());
    const read = expectData(await t.request(StakeholderDocument, { id: s.id })).stakeholder;
    expect(read?.name).toBe('Renamed');
  });

  it('returns null for an unknown id', async () => {
    expect(
      expectData(await t.request(StakeholderDocument, { id: '00000000-0000-4000-8000-000000000000' })).stakeholder,
    ).toBeNull();
  });

  it('pages with Relay cursors and filters', async () => {
    const tag = `Paging ${Date.now()}`;
    for (let i = 0; i < 5; i++) await create({ name: `${tag} ${i}`, kind: 'MEDIA' as never, sdgs: [16] });
    const first = expectData(await t.request(StakeholdersDocument, { filter: { search: tag }, first: 2 })).stakeholders;
    expect(first.totalCount).toBe(5);
    expect(first.edges.map((e) => e.node.name)).toEqual([`${tag} 0`, `${tag} 1`]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = expectData(
      await t.request(StakeholdersDocument, { filter: { search: tag }, first: 10, after: first.pageInfo.endCursor }),
    ).stakeholders;
    expect(second.edges.map((e) => e.node.name)).toEqual([`${tag} 2`, `${tag} 3`, `${tag} 4`]);
    expect(second.pageInfo.hasNextPage).toBe(false);

    const media = expectData(
      await t.request(StakeholdersDocument, { filter: { kinds: ['MEDIA' as never], sdgs: [16] }, first: 100 }),
    );
    expect(media.stakeholders.totalCount).toBe(5);
    const inFlanders = expectData(
      await t.request(StakeholdersDocument, { filter: { regionCode: 'BE-VLG', search: tag }, first: 100 }),
    );
    expect(inFlanders.stakeholders.totalCount).toBe(5); // BE-VBR lies in BE-VLG
    const nearNamur = expectData(
      await t.request(StakeholdersDocument, {
        filter: { near: { latitude: 50.47, longitude: 4.87, radiusKm: 20 }, search: tag },
      }),
    );
    expect(nearNamur.stakeholders.totalCount).toBe(0);
    const nearLeuven = expectData(
      await t.request(StakeholdersDocument, {
        filter: { near: { latitude: 50.88, longitude: 4.7, radiusKm: 5 }, search: tag },
      }),
    );
    expect(nearLeuven.stakeholders.totalCount).toBe(5);
  });

  it.each([
    ['%', '100% Solar'],
    ['_', 'Lab_Works'],
    ['\\', 'Back\\Slash Media'],
    ['0% S', '100% Solar'],
    ['B_W', null],
  ])('searches for %j as written, not as a LIKE pattern', async (search, only) => {
    for (const name of ['100% Solar', 'Lab_Works', 'Back\\Slash Media', 'Labyworks', 'BxW']) await create({ name });
    const found = expectData(await t.request(StakeholdersDocument, { filter: { search }, first: 100 })).stakeholders;
    const names = new Set(found.edges.map((e) => e.node.name));
    for (const name of ['Labyworks', 'BxW']) expect(names.has(name)).toBe(false);
    if (only) expect(names.has(only)).toBe(true);
    expect([...names].every((n) => n.toLowerCase().includes(search.toLowerCase()))).toBe(true);
  });
});

describe('challenges, hubs, missions and partnerships', () => {
  it('runs an invitation from challenge to accepted partnership', async () => {
    const school = await create({
      kind: 'SCHOOL' as never,
      name: 'Het Zweringcollege',
      city: 'Oldenzaal',
      countryCode: 'NL',
      location: null,
    });
    const partner = await create({ name: 'Waterschap Vechtstromen', kind: 'GOVERNMENT' as never, capacity: 1 });
    const hub = expectData(
      await t.admin(CreateHubDocument, {
        input: {
          name: 'Twente Hub',
          regionCode: 'NL-OV',
          memberIds: [school.id, partner.id],
          coordinators: [{ name: 'Anouk', email: 'anouk@example.org' }],
        },
      }),
    ).createHub;
    expect(hub.members.map((m) => m.id).sort()).toEqual([school.id, partner.id].sort());
    const mission = expectData(
      await t.admin(CreateMissionDocument, { input: { title: 'Climate-proof', sdgs: [13] } }),
    ).createMission;

    const challenge = expectData(
      await t.admin(CreateChallengeDocument, {
        input: {
          schoolId: school.id,
          title: 'Floods',
          sdgs: [13, 6],
          expertiseNeeded: ['Hydrology'],
          hubId: hub.id,
          missionId: mission.id,
        },
      }),
    ).createChallenge;
    expect(challenge).toMatchObject({
      phase: 'IDEA',
      radiusKm: 50,
      wantedKinds: [],
      school: { id: school.id },
      hub: { id: hub.id },
      mission: { id: mission.id },
      region: { code: 'NL-OV' },
      location: school.location,
    });

    const updated = expectData(
      await t.admin(UpdateChallengeDocument, { id: challenge.id, input: { phase: 'RUNNING' as never, radiusKm: 25 } }),
    );
    expect(updated.updateChallenge).toMatchObject({ phase: 'RUNNING', radiusKm: 25, title: 'Floods' });

    const invited = expectData(
      await t.admin(InvitePartnerDocument, {
        challengeId: challenge.id,
        stakeholderId: partner.id,
        message: 'Join us?',
      }),
    );
    expect(invited.invitePartner).toMatchObject({
      status: 'INVITED',
      message: 'Join us?',
      history: [{ status: 'INVITED', note: 'Join us?' }],
    });
    const accepted = expectData(
      await t.admin(RespondToInvitationDocument, { partnershipId: invited.invitePartner.id, accept: true }),
    );
    expect(accepted.respondToInvitation).toMatchObject({
      status: 'ACCEPTED',
      history: [{ status: 'INVITED' }, { status: 'ACCEPTED' }],
    });

    const read = expectData(await t.request(ChallengeDocument, { id: challenge.id })).challenge;
    expect(read?.partnerships).toEqual([{ id: invited.invitePartner.id, status: 'ACCEPTED' }]);
    const bySchool = expectData(await t.request(ChallengesDocument, { filter: { schoolId: school.id } })).challenges;
    expect(bySchool.totalCount).toBe(1);
    const byMission = expectData(
      await t.request(ChallengesDocument, { filter: { missionId: mission.id, phases: ['RUNNING' as never] } }),
    );
    expect(byMission.challenges.edges.map((e) => e.node.id)).toEqual([challenge.id]);
  });
});
