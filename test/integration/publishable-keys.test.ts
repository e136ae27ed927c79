/**
 * A publishable key (`pk_…`) sits in public HTML: whoever reads the page holds it. These tables
 * try, over HTTP and WebSocket, every write and every keyed read such a key could attempt, from
 * its own origin, from none (curl), from another site and from this service's own pages; and
 * they check that such a key is made only as one (origins, no hubs). What it may read, and the
 * page it is shown on, are publishable-key-widget.test.ts.
 */
import { GraphQLSchema } from 'graphql';
import { MUTATION_ROLES, QUERY_ROLES } from '../../src/graphql/access';
import { buildSchema } from '../../src/graphql/build-schema';
import {
  ActivityDocument,
  AddHubMembersDocument,
  ApiKeysDocument,
  ApproveInvitationDocument,
  CompletePartnershipDocument,
  CreateApiKeyDocument,
  CreateApiKeyInput,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateMissionDocument,
  CreateStakeholderDocument,
  DismissSuggestionDocument,
  EraseStakeholderDocument,
  HubBoardDocument,
  ImportStakeholdersDocument,
  InvitationDraftDocument,
  InviteOnceDocument,
  PartnershipChangedDocument,
  RemoveFromShortlistDocument,
  RespondOnceDocument,
  RevokeApiKeyDocument,
  ShortlistPartnerDocument,
  UndoDismissalDocument,
  UpdateChallengeDocument,
  UpdateHubDocument,
  UpdateStakeholderDocument,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { Call, call, From, PORTAL, publishableKeyWorld, REFUSED } from '../helpers/publishable-key-world';
import { callOf } from '../helpers/schema-calls';
import { expectData } from '../helpers/server';
import { until } from '../helpers/ws-client';

const world = publishableKeyWorld();
const { ids, pk, overHttp, overWs } = world;
let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await buildSchema();
});

/** Every row of every table a write could touch: a refused call must leave it all unchanged. */
async function digest(): Promise<string> {
  const tables = [
    'stakeholder',
    'challenge',
    'partnership',
    'partnership_event',
    'hub',
    'hub_member',
    'hub_coordinator',
    'mission',
    'api_key',
    'shortlist_entry',
    'dismissal',
    'activity',
    'idempotency_key',
    'outbox',
  ];
  const [row]: unknown[] = await world.t.db.dataSource.query(
    `SELECT ${tables.map((n) => `(SELECT md5(coalesce(json_agg(x ORDER BY x::text)::text, '')) FROM ${n} x) AS ${n}`)}`,
  );
  return JSON.stringify(row);
}

/** What a copied widget key could try: answer, invite, create or change anything, read what is keyed. */
const attempts: [string, () => Call][] = [
  ['respondToInvitation (accept)', () => call(RespondOnceDocument, { partnershipId: ids.invited, accept: true })],
  ['respondToInvitation (decline)', () => call(RespondOnceDocument, { partnershipId: ids.invited, accept: false })],
  ['invitePartner', () => call(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.uni })],
  ['invitePartner', () => call(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.org, key: 'k1' })],
  ['approveInvitation', () => call(ApproveInvitationDocument, { partnershipId: ids.invited })],
  ['withdrawInvitation', () => call(WithdrawInvitationDocument, { partnershipId: ids.invited })],
  ['completePartnership', () => call(CompletePartnershipDocument, { partnershipId: ids.invited, rating: 5 })],
  ['shortlistPartner', () => call(ShortlistPartnerDocument, { challengeId: ids.challenge, stakeholderId: ids.uni })],
  [
    'removeFromShortlist',
    () => call(RemoveFromShortlistDocument, { challengeId: ids.challenge, stakeholderId: ids.uni }),
  ],
  [
    'dismissSuggestion',
    () =>
      call(DismissSuggestionDocument, { challengeId: ids.challenge, stakeholderId: ids.uni, reason: 'NOT_RELEVANT' }),
  ],
  ['undoDismissal', () => call(UndoDismissalDocument, { challengeId: ids.challenge, stakeholderId: ids.uni })],
  [
    'createStakeholder',
    () =>
      call(CreateStakeholderDocument, {
        input: { kind: 'SCHOOL', name: 'x', sdgs: [4], expertise: [], city: 'Leuven', countryCode: 'BE' },
      }),
  ],
  ['updateStakeholder', () => call(UpdateStakeholderDocument, { id: ids.school, input: { capacity: 1 } })],
  ['eraseStakeholder', () => call(EraseStakeholderDocument, { id: ids.family })],
  [
    'createChallenge',
    () =>
      call(CreateChallengeDocument, { input: { schoolId: ids.school, title: 'x', sdgs: [4], expertiseNeeded: [] } }),
  ],
  ['updateChallenge', () => call(UpdateChallengeDocument, { id: ids.challenge, input: { title: 'Mine' } })],
  ['createHub', () => call(CreateHubDocument, { input: { name: 'x' } })],
  ['updateHub', () => call(UpdateHubDocument, { id: ids.hub, input: { requiresApproval: false } })],
  ['addHubMembers', () => call(AddHubMembersDocument, { hubId: ids.hub, stakeholderIds: [ids.uni] })],
  ['createMission', () => call(CreateMissionDocument, { input: { title: 'x', sdgs: [4] } })],
  [
    'createApiKey',
    () => call(CreateApiKeyDocument, { input: { name: 'x', role: 'PORTAL', hubIds: [ids.hub] } as never }),
  ],
  ['revokeApiKey', () => call(RevokeApiKeyDocument, { id: pk.id })],
  [
    'importStakeholders',
    () => call(ImportStakeholdersDocument, { input: { format: 'CSV', content: 'record,externalId\n' } as never }),
  ],
  ['apiKeys', () => call(ApiKeysDocument, {})],
  ['hubBoard', () => call(HubBoardDocument, { hubId: ids.hub })],
  ['activity', () => call(ActivityDocument, { hubId: ids.hub })],
  [
    'invitationDraft',
    () => call(InvitationDraftDocument, { challengeId: ids.challenge, stakeholderId: ids.uni, lang: 'EN' }),
  ],
];

describe('a publishable key never writes nor reads what is keyed', () => {
  const froms: From[] = ['its origin', 'no Origin', 'another site', 'this service'];
  const cases = attempts.flatMap(([operation, c]) =>
    froms.flatMap((from) => (['http', 'websocket'] as const).map((via) => [operation, from, via, c] as const)),
  );

  it.each(cases)('%s from %s over %s', async (operation, from, via, c) => {
    const before = await digest();
    const outcome = await (via === 'http' ? overHttp(c(), from) : overWs(c(), from));
    expect(outcome.code).toBe(REFUSED[from]);
    // From its own origin the refusal is the operation's, and names it.
    if (from === 'its origin') expect(outcome.message).toContain(operation.split(' ')[0]);
    expect(outcome.data ?? null).toBeNull();
    expect(await digest()).toBe(before);
  });

  it('is refused every mutation of the schema, and every keyed query, from its own origin', async () => {
    const before = await digest();
    const keyed = new Set(Object.keys(QUERY_ROLES));
    const fields = [
      ...Object.values(schema.getMutationType()!.getFields()).map((f) => callOf('mutation', f)),
      ...Object.values(schema.getQueryType()!.getFields())
        .filter((f) => keyed.has(f.name))
        .map((f) => callOf('query', f)),
    ];
    const answers = await Promise.all(
      fields.map(async (c) => [c.query, (await overHttp(c, 'its origin')).code] as const),
    );
    expect(answers).toEqual(fields.map((c) => [c.query, 'FORBIDDEN']));
    // The rights table agrees: no mutation and no keyed query names the role.
    const rows = { ...MUTATION_ROLES, ...QUERY_ROLES } as Record<string, string[]>;
    expect(Object.keys(rows).filter((op) => rows[op].includes('PUBLISHABLE'))).toEqual([]);
    expect(await digest()).toBe(before);
  });

  it.each(froms)('is refused partnershipChanged from %s', async (from) => {
    for (const variables of [{}, { hubId: ids.hub }, { challengeId: ids.challenge }]) {
      const open = world.t.live.size;
      // An accepted subscription answers nothing until an event: the feed holding it is the answer.
      const refused = new AbortController();
      const outcome = await Promise.race([
        overWs(call(PartnershipChangedDocument, variables), from),
        until(() => world.t.live.size > open, { timeoutMs: 10_000, signal: refused.signal }).then(() => ({
          code: 'SUBSCRIBED',
        })),
      ]).finally(() => refused.abort());
      expect(outcome.code).toBe(REFUSED[from]);
    }
  });
});

describe('publishable keys are made as such', () => {
  it('gives a pk_ text, kept readable for the administrator, and secret keys stay osm_ and unseen', async () => {
    const portal = expectData(
      await world.t.admin(CreateApiKeyDocument, {
        input: { name: 'Portal server', role: 'PORTAL', hubIds: [ids.hub] },
      }),
    ).createApiKey;
    expect(pk.secret).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(portal.secret).toMatch(/^osm_[A-Za-z0-9_-]{43}$/);
    const listed = expectData(await world.t.admin(ApiKeysDocument, {})).apiKeys;
    expect(listed.find((k) => k.id === pk.id)).toMatchObject({ role: 'PUBLISHABLE', publishableKey: pk.secret });
    expect(listed.find((k) => k.id === portal.apiKey.id)?.publishableKey).toBeNull();
  });

  /** A key's input as the table writes it: `hubIds: 'hub'` stands for the hub the tests made. */
  type TableInput = Omit<CreateApiKeyInput, 'hubIds'> & { hubIds?: 'hub' };
  it.each<[TableInput, string, RegExp]>([
    [{ name: 'No origin', role: 'PUBLISHABLE' }, 'input.allowedOrigins', /at least one origin/],
    [{ name: 'Empty origins', role: 'PUBLISHABLE', allowedOrigins: [] }, 'input.allowedOrigins', /at least one/],
    [
      { name: 'With a hub', role: 'PUBLISHABLE', allowedOrigins: [PORTAL], hubIds: 'hub' },
      'input.hubIds',
      /must be empty for a PUBLISHABLE key/,
    ],
    [
      { name: 'Wildcard', role: 'PUBLISHABLE', allowedOrigins: ['https://*.example'] },
      'input.allowedOrigins[0]',
      /without wildcards/,
    ],
  ])('refuses %j with a message about %s', async (input, field, message) => {
    const before = await digest();
    const result = await world.t.admin(CreateApiKeyDocument, {
      input: { ...input, hubIds: input.hubIds === 'hub' ? [ids.hub] : input.hubIds },
    });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    expect(result.errors?.[0].message).toMatch(message);
    expect(await digest()).toBe(before);
  });

  it('is refused by the database too when it is not bound to an origin or names a hub', async () => {
    for (const [origins, hubs] of [
      ['{}', '{}'],
      [`{${PORTAL}}`, `{${ids.hub}}`],
    ])
      await expect(
        world.t.db.dataSource.query(
          `INSERT INTO api_key (name, role, hub_ids, allowed_origins, secret_hash, publishable_key)
           VALUES ('x', 'PUBLISHABLE', $1, $2, sha256(random()::text::bytea), 'pk_x')`,
          [hubs, origins],
        ),
      ).rejects.toThrow(/api_key_publishable_shape/);
  });
});
