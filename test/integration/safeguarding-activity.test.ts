/**
 * A safeguarding check's every step — recorded, verified, withdrawn — is in the activity of each
 * hub the partner belongs to, under the name of the key that did it and with the check's type
 * (never more of it); a hub the partner is not in sees none of it, and a partner in no hub's steps
 * are kept where only ADMIN reads.
 */
import {
  ActivityDocument,
  CreateApiKeyDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  RecordSafeguardingCheckDocument,
  VerifySafeguardingCheckDocument,
  WithdrawSafeguardingCheckDocument,
} from '../generated/graphql';
import { todayIso } from '../../src/matching/safeguarding';
import { CheckScope, CheckType } from '../../src/domain/enums';
import { bearer, expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
const partner = async (name: string, hubIds: string[]) =>
  expectData(
    await t.admin(CreateStakeholderDocument, {
      input: { kind: 'UNIVERSITY' as never, name, sdgs: [4], expertise: [], countryCode: 'NL', hubIds },
    }),
  ).createStakeholder.id;
const coordinatorOf = async (hubId: string, name: string) =>
  bearer(
    expectData(await t.admin(CreateApiKeyDocument, { input: { name, role: 'COORDINATOR' as never, hubIds: [hubId] } }))
      .createApiKey.secret,
  );
/** The check steps in a hub's log, newest first, as read with `headers` (ADMIN's by default). */
const checkSteps = async (hubId: string, headers?: Record<string, string>) =>
  expectData(
    headers
      ? await t.request(ActivityDocument, { hubId, first: 50 }, headers)
      : await t.admin(ActivityDocument, { hubId, first: 50 }),
  )
    .activity.edges.map((e) => e.node)
    .filter((n) => n.action.endsWith('_CHECK'));

it("records each step in every hub of the partner's, by the key that did it, naming only the type", async () => {
  const [utrecht, leiden, other] = [await hub('Utrecht hub'), await hub('Leiden hub'), await hub('Other hub')];
  const lab = await partner('Water lab', [utrecht, leiden]);
  const anna = await coordinatorOf(utrecht, 'Anna (Utrecht coordinator)');
  const input = { stakeholderId: lab, type: CheckType.VOG, scope: CheckScope.PERSON, issuedOn: todayIso() };
  const id = expectData(await t.request(RecordSafeguardingCheckDocument, { input }, anna)).recordSafeguardingCheck.id;
  expectData(await t.request(VerifySafeguardingCheckDocument, { id }, anna));
  expectData(await t.admin(WithdrawSafeguardingCheckDocument, { id }));

  for (const hubId of [utrecht, leiden]) {
    expect((await checkSteps(hubId)).map((n) => [n.action, n.actorName, n.checkType, n.stakeholder?.id])).toEqual([
      ['WITHDRAW_CHECK', 'Administrator (ADMIN_API_KEY)', 'VOG', lab],
      ['VERIFY_CHECK', 'Anna (Utrecht coordinator)', 'VOG', lab],
      ['RECORD_CHECK', 'Anna (Utrecht coordinator)', 'VOG', lab],
    ]);
  }
  // Utrecht's coordinator reads its own hub's log with the steps in it.
  expect((await checkSteps(utrecht, anna)).map((n) => n.action)).toEqual([
    'WITHDRAW_CHECK',
    'VERIFY_CHECK',
    'RECORD_CHECK',
  ]);
  // A hub the partner is not in holds none of it.
  expect(await checkSteps(other)).toEqual([]);
});

it('keeps the steps of a partner in no hub out of every hub’s log', async () => {
  const loner = await partner('Lone lab', []);
  const input = {
    stakeholderId: loner,
    type: CheckType.UK_DBS_ENHANCED,
    scope: CheckScope.PERSON,
    issuedOn: todayIso(),
  };
  expectData(await t.admin(RecordSafeguardingCheckDocument, { input }));
  const rows: { hub_id: string | null; action: string; detail: { checkType: string } }[] = await t.db.dataSource.query(
    `SELECT hub_id, action, detail FROM activity WHERE stakeholder_id = $1`,
    [loner],
  );
  expect(rows).toEqual([{ hub_id: null, action: 'RECORD_CHECK', detail: { checkType: 'UK_DBS_ENHANCED' } }]);
});
