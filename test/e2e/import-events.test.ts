/**
 * Imported stakeholders are live news: through the importStakeholders mutation and through the
 * `npm run import` command (a separate process, on the same database), subscribers of
 * partnerJoined and matchFound hear of them — and the server's suggestions include them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ImportStakeholdersDocument,
  MatchFoundDocument,
  PartnerJoinedDocument,
  SuggestPartnersDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { subscribe, until, wsClient } from '../helpers/ws-client';

const run = promisify(execFile);
let t: TestServer;
let challengeId: string;
const clients: { dispose(): void | Promise<void> }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const { School } = await createStakeholders(t, [
    {
      name: 'School',
      kind: 'SCHOOL',
      sdgs: [6, 13],
      city: 'Enschede',
      countryCode: 'NL',
      location: { latitude: 52.22, longitude: 6.89 },
    },
  ]);
  challengeId = (
    await createChallenge(t, { schoolId: School, title: 'Floods', sdgs: [6, 13], expertiseNeeded: ['Hydrology'] })
  ).id;
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t?.stop();
});

const csv = (prefix: string, n: number) =>
  'record,externalId,kind,name,city,countryCode,sdgs,expertise\n' +
  Array.from(
    { length: n },
    (_, i) => `stakeholder,${prefix}-${i},UNIVERSITY,${prefix} lab ${i},Enschede,NL,6;13,Hydrology`,
  ).join('\n') +
  '\n';

async function listen() {
  const c = wsClient(t.server.url);
  clients.push(c);
  const before = t.live.size;
  const joined = subscribe(c, PartnerJoinedDocument, {});
  const matched = subscribe(c, MatchFoundDocument, { challengeId });
  await until(() => t.live.size >= before + 2);
  return { joined, matched };
}

describe('imports fire partnerJoined and matchFound', () => {
  it('through the importStakeholders mutation', async () => {
    const { joined, matched } = await listen();
    const report = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content: csv('mutation', 3) } }),
    );
    expect(report.importStakeholders.stakeholders.inserted).toBe(3);
    const names = (await joined.waitFor(3)).map((r) => r.data!.partnerJoined.name).sort();
    expect(names).toEqual(['mutation lab 0', 'mutation lab 1', 'mutation lab 2']);
    const found = (await matched.waitFor(3)).map((r) => r.data!.matchFound.stakeholder.name).sort();
    expect(found).toEqual(names);
    joined.stop();
    matched.stop();
    await until(() => t.live.size === 0);
  });

  it('through npm run import, in another process on the same database', async () => {
    const { joined, matched } = await listen();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'imp-')), 'partners.csv');
    writeFileSync(file, csv('cli', 4));
    const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'db', 'import.cli.js');
    const { stdout } = await run(process.execPath, [cli, file], {
      env: { ...process.env, DATABASE_URL: t.db.url, REDIS_URL: '' },
    });
    expect(stdout).toContain('4 new');
    const names = (await joined.waitFor(4, 20_000)).map((r) => r.data!.partnerJoined.name).sort();
    expect(names).toEqual(['cli lab 0', 'cli lab 1', 'cli lab 2', 'cli lab 3']);
    expect((await matched.waitFor(4, 20_000)).map((r) => r.data!.matchFound.stakeholder.name).sort()).toEqual(names);
    // The server's own index heard of them too.
    const suggested = expectData(await t.request(SuggestPartnersDocument, { challengeId, first: 50 })).suggestPartners;
    expect(suggested.edges.map((e) => e.node.stakeholder.name)).toEqual(expect.arrayContaining(names));
    joined.stop();
    matched.stop();
  });
});
