/**
 * A publishable key (`pk_…`) sits in public HTML: whoever reads the page holds it. These tables
 * try, over HTTP and WebSocket, every write and every keyed read such a key could attempt, from
 * its own origin, from none (curl), from another site and from this service's own pages; and
 * they hold what it may read against what a caller without any key reads.
 */
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLSchema, print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MUTATION_ROLES, QUERY_ROLES } from '../../src/graphql/access';
import { buildSchema } from '../../src/graphql/build-schema';
import { seedDemo } from '../../src/db/seed-demo';
import {
  ActivityDocument,
  AddHubMembersDocument,
  ApiKeysDocument,
  ApproveInvitationDocument,
  ChallengeCorrespondenceDocument,
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
  HubWithCoordinatorsDocument,
  ImportStakeholdersDocument,
  InvitationDraftDocument,
  InviteOnceDocument,
  InvitePartnerDocument,
  MatchFoundDocument,
  PartnershipChangedDocument,
  RemoveFromShortlistDocument,
  RespondOnceDocument,
  RevokeApiKeyDocument,
  ShortlistPartnerDocument,
  StakeholderDocument,
  StakeholdersDocument,
  SuggestPartnersDocument,
  SuggestTeamDocument,
  UndoDismissalDocument,
  UpdateChallengeDocument,
  UpdateHubDocument,
  UpdateStakeholderDocument,
  ViewerDocument,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { isErrorList } from '../helpers/json';
import { callOf } from '../helpers/schema-calls';
import { bearer, expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';
import { subscribe, until } from '../helpers/ws-client';

const PORTAL = 'https://portal.example';
let t: TestServer;
let schema: GraphQLSchema;
/** The service's own origin (its IDE and example page): not one the key lists. */
let own = '';
let pk = { id: '', secret: '' };
const ids = {} as Record<'hub' | 'school' | 'family' | 'uni' | 'org' | 'challenge' | 'invited', string>;

/** Where a request comes from: the key's own site, curl (no Origin), another site, this service's pages. */
type From = 'its origin' | 'no Origin' | 'another site' | 'this service';
const origin = (from: From): string | undefined =>
  ({ 'its origin': PORTAL, 'no Origin': undefined, 'another site': 'https://evil.example', 'this service': own })[from];
/** What a publishable key gets for a write or a keyed read, by where the request comes from. */
const REFUSED: Record<From, string> = {
  'its origin': 'FORBIDDEN',
  'no Origin': 'UNAUTHENTICATED',
  'another site': 'FORBIDDEN',
  'this service': 'FORBIDDEN',
};

interface Call {
  query: string;
  variables?: Record<string, unknown>;
}
interface Outcome {
  code: unknown;
  message?: string;
  data?: unknown;
}
const call = <T, V>(doc: TypedDocumentNode<T, V>, variables: V): Call => ({
  query: print(doc),
  variables: variables as Record<string, unknown>,
});

async function overHttp(c: Call, from: From, key = pk.secret): Promise<Outcome> {
  const o = origin(from);
  const { json } = await t.raw(c, { ...(key ? bearer(key) : {}), ...(o ? { origin: o } : {}) });
  const error = json.errors?.[0];
  return { code: error?.extensions?.code ?? 'OK', message: error?.message ?? '', data: json.data ?? null };
}

// graphql-ws refuses a connection with a close code; the table speaks in GraphQL codes.
const CLOSE_CODES: Record<number, string> = { 4401: 'UNAUTHENTICATED', 4403: 'FORBIDDEN' };

/** One operation over its own WebSocket: its first result, or the refusal of the operation or the socket. */
function overWs(c: Call, from: From): Promise<Outcome> {
  const o = origin(from);
  const client = createClient({
    url: t.server.url.replace(/^http/, 'ws'),
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols: string | string[]) {
        super(url, protocols, { headers: o ? { origin: o } : {} });
      }
    },
    connectionParams: { authorization: `Bearer ${pk.secret}` },
    retryAttempts: 0,
    lazy: true,
  });
  return new Promise<Outcome>((resolve) => {
    let first: Outcome | undefined;
    client.subscribe(c as never, {
      next: (r) => {
        const error = r.errors?.[0];
        first ??= { code: error?.extensions?.code ?? 'OK', message: error?.message ?? '', data: r.data ?? null };
      },
      error: (e) => {
        if (isErrorList(e)) return resolve({ code: e[0]?.extensions?.code, message: e[0]?.message });
        const { code, reason } = e as { code: number; reason: string };
        resolve({ code: CLOSE_CODES[code] ?? `close ${code}`, message: reason });
      },
      complete: () => resolve(first ?? { code: 'NO RESULT', message: '' }),
    });
  }).finally(() => client.dispose());
}

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
  const [row]: unknown[] = await t.db.dataSource.query(
    `SELECT ${tables.map((n) => `(SELECT md5(coalesce(json_agg(x ORDER BY x::text)::text, '')) FROM ${n} x) AS ${n}`)}`,
  );
  return JSON.stringify(row);
}

beforeAll(async () => {
  t = await startTestServer();
  schema = await buildSchema();
  own = t.server.url.replace(/\/graphql$/, '');
  ids.hub = expectData(
    await t.admin(CreateHubDocument, {
      input: { name: 'Leuven makers', coordinators: [{ name: 'An', email: 'an@hub.example' }] },
    }),
  ).createHub.id;
  const stakeholder = async (input: Record<string, unknown>) =>
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: { sdgs: [13], expertise: ['Hydrology'], city: 'Leuven', countryCode: 'BE', ...input } as never,
      }),
    ).createStakeholder.id;
  ids.school = await stakeholder({
    kind: 'SCHOOL',
    name: 'Sint-Pieterscollege',
    contactEmail: 'info@spc.example',
    hubIds: [ids.hub],
  });
  ids.challenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: ids.school, hubId: ids.hub, title: 'Floods', sdgs: [13], expertiseNeeded: ['Hydrology'] },
    }),
  ).createChallenge.id;
  ids.family = await stakeholder({
    kind: 'FAMILY',
    name: 'Familie Geheim',
    contactEmail: 'geheim@family.example',
    consentGiven: true,
    hubIds: [ids.hub],
  });
  ids.uni = await stakeholder({ kind: 'UNIVERSITY', name: 'KU Leuven', hubIds: [ids.hub] });
  ids.org = await stakeholder({ kind: 'CIVIL_SOCIETY', name: 'Leuven water NGO', hubIds: [ids.hub] });
  ids.invited = expectData(
    await t.admin(InvitePartnerDocument, {
      challengeId: ids.challenge,
      stakeholderId: ids.family,
      message: 'Dear Geheim family, would you join?',
    }),
  ).invitePartner.id;
  const created = expectData(
    await t.admin(CreateApiKeyDocument, {
      input: { name: 'Portal page', role: 'PUBLISHABLE', allowedOrigins: [PORTAL] },
    }),
  ).createApiKey;
  pk = { id: created.apiKey.id, secret: created.secret };
});
afterAll(() => t?.stop());

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
      const open = t.live.size;
      // An accepted subscription answers nothing until an event: the feed holding it is the answer.
      const outcome = await Promise.race([
        overWs(call(PartnershipChangedDocument, variables), from),
        until(() => t.live.size > open, 10_000).then(() => ({ code: 'SUBSCRIBED' })),
      ]);
      expect(outcome.code).toBe(REFUSED[from]);
    }
  });
});

describe('a publishable key reads what the widget shows, and nothing a keyless caller cannot', () => {
  const reads: [string, () => Call][] = [
    ['a family', () => call(StakeholderDocument, { id: ids.family })],
    ['a school', () => call(StakeholderDocument, { id: ids.school })],
    ['a hub’s coordinators', () => call(HubWithCoordinatorsDocument, { id: ids.hub })],
    ['a search for a family’s name', () => call(StakeholdersDocument, { filter: { search: 'Geheim' } })],
    ['an invitation’s words', () => call(ChallengeCorrespondenceDocument, { id: ids.challenge })],
    ['suggestions', () => call(SuggestPartnersDocument, { challengeId: ids.challenge, first: 10 })],
    ['a team', () => call(SuggestTeamDocument, { challengeId: ids.challenge, size: 3 })],
  ];

  it.each(reads)('%s: the same answer as without a key, over both transports', async (_, c) => {
    const keyless = await overHttp(c(), 'no Origin', '');
    expect(keyless.code).toBe('OK');
    expect(await overHttp(c(), 'its origin')).toEqual(keyless);
    expect(await overWs(c(), 'its origin')).toEqual(keyless);
  });

  it.each(reads)('%s: refused from anywhere but its origins', async (_, c) => {
    for (const from of ['no Origin', 'another site', 'this service'] as const) {
      expect((await overHttp(c(), from)).code).toBe(REFUSED[from]);
      expect((await overWs(c(), from)).code).toBe(REFUSED[from]);
    }
  });

  it('says who it is, and follows a challenge live over WebSocket from its origin', async () => {
    expect((await overHttp(call(ViewerDocument, {}), 'its origin')).data).toEqual({
      viewer: { role: 'PUBLISHABLE', hubIds: [], apiKeyId: pk.id },
    });
    const client = createClient({
      url: t.server.url.replace(/^http/, 'ws'),
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string | string[]) {
          super(url, protocols, { headers: { origin: PORTAL } });
        }
      },
      connectionParams: { authorization: `Bearer ${pk.secret}` },
      retryAttempts: 0,
      lazy: true,
    });
    const live = subscribe(client, MatchFoundDocument, { challengeId: ids.challenge });
    await until(() => t.live.size === 1);
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'RESEARCH_INSTITUTE',
          name: 'Hydrolab',
          sdgs: [13],
          expertise: ['Hydrology'],
          city: 'Leuven',
          countryCode: 'BE',
        },
      }),
    );
    const [first] = await live.waitFor(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.matchFound.stakeholder.name).toBe('Hydrolab');
    live.stop();
    await client.dispose();
  });
});

describe('publishable keys are made as such', () => {
  it('gives a pk_ text, kept readable for the administrator, and secret keys stay osm_ and unseen', async () => {
    const portal = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Portal server', role: 'PORTAL', hubIds: [ids.hub] } }),
    ).createApiKey;
    expect(pk.secret).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(portal.secret).toMatch(/^osm_[A-Za-z0-9_-]{43}$/);
    const listed = expectData(await t.admin(ApiKeysDocument, {})).apiKeys;
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
    const result = await t.admin(CreateApiKeyDocument, {
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
        t.db.dataSource.query(
          `INSERT INTO api_key (name, role, hub_ids, allowed_origins, secret_hash, publishable_key)
           VALUES ('x', 'PUBLISHABLE', $1, $2, sha256(random()::text::bytea), 'pk_x')`,
          [hubs, origins],
        ),
      ).rejects.toThrow(/api_key_publishable_shape/);
  });
});

describe('the example page and the demo', () => {
  it('carries the publishable key for its own origin, and only a publishable one', async () => {
    const page = async () => (await fetch(`${own}/embed/example.html?challenge-id=${ids.challenge}`)).text();
    const keyOf = (html: string) => /api-key="([^"]*)"/.exec(html)?.[1];
    // The seeded demo is made for the origins of `npm start`; here, for this server's.
    const seeded = await seedDemo(t.db.dataSource, { widgetOrigins: [own] });
    const key = keyOf(await page());
    expect(key).toBe(seeded.publishableKey);
    expect(key).toMatch(/^pk_/);
    const widget = await t.raw<{ viewer: { role: string; apiKeyId: string } }>(
      { query: '{ viewer { role apiKeyId } }' },
      { ...bearer(key!), origin: own },
    );
    const viewer = expectData(widget.json).viewer;
    expect(viewer.role).toBe('PUBLISHABLE');
    const invite = await t.raw(call(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.uni }), {
      ...bearer(key!),
      origin: own,
    });
    expect(expectErrors(invite.json)[0].extensions?.code).toBe('FORBIDDEN');
    // Revoked, it leaves the page; the widget there reads keyless from its own service.
    expectData(await t.admin(RevokeApiKeyDocument, { id: viewer.apiKeyId }));
    expect(keyOf(await page())).toBeUndefined();
  });
});
