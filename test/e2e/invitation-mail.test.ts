/**
 * Partners who answer: an invitation reaches the partner's address in its language through a real
 * SMTP server; its links open a page that only asks (a GET changes nothing), and confirming
 * answers as the partner; reminders and expiry follow the clock; the next best shows on the board;
 * a coordinator's digest is confirmed by its link, holds the hub's news, and stops in one click.
 */
import {
  AddHubMembersDocument,
  CreateHubDocument,
  InvitePartnerDocument,
  NextPartnersDocument,
  SubscribeToDigestDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { parseMail, ReceivedMail, SmtpCapture, startSmtpServer } from '../helpers/smtp-server';
import { runDueNotifications } from '../../src/notify/notify-sweep';
import { DIGEST_HOUR } from '../../src/notify/digests';
import { MAIL_QUEUES, notifyRuntimeOf } from '../../src/notify/start-notify';
import { partnershipJobDone } from '../helpers/jobs';

const PUBLIC = 'http://matchmaker.test';
let t: TestServer;
let smtp: SmtpCapture;
let base: string;
const ids = {} as Record<'hub' | 'school' | 'challenge' | 'lab' | 'agency' | 'spare', string>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestServer({ mail: { smtpUrl: smtp.url, publicUrl: PUBLIC } });
  base = t.server.url.replace(/\/graphql$/, '');
  ids.hub = expectData(
    await t.admin(CreateHubDocument, {
      input: { name: 'Leuven Makers', coordinators: [{ name: 'An', email: 'an@hub.example' }] },
    }),
  ).createHub.id;
  const fit = { sdgs: [13, 6], expertise: ['Hydrology'], location: north(3) };
  Object.assign(
    ids,
    Object.fromEntries(
      Object.entries(
        await createStakeholders(t, [
          { name: 'School', kind: 'SCHOOL', sdgs: [13, 6] },
          { name: 'Lab', kind: 'UNIVERSITY', ...fit, contactEmail: 'lab@uni.example', languages: ['nl'] },
          { name: 'Agency', kind: 'GOVERNMENT', ...fit, contactEmail: 'water@agency.example', languages: ['en'] },
          { name: 'Spare', kind: 'RESEARCH_INSTITUTE', ...fit },
        ]),
      ).map(([name, id]) => [name.toLowerCase(), id]),
    ),
  );
  expectData(
    await t.admin(AddHubMembersDocument, { hubId: ids.hub, stakeholderIds: [ids.school, ids.lab, ids.agency] }),
  );
  ids.challenge = await hydrologyChallenge('Floods');
});

/** A challenge of the school, under the hub, that wants hydrology (every partner here fits it). */
const hydrologyChallenge = async (title: string) =>
  (
    await createChallenge(t, {
      schoolId: ids.school,
      hubId: ids.hub,
      title,
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology'],
    })
  ).id;
afterAll(async () => {
  await t?.stop();
  await smtp?.close();
});

/** The link in a mail that starts with `PUBLIC`+`path`, as this server's own address. */
function linkIn(mail: ReceivedMail, path: string): string {
  const text = parseMail(mail.raw).text ?? '';
  const found = new RegExp(`${PUBLIC}${path}[A-Za-z0-9_-]+`).exec(text)?.[0];
  if (!found) throw new Error(`no ${path} link in:\n${text}`);
  return found.replace(PUBLIC, base);
}

const mailTo = async (address: string, after = 0): Promise<ReceivedMail> => {
  for (let n = after + 1; ; n++) {
    const all = await smtp.waitFor(n, 10_000);
    const found = all.slice(after).find((m) => m.to.includes(address));
    if (found) return found;
  }
};

const statusOf = async (id: string): Promise<string> =>
  ((await t.db.dataSource.query('SELECT status FROM partnership WHERE id = $1', [id])) as { status: string }[])[0]
    .status;

const sweepAt = (now: Date) => runDueNotifications(t.db.dataSource, notifyRuntimeOf(t.db.dataSource).queues, now);
const sweep = (daysAhead: number) => sweepAt(new Date(Date.now() + daysAhead * 86_400_000));

/**
 * The first whole hour, at least a day ahead, at which the clock in `timeZone` reads `hour`: one
 * sweep there queues exactly one daily digest, whatever the time of day the test runs.
 */
function tomorrowAt(hour: number, timeZone: string): Date {
  const localHour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' });
  const start = Math.ceil((Date.now() + 86_400_000) / 3_600_000) * 3_600_000;
  for (let h = 0; h < 48; h++) {
    const at = new Date(start + h * 3_600_000);
    if (Number(localHour.format(at)) === hour) return at;
  }
  throw new Error(`no hour ${hour} in ${timeZone} within two days`);
}

describe('an invitation by e-mail', () => {
  it('reaches the partner in its language, and its link answers only once confirmed', async () => {
    const invited = expectData(
      await t.admin(InvitePartnerDocument, { challengeId: ids.challenge, stakeholderId: ids.lab, message: null }),
    ).invitePartner;
    const mail = await mailTo('lab@uni.example');
    const parsed = parseMail(mail.raw);
    expect(parsed.header('content-language')).toBe('nl');
    expect(parsed.header('subject')).toContain('Floods');
    expect(parsed.header('list-unsubscribe')).toBeUndefined(); // a transaction, not a notification
    const accept = linkIn(mail, '/answer/');

    const page = await fetch(accept);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('aanvaarden');
    expect(html).toContain('<form method="post"');
    // Opening the link (as a mail scanner does) answered nothing.
    expect(await statusOf(invited.id)).toBe('INVITED');

    const confirmed = await fetch(accept, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Je hebt aanvaard');
    expect(await statusOf(invited.id)).toBe('ACCEPTED');
    const [row]: { answer_counts: boolean }[] = await t.db.dataSource.query(
      'SELECT answer_counts FROM partnership WHERE id = $1',
      [invited.id],
    );
    expect(row.answer_counts).toBe(true); // the partner's own word, in its track record

    // Used: the same link, and its decline sibling, say so and change nothing.
    for (const again of [accept, accept.replace(/[^/]+$/, 'x'.repeat(43))]) {
      const r = await fetch(again, { method: 'POST' });
      expect([404, 410]).toContain(r.status);
    }
    expect((await fetch(accept)).status).toBe(410);
    expect(await statusOf(invited.id)).toBe('ACCEPTED');
  });

  it('reminds half-way, then expires: the inviting side is told and the next best is on the board', async () => {
    const before = smtp.messages.length;
    const invited = expectData(
      await t.admin(InvitePartnerDocument, { challengeId: ids.challenge, stakeholderId: ids.agency, message: null }),
    ).invitePartner;
    const first = await mailTo('water@agency.example', before);
    expect(parseMail(first.raw).header('content-language')).toBe('en');
    const decline = linkIn(first, '/answer/');
    // The mail is at the SMTP server before its job marks it mailed; a reminder waits for that mark.
    await partnershipJobDone(t.db.dataSource, MAIL_QUEUES.invitation, invited.id);

    expect(await sweep(3)).toMatchObject({ expired: 0, reminders: 0 });
    expect(await sweep(8)).toMatchObject({ expired: 0, reminders: 1 });
    const reminder = await mailTo('water@agency.example', smtp.messages.indexOf(first) + 1);
    expect(parseMail(reminder.raw).header('subject')).toMatch(/remind/i);
    expect(await sweep(9)).toMatchObject({ reminders: 0 }); // once

    expect(await sweep(15)).toMatchObject({ expired: 1 });
    await t.live.settle();
    expect(await statusOf(invited.id)).toBe('EXPIRED');
    const told = await mailTo('an@hub.example', before);
    expect(parseMail(told.raw).text).toContain('Floods');
    // The old link now says the invitation expired.
    expect((await fetch(decline)).status).toBe(410);

    const board = expectData(await t.admin(NextPartnersDocument, { hubId: ids.hub })).hubBoard;
    const next = board.needsNextPartner.find((n) => n.challenge.id === ids.challenge)!;
    expect(next.partnership).toEqual({ id: invited.id, status: 'EXPIRED' });
    const names = next.suggestions.map((s) => s.stakeholder.id);
    expect(names).toContain(ids.spare);
    expect(names).not.toContain(ids.agency); // asked already
    expect(names).not.toContain(ids.lab); // takes part already
  });
});

describe("a coordinator's digest", () => {
  it('is confirmed by its link, holds the hub’s news, and stops in one click', async () => {
    const before = smtp.messages.length;
    const sub = expectData(
      await t.admin(SubscribeToDigestDocument, {
        input: { hubId: ids.hub, email: 'an@hub.example', lang: 'NL', frequency: 'DAILY' },
      }),
    ).subscribeToDigest;
    expect(sub.confirmed).toBe(false);
    const confirmMail = await mailTo('an@hub.example', before);
    const confirm = linkIn(confirmMail, '/digest/confirm/');
    // One moment past the digest hour of the hub's next day (Leuven Makers keeps Europe/Brussels).
    const digestTime = tomorrowAt(DIGEST_HOUR + 2, 'Europe/Brussels');
    expect(await sweepAt(digestTime)).toMatchObject({ digests: 0 }); // not before it is confirmed
    expect((await fetch(confirm)).status).toBe(200);
    expect((await fetch(confirm, { method: 'POST' })).status).toBe(200);
    // Another hub's challenge, which the newcomer fits as well: none of this hub's business.
    const other = expectData(await t.admin(CreateHubDocument, { input: { name: 'Elsewhere' } })).createHub.id;
    const { 'Other school': otherSchool } = await createStakeholders(t, [
      { name: 'Other school', kind: 'SCHOOL', sdgs: [13, 6], hubIds: [other] },
    ]);
    await createChallenge(t, {
      schoolId: otherSchool,
      hubId: other,
      title: 'Drought',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology'],
    });
    // News after the confirmation: a partner that fits the hub's open challenge joins.
    await createStakeholders(t, [
      { name: 'Newcomer', kind: 'UNIVERSITY', sdgs: [13, 6], expertise: ['Hydrology'], location: north(2) },
    ]);

    expect(await sweepAt(digestTime)).toMatchObject({ digests: 1 });
    const digest = await mailTo('an@hub.example', smtp.messages.indexOf(confirmMail) + 1);
    const parsed = parseMail(digest.raw);
    expect(parsed.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const oneClick = /<([^>]+)>/.exec(parsed.header('list-unsubscribe') ?? '')![1].replace(PUBLIC, base);
    expect(parsed.text).toContain('Floods');
    expect(parsed.text).toContain('Newcomer');
    expect(parsed.text).not.toContain('Drought');
    const stopped = await fetch(oneClick, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(stopped.status).toBe(200);
    expect(await sweepAt(new Date(digestTime.getTime() + 86_400_000))).toMatchObject({ digests: 0 });
  });
});

describe('the sweep', () => {
  it('expires an invitation while another transaction writes a row that refers to it', async () => {
    const challenge = await hydrologyChallenge('Drought');
    const invited = expectData(
      await t.admin(InvitePartnerDocument, { challengeId: challenge, stakeholderId: ids.spare, message: null }),
    ).invitePartner;
    await partnershipJobDone(t.db.dataSource, MAIL_QUEUES.invitation, invited.id);
    // An open transaction holds the key share lock a foreign key takes (an answer link being issued).
    const writer = t.db.dataSource.createQueryRunner();
    await writer.startTransaction();
    try {
      await writer.query(
        `INSERT INTO answer_token (token_hash, partnership_id, accept, expires_at)
         VALUES (sha256(random()::text::bytea), $1, true, now() + interval '1 day')`,
        [invited.id],
      );
      expect((await sweep(15)).expired).toBeGreaterThanOrEqual(1);
      expect(await statusOf(invited.id)).toBe('EXPIRED');
    } finally {
      await writer.rollbackTransaction();
      await writer.release();
    }
  });
});
