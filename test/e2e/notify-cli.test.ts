/**
 * `npm run notify -- --due` as an operator runs it (the compiled CLI, beside a running service):
 * an invitation past its term expires at once, and the running service hears of it (the change
 * is relayed: partnershipChanged, webhooks, the word to the coordinators).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CreateHubDocument, InvitePartnerDocument, AddHubMembersDocument } from '../generated/graphql';
import { createChallenge, createStakeholders } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/until';
import { partnershipJobDone } from '../helpers/jobs';
import { MAIL_QUEUES } from '../../src/notify/start-notify';

const root = path.join(__dirname, '..', '..');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ pollMs: 200 });
});
afterAll(() => t?.stop());

const notify = (...args: string[]) =>
  spawnSync(process.execPath, [path.join('dist', 'src', 'notify', 'notify.cli.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: t.db.url },
  });

it('refuses to run without --due, naming the usage', () => {
  const run = notify();
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('usage: npm run notify -- --due');
});

it('expires an invitation past its term, and the running service relays it', async () => {
  const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Hub' } })).createHub.id;
  const { School: school, Lab: lab } = await createStakeholders(t, [
    { name: 'School', kind: 'SCHOOL', sdgs: [13] },
    { name: 'Lab', kind: 'UNIVERSITY', sdgs: [13] },
  ]);
  expectData(await t.admin(AddHubMembersDocument, { hubId: hub, stakeholderIds: [school, lab] }));
  const challenge = (
    await createChallenge(t, { schoolId: school, hubId: hub, title: 'Heat', sdgs: [13], expertiseNeeded: [] })
  ).id;
  const invited = expectData(
    await t.admin(InvitePartnerDocument, { challengeId: challenge, stakeholderId: lab, message: null }),
  ).invitePartner;
  // The invitation's mail job has run (it locks the invitation while it prepares the mail; a sweep
  // skips what is locked, and the next sweep takes it).
  await partnershipJobDone(t.db.dataSource, MAIL_QUEUES.invitation, invited.id);
  // Its term ended an hour ago (as if fourteen days had passed).
  await t.db.dataSource.query(`UPDATE partnership SET expires_at = now() - interval '1 hour' WHERE id = $1`, [
    invited.id,
  ]);
  const run = notify('--due');
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('expired 1 invitations');
  const status = async () =>
    (
      (await t.db.dataSource.query('SELECT status FROM partnership WHERE id = $1', [invited.id])) as {
        status: string;
      }[]
    )[0].status;
  expect(await status()).toBe('EXPIRED');
  // Relayed by the running service (the CLI announced it): numbered in the outbox.
  await until(
    async () =>
      (
        (await t.db.dataSource.query(
          `SELECT 1 FROM outbox WHERE relayed_seq IS NOT NULL AND change->>'status' = 'EXPIRED'`,
        )) as unknown[]
      ).length === 1,
    10_000,
  );
});
