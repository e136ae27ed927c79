import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateStakeholderDocument,
  ImportStakeholdersDocument,
  StakeholderDocument,
  StakeholdersDocument,
} from '../generated/graphql';
import { expectData, expectErrors, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';
import { subscribe, wsClient } from '../helpers/ws-client';
import { PartnerJoinedDocument } from '../generated/graphql';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
const csv = readFileSync(path.join(__dirname, '..', 'fixtures', 'import-good.csv'), 'utf8');

describe('the administrator key', () => {
  it('is required for importStakeholders', async () => {
    const anonymous = await t.request(ImportStakeholdersDocument, { input: { format: 'CSV', content: csv } });
    expect(anonymous.errors?.[0]).toMatchObject({
      message: 'importStakeholders needs an API key with role ADMIN',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const wrong = await t.raw(
      { query: 'mutation { importStakeholders(input: { format: CSV, content: "" }) { rows } }' },
      { authorization: 'Bearer nope' },
    );
    expect(wrong.status).toBe(401);
    expect(expectErrors(wrong.json)[0].extensions?.code).toBe('UNAUTHENTICATED');
    const [{ n }]: { n: number }[] = await t.db.dataSource.query('SELECT count(*)::int AS n FROM stakeholder');
    expect(n).toBe(0);
  });

  it('imports through the mutation, dry run first', async () => {
    const dry = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content: csv, dryRun: true } }),
    ).importStakeholders;
    expect(dry).toMatchObject({ dryRun: true, rows: 6, failed: 0, stakeholders: { inserted: 5, updated: 0 } });
    const done = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content: csv } }),
    ).importStakeholders;
    expect(done).toMatchObject({ dryRun: false, stakeholders: { inserted: 5 }, challenges: { inserted: 1 } });
    const bad = expectData(
      await t.admin(ImportStakeholdersDocument, {
        input: { format: 'JSON', content: '[{"externalId":"x","kind":"ALIEN","name":"n"}]' },
      }),
    );
    expect(bad.importStakeholders.errors).toEqual([
      { line: 1, field: 'kind', message: expect.stringMatching(/^kind must be one of/) },
    ]);
  });

  it('sees what public readers may not: a family’s name and everyone’s contact details', async () => {
    const fam = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'FAMILY',
          consentGiven: true,
          name: 'Familie Peeters',
          city: 'Leuven',
          countryCode: 'BE',
          sdgs: [3],
          expertise: [],
          contactEmail: 'peeters@example.org',
        },
      }),
    ).createStakeholder;
    const asAdmin = expectData(await t.request(StakeholderDocument, { id: fam.id }, admin)).stakeholder!;
    expect(asAdmin).toMatchObject({ name: 'Familie Peeters', contactEmail: 'peeters@example.org' });
    const asPublic = expectData(await t.request(StakeholderDocument, { id: fam.id })).stakeholder!;
    expect(asPublic).toMatchObject({ name: 'Family in Leuven', contactEmail: null });
    expect(
      expectData(await t.request(StakeholdersDocument, { filter: { search: 'Peeters' } }, admin)).stakeholders
        .totalCount,
    ).toBe(1);
    expect(
      expectData(await t.request(StakeholdersDocument, { filter: { search: 'Peeters' } })).stakeholders.totalCount,
    ).toBe(0);
  });

  it('is checked on the WebSocket too: a bad key is refused at connection', async () => {
    const c = wsClient(t.server.url, { connectionParams: { authorization: 'Bearer nope' } });
    const closed = new Promise<number>((resolve) => c.on('closed', (e) => resolve((e as { code: number }).code)));
    const sub = subscribe(c, PartnerJoinedDocument, {});
    expect(await closed).toBe(4401);
    sub.stop();
    await c.dispose();
  });
});
