/**
 * Who sees and who writes safeguarding checks, as tables. A stakeholder's checks are seen by ADMIN
 * and the coordinators of its hubs, over HTTP and over WebSocket alike; everyone else gets null,
 * whether the stakeholder holds a check or not. A key that acts for its hubs records; only a
 * coordinator verifies or withdraws; bad input names the field and the rule.
 */
import { parse } from 'graphql';
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  RecordSafeguardingCheckDocument,
  StakeholderChecksDocument,
  VerifySafeguardingCheckDocument,
  WithdrawSafeguardingCheckDocument,
} from '../generated/graphql';
import { CheckScope, CheckType } from '../../src/domain/enums';
import { addMonths, todayIso } from '../../src/matching/safeguarding';
import { bearer, expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';
import { subscribe, wsClient } from '../helpers/ws-client';

let t: TestServer;
const keys: Record<string, Record<string, string>> = { public: {} };
const ids = { holder: '', without: '', checkId: '', outsider: '' };

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  const [h, other] = [await hub('Leuven makers'), await hub('Elsewhere')];
  const make = async (name: string, hubIds: string[]) =>
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: { kind: 'UNIVERSITY' as never, name, sdgs: [4], expertise: [], countryCode: 'BE', hubIds },
      }),
    ).createStakeholder.id;
  ids.holder = await make('KU Leuven lab', [h]);
  ids.without = await make('Imec outreach', [h]);
  ids.outsider = await make('Far lab', [other]);
  const input = {
    stakeholderId: ids.holder,
    type: CheckType.BE_CRIMINAL_RECORD_MODEL_2,
    scope: CheckScope.PERSON,
    issuedOn: addMonths(todayIso(), -3),
  };
  ids.checkId = expectData(await t.admin(RecordSafeguardingCheckDocument, { input })).recordSafeguardingCheck.id;
  const key = async (name: string, role: string, hubIds: string[]) =>
    bearer(
      expectData(await t.admin(CreateApiKeyDocument, { input: { name, role: role as never, hubIds } })).createApiKey
        .secret,
    );
  keys.admin = bearer('test-admin-key-0123456789abcdef');
  keys.coordinator = await key('Coordinator Leuven', 'COORDINATOR', [h]);
  keys.otherCoordinator = await key('Coordinator elsewhere', 'COORDINATOR', [other]);
  keys.portal = await key('Portal Leuven', 'PORTAL', [h]);
  expectData(await t.request(VerifySafeguardingCheckDocument, { id: ids.checkId }, keys.coordinator));
});
afterAll(() => t?.stop());

const SEES = { admin: true, coordinator: true, otherCoordinator: false, portal: false, public: false } as const;
const viewers = Object.keys(SEES) as (keyof typeof SEES)[];

const CHECKS = `query($id: ID!) { stakeholder(id: $id) { safeguardingChecks { type scope issuedOn verifiedByName } } }`;

/** The same query over a real graphql-ws client with the viewer's key. */
async function overWebSocket(headers: Record<string, string>, id: string) {
  const c = wsClient(t.server.url, { connectionParams: headers });
  try {
    const sub = subscribe<{ stakeholder: { safeguardingChecks: unknown[] | null } | null }, { id: string }>(
      c,
      parse(CHECKS) as never,
      { id },
    );
    await sub.completed;
    return sub.results[0];
  } finally {
    await c.dispose();
  }
}

describe.each(viewers)('%s', (viewer) => {
  it.each(['http', 'websocket'] as const)(
    'over %s: sees checks exactly when allowed, never their absence',
    async (via) => {
      for (const id of [ids.holder, ids.without]) {
        const result =
          via === 'http'
            ? await t.request(StakeholderChecksDocument, { id }, keys[viewer])
            : await overWebSocket(keys[viewer], id);
        const data = expectData(result as { data?: { stakeholder: { safeguardingChecks: unknown[] | null } | null } });
        const checks = data.stakeholder!.safeguardingChecks;
        if (!SEES[viewer]) expect(checks).toBeNull();
        else if (id === ids.without) expect(checks).toEqual([]);
        else {
          expect(checks).toEqual([
            expect.objectContaining({
              type: 'BE_CRIMINAL_RECORD_MODEL_2',
              scope: 'PERSON',
              verifiedByName: 'Coordinator Leuven',
            }),
          ]);
        }
      }
    },
  );
});

describe('who writes', () => {
  const record = (stakeholderId: string) => ({
    input: { stakeholderId, type: CheckType.VOG, scope: CheckScope.ORGANISATION, issuedOn: todayIso() },
  });

  it.each([
    ['public', 'UNAUTHENTICATED'],
    ['otherCoordinator', 'FORBIDDEN'],
  ])('%s may not record a check of a stakeholder of the hub: %s', async (viewer, code) => {
    const errors = expectErrors(await t.request(RecordSafeguardingCheckDocument, record(ids.without), keys[viewer]));
    expect(errors[0].extensions?.code).toBe(code);
  });

  it('a PORTAL of the hub records, unverified, but neither verifies nor withdraws', async () => {
    const made = expectData(
      await t.request(RecordSafeguardingCheckDocument, record(ids.without), keys.portal),
    ).recordSafeguardingCheck;
    expect(made).toMatchObject({ type: 'VOG', verifiedAt: null, verifiedByName: null });
    const verified = expectErrors(await t.request(VerifySafeguardingCheckDocument, { id: made.id }, keys.portal));
    const withdrawn = expectErrors(await t.request(WithdrawSafeguardingCheckDocument, { id: made.id }, keys.portal));
    expect([verified[0].extensions?.code, withdrawn[0].extensions?.code]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const errors = expectErrors(
      await t.request(VerifySafeguardingCheckDocument, { id: made.id }, keys.otherCoordinator),
    );
    expect(errors[0].extensions?.code).toBe('FORBIDDEN');
    expectData(await t.request(WithdrawSafeguardingCheckDocument, { id: made.id }, keys.coordinator));
  });

  it('a coordinator of another hub records nothing for its own stakeholder in this hub', async () => {
    expectData(await t.request(RecordSafeguardingCheckDocument, record(ids.outsider), keys.otherCoordinator));
  });
});

describe('bad input', () => {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  it.each([
    [{ issuedOn: tomorrow }, 'input.issuedOn', /must be between 2000-01-01 and/],
    [{ issuedOn: '2026-02-30' }, 'input.issuedOn', /must be a date as YYYY-MM-DD/],
    [{ issuedOn: '1999-12-31' }, 'input.issuedOn', /must be between 2000-01-01/],
    [{ type: CheckType.OTHER }, 'input.label', /is required for type OTHER/],
    [{ label: 'Extra' }, 'input.label', /is only for type OTHER/],
    [{ label: 'x'.repeat(101), type: CheckType.OTHER }, 'input.label', /at most 100 characters/],
    [{ stakeholderId: '00000000-0000-4000-8000-000000000000' }, 'input.stakeholderId', /was not found/],
  ] as const)('%j is refused naming %s', async (change, field, rule) => {
    const input = {
      stakeholderId: ids.without,
      type: CheckType.VOG,
      scope: CheckScope.PERSON,
      issuedOn: todayIso(),
      ...change,
    };
    const errors = expectErrors(await t.admin(RecordSafeguardingCheckDocument, { input }));
    expect(errors[0].message).toMatch(rule);
    if ('stakeholderId' in change) expect(errors[0].extensions?.code).toBe('NOT_FOUND');
    else
      expect([errors[0].extensions?.code, errors[0].message]).toEqual([
        'BAD_USER_INPUT',
        expect.stringContaining(field),
      ]);
  });
});
