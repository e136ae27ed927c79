/**
 * API keys (a secret shown once, stored as a hash, dead once revoked, checked as it is made) and
 * a family's personal data (consent before it is stored, erasure for good).
 */
import {
  ApiKeysDocument,
  ChallengeDocument,
  CreateApiKeyDocument,
  CreateApiKeyInput,
  CreateChallengeDocument,
  CreateStakeholderDocument,
  EraseStakeholderDocument,
  InviteOnceDocument,
  RevokeApiKeyDocument,
  StakeholderDocument,
  StakeholdersDocument,
  UpdateStakeholderDocument,
  ViewerDocument,
} from '../generated/graphql';
import { bearer, expectData, expectErrors } from '../helpers/server';
import { twoHubs } from '../helpers/two-hubs';

const world = twoHubs();
const { ids, keys, digest } = world;

describe('API keys', () => {
  it('shows the secret once and stores only its hash', async () => {
    const created = expectData(
      await world.t.admin(CreateApiKeyDocument, { input: { name: 'Hash check', role: 'PORTAL', hubIds: [ids.hubA] } }),
    ).createApiKey;
    expect(created.secret).toMatch(/^osm_[A-Za-z0-9_-]{43}$/);
    const [row]: { secret_hash: Buffer }[] = await world.t.db.dataSource.query('SELECT * FROM api_key WHERE id = $1', [
      created.apiKey.id,
    ]);
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(4));
    expect(Buffer.from(row.secret_hash).length).toBe(32);
    const listed = expectData(await world.t.admin(ApiKeysDocument, {})).apiKeys;
    expect(listed.map((k) => k.id)).toContain(created.apiKey.id);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(expectData(await world.t.request(ViewerDocument, {}, bearer(created.secret))).viewer).toEqual({
      role: 'PORTAL',
      hubIds: [ids.hubA],
      apiKeyId: created.apiKey.id,
    });
    expect(expectData(await world.t.request(ViewerDocument, {})).viewer.role).toBe('PUBLIC');
  });

  it('stops working the moment it is revoked', async () => {
    const created = expectData(
      await world.t.admin(CreateApiKeyDocument, { input: { name: 'Short-lived', role: 'PORTAL', hubIds: [ids.hubA] } }),
    ).createApiKey;
    expect((await world.t.raw({ query: '{ viewer { role } }' }, bearer(created.secret))).status).toBe(200);
    expect(
      expectData(await world.t.admin(RevokeApiKeyDocument, { id: created.apiKey.id })).revokeApiKey.revokedAt,
    ).toBeTruthy();
    const after = await world.t.raw({ query: '{ viewer { role } }' }, bearer(created.secret));
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
    const result = await world.t.admin(CreateApiKeyDocument, {
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
    const result = await world.t.admin(CreateStakeholderDocument, {
      input: { kind: 'FAMILY', name: 'Familie Nee', sdgs: [3], expertise: [], city: 'Leuven', countryCode: 'BE' },
    });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.consentGiven' } });
    expect(result.errors?.[0].message).toMatch(/^input.consentGiven must be true/);
    expect(await digest()).toBe(before);
  });

  it('erases a family’s personal data for good while its partnership stays counted', async () => {
    const challenge = expectData(
      await world.t.admin(CreateChallengeDocument, {
        input: { schoolId: ids.school, title: 'Family science', sdgs: [13], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
    expectData(await world.t.admin(InviteOnceDocument, { challengeId: challenge, stakeholderId: ids.family }));
    const partnerships = async () =>
      expectData(await world.t.admin(ChallengeDocument, { id: challenge })).challenge!.partnerships;
    const countBefore = (await partnerships()).length;
    expect(countBefore).toBe(1);
    const erased = expectData(
      await world.t.request(EraseStakeholderDocument, { id: ids.family }, keys.coordA.headers),
    ).eraseStakeholder;
    // Erasure also ends its hub memberships, so even its former coordinator sees only "A family".
    expect(erased).toMatchObject({ name: 'A family', kind: 'FAMILY', contactEmail: null, location: null });
    expect(expectData(await world.t.admin(StakeholderDocument, { id: ids.family })).stakeholder).toMatchObject({
      name: 'Erased stakeholder',
      city: null,
      contactEmail: null,
    });
    const [row]: { erased_at: Date | null }[] = await world.t.db.dataSource.query(
      'SELECT * FROM stakeholder WHERE id = $1',
      [ids.family],
    );
    expect(JSON.stringify(row)).not.toMatch(/Geheim|geheim@family|Leuven/);
    expect(row.erased_at).toBeTruthy();
    expect(await partnerships()).toHaveLength(countBefore);
    const [{ n }]: { n: number }[] = await world.t.db.dataSource.query(
      'SELECT count(*)::int AS n FROM hub_member WHERE stakeholder_id = $1',
      [ids.family],
    );
    expect(n).toBe(0);
    expect(
      expectData(await world.t.admin(StakeholdersDocument, { filter: { search: 'Geheim' } })).stakeholders.totalCount,
    ).toBe(0);
    // An erased stakeholder cannot be brought back by an edit.
    const edit = await world.t.admin(UpdateStakeholderDocument, { id: ids.family, input: { name: 'Familie Geheim' } });
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
