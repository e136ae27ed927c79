import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Language } from '../../src/domain/language';
import { silentLogger } from '../../src/log/logger';
import { defaultMailSettings, MailSettings } from '../../src/mail/mail-settings';
import { createMailer, describeMailer, emlFileName, Mailer } from '../../src/mail/mailer';
import { digestMail, invitationMail } from '../../src/mail/messages';
import { parseMail, SmtpCapture, startSmtpServer } from '../helpers/smtp-server';

const FROM = 'Leuven Hub via Matchmaker <no-reply@match.example>';

const invitation = invitationMail({
  lang: Language.NL,
  partnerName: 'Leuven Sensors',
  challengeTitle: 'Schone lucht <voor iedereen>',
  challengeDescription: null,
  schoolName: 'Leuven College',
  hubName: 'Leuven Hub',
  message: null,
  reasons: ['Werkt aan SDG 13'],
  acceptUrl: 'https://match.example/answer/t1?answer=accept',
  declineUrl: 'https://match.example/answer/t1?answer=decline',
  expiresAt: new Date('2025-03-03T23:30:00Z'),
  timeZone: 'Europe/Brussels',
});

const digest = digestMail({
  lang: Language.FR,
  hubName: 'Hub de Liège',
  frequency: 'DAILY',
  since: new Date('2025-03-02T23:00:00Z'),
  timeZone: 'Europe/Brussels',
  newMatches: [{ challengeTitle: 'Énergie solaire', partnerName: 'Soleil & Cie', score: 0.91 }],
  waitingLongest: [],
  expiringSoon: [],
  declinedOrExpired: [],
  nearCapacity: [],
  unsubscribeUrl: 'https://match.example/digest/unsubscribe?t=abc',
  oneClickUrl: 'https://match.example/digest/one-click?t=abc',
});

describe('mailer', () => {
  const disposers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const dispose of disposers.reverse()) await dispose();
  });

  describe('over SMTP', () => {
    let smtp: SmtpCapture;
    let mailer: Mailer;
    let settings: MailSettings;
    beforeAll(async () => {
      smtp = await startSmtpServer();
      disposers.push(() => smtp.close());
      // Credentials in the URL, as SMTP_URL carries them.
      settings = {
        ...defaultMailSettings('/unused'),
        from: FROM,
        smtpUrl: `smtp://mailer:s3cret@127.0.0.1:${smtp.port}`,
      };
      mailer = createMailer(settings, silentLogger);
      disposers.push(() => mailer.close());
    });

    it('says where mail goes without the password', () => {
      expect(mailer.transport).toBe('smtp');
      expect(mailer.description).toBe(`SMTP smtp://127.0.0.1:${smtp.port}`);
      expect(describeMailer(settings)).not.toContain('s3cret');
    });

    it('delivers a digest with its subject, language and one-click unsubscribe headers', async () => {
      const before = smtp.messages.length;
      const sent = await mailer.send({ to: 'coordinator@liege.example', lang: Language.FR, ...digest });
      const [received] = (await smtp.waitFor(before + 1)).slice(before);
      expect(received.from).toBe('no-reply@match.example');
      expect(received.to).toEqual(['coordinator@liege.example']);
      expect(received.user).toBe('mailer');
      const mail = parseMail(received.raw);
      expect(mail.header('Subject')).toBe(digest.subject);
      expect(mail.header('Subject')).toBe('Récapitulatif quotidien pour Hub de Liège');
      expect(mail.header('From')).toBe(FROM);
      expect(mail.header('Message-ID')).toBe(sent.messageId);
      expect(mail.header('Content-Language')).toBe('fr');
      expect(mail.header('List-Unsubscribe')).toBe('<https://match.example/digest/one-click?t=abc>');
      expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.header('Auto-Submitted')).toBe('auto-generated');
      expect(mail.text).toBe(digest.text);
      expect(mail.html).toBe(digest.html);
      expect(sent.file).toBeUndefined();
    });

    it('delivers an invitation as a transactional mail: no List-Unsubscribe', async () => {
      const before = smtp.messages.length;
      await mailer.send({ to: '"Leuven Sensors" <info@sensors.example>', lang: Language.NL, ...invitation });
      const [received] = (await smtp.waitFor(before + 1)).slice(before);
      expect(received.to).toEqual(['info@sensors.example']);
      const mail = parseMail(received.raw);
      expect(mail.header('Subject')).toBe(invitation.subject);
      expect(mail.header('Content-Language')).toBe('nl');
      expect(mail.header('List-Unsubscribe')).toBeUndefined();
      expect(mail.text).toContain('Uitnodiging aanvaarden:\nhttps://match.example/answer/t1?answer=accept');
    });

    it('rejects when no server answers, and says so', async () => {
      const gone = await startSmtpServer();
      await gone.close();
      const broken = createMailer({ ...settings, smtpUrl: gone.url }, silentLogger);
      try {
        await expect(broken.send({ to: 'a@b.example', lang: Language.EN, ...invitation })).rejects.toThrow(
          /ECONNREFUSED/,
        );
      } finally {
        broken.close();
      }
    });
  });

  describe('without SMTP', () => {
    it('writes each message as an .eml file in the outbox folder, which it creates', async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mailer-test-'));
      disposers.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const settings = defaultMailSettings(dataDir);
      const mailer = createMailer(settings, silentLogger);
      expect(mailer.transport).toBe('files');
      expect(mailer.description).toBe(`files in ${path.join(dataDir, 'mail')}`);

      const first = await mailer.send({ to: 'info@sensors.example', lang: Language.NL, ...invitation });
      const second = await mailer.send({ to: 'hub@liege.example', lang: Language.FR, ...digest });
      mailer.close();

      const files = readdirSync(settings.outboxDir).sort();
      expect(files).toHaveLength(2);
      expect([first.file, second.file].map((f) => path.basename(f ?? '')).sort()).toEqual(files);
      for (const file of files) {
        expect(file).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[A-Za-z0-9.-]+\.eml$/);
      }
      const raw = readFileSync(first.file ?? '', 'utf8');
      expect(raw).toMatch(/\r\n\r\n/); // RFC 5322 line ends
      const mail = parseMail(raw);
      expect(mail.header('Subject')).toBe('Uitnodiging: help Leuven College met "Schone lucht <voor iedereen>"');
      expect(mail.header('From')).toBe('Open Schooling Matchmaker <no-reply@localhost>');
      expect(mail.header('To')).toBe('info@sensors.example');
      expect(mail.header('Content-Language')).toBe('nl');
      expect(mail.header('Message-ID')).toBe(first.messageId);
      expect(mail.text).toBe(invitation.text);
      expect(mail.html).toContain('Schone lucht &#60;voor iedereen&#62;');
      expect(parseMail(readFileSync(second.file ?? '', 'utf8')).header('List-Unsubscribe-Post')).toBe(
        'List-Unsubscribe=One-Click',
      );
    });

    it('names files by time and Message-ID in safe characters only', () => {
      const at = new Date('2025-03-03T13:04:05.678Z');
      expect(emlFileName(at, '<a1b2-c3@match.example>')).toBe('2025-03-03T13-04-05.678Z-a1b2-c3.eml');
      expect(emlFileName(at, '<../../etc/passwd x@y>')).toBe('2025-03-03T13-04-05.678Z-..-..-etc-passwd-x.eml');
      expect(emlFileName(at, '')).toBe('2025-03-03T13-04-05.678Z-message.eml');
    });
  });
});
