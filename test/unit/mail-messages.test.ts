import { Language } from '../../src/domain/language';
import {
  digestConfirmMail,
  DigestMailFacts,
  digestMail,
  invitationExpiredMail,
  InvitationMailFacts,
  invitationMail,
  RenderedMail,
  reminderMail,
} from '../../src/mail/messages';

const { EN, NL, FR } = Language;
const LANGUAGES = [EN, NL, FR];
const BRUSSELS = 'Europe/Brussels';
// 23:30 UTC: already Tuesday 4 March in Brussels, still Monday 3 March in New York.
const EXPIRES = new Date('2025-03-03T23:30:00Z');

const REASONS: Record<Language, string[]> = {
  EN: ['Works on SDG 13', 'Knows air sensors'],
  NL: ['Werkt aan SDG 13', 'Kent luchtsensoren'],
  FR: ['Travaille sur l’ODD 13', 'Connaît les capteurs d’air'],
};

const invitation = (lang: Language, over: Partial<InvitationMailFacts> = {}): InvitationMailFacts => ({
  lang,
  partnerName: 'Leuven Sensors',
  challengeTitle: 'Clean air',
  challengeDescription: 'CO2, NO2\nPM10',
  schoolName: 'Leuven College',
  hubName: 'Leuven Hub',
  message: null,
  reasons: REASONS[lang],
  acceptUrl: 'https://match.example/answer/tok123?answer=accept',
  declineUrl: 'https://match.example/answer/tok123?answer=decline',
  expiresAt: EXPIRES,
  timeZone: BRUSSELS,
  ...over,
});

const digest = (lang: Language, over: Partial<DigestMailFacts> = {}): DigestMailFacts => ({
  lang,
  hubName: 'Leuven Hub',
  frequency: 'WEEKLY',
  since: new Date('2025-02-24T08:00:00Z'),
  timeZone: BRUSSELS,
  newMatches: [{ challengeTitle: 'Clean air', partnerName: 'Leuven Sensors', score: 0.873 }],
  waitingLongest: [{ challengeTitle: 'Bees', partnerName: 'Imkers Leuven', days: 12 }],
  expiringSoon: [{ challengeTitle: 'Bees', partnerName: 'Imkers Leuven', expiresAt: EXPIRES }],
  declinedOrExpired: [
    { challengeTitle: 'Compost', partnerName: 'Farm 1', status: 'DECLINED', nextBest: ['Farm 2', 'Farm 3'] },
    { challengeTitle: 'Solar', partnerName: 'Sun Co', status: 'EXPIRED', nextBest: [] },
  ],
  nearCapacity: [{ partnerName: 'Leuven Sensors', accepted: 4, capacity: 5 }],
  unsubscribeUrl: 'https://match.example/digest/unsubscribe?t=abc',
  oneClickUrl: 'https://match.example/digest/one-click?t=abc',
  ...over,
});

const expired = (lang: Language) =>
  invitationExpiredMail({
    lang,
    recipientName: 'Ann Coordinator',
    partnerName: 'Leuven Sensors',
    challengeTitle: 'Clean air',
    boardUrl: 'https://match.example/board/ch-1',
    timeZone: BRUSSELS,
    expiredAt: EXPIRES,
  });

const confirm = (lang: Language) =>
  digestConfirmMail({
    lang,
    hubName: 'Leuven Hub',
    frequency: 'DAILY',
    confirmUrl: 'https://match.example/digest/confirm?t=xyz',
  });

/** Every message of one language, by name. */
const allMails = (lang: Language): [string, RenderedMail][] => [
  ['invitation', invitationMail(invitation(lang))],
  ['invitation with a message', invitationMail(invitation(lang, { message: 'Hello,\n\nJoin us.\n\nAnn' }))],
  ['reminder', reminderMail(invitation(lang))],
  ['expired', expired(lang)],
  ['digest confirmation', confirm(lang)],
  ['digest', digestMail(digest(lang))],
  ['empty digest', digestMail(digest(lang, emptyDigest))],
];

const emptyDigest = { newMatches: [], waitingLongest: [], expiringSoon: [], declinedOrExpired: [], nearCapacity: [] };

// Words of an English sentence (not "of": Dutch for "or"); names in the facts ("Leuven Sensors") and
// "hub", "match" are not among them.
const ENGLISH = /\b(the|you|your|and|with|please|this|will|to|by|for|answer|expires|challenge|since)\b/i;

/** The HTML's text: tags dropped, line breaks kept, entities decoded, spaces collapsed. */
function htmlText(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ');
}

/** Spaces, no-break ones too, as one plain space. */
const spaces = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('mail messages', () => {
  describe.each([
    {
      lang: EN,
      subjects: {
        invitation: 'Invitation: help Leuven College with "Clean air"',
        reminder: 'Reminder: please answer the invitation for "Clean air" by Tuesday, 4 March 2025',
        expired: 'Invitation expired: Leuven Sensors for "Clean air"',
        confirm: 'Confirm your daily digest for Leuven Hub',
        digest: 'Weekly digest for Leuven Hub',
      },
      confirmPage: 'Each link opens a page that asks you to confirm your answer',
      accept: 'Accept the invitation',
      expiresOn: 'expires on Tuesday, 4 March 2025 at 00:30 CET',
      reminder: 'We have not received your answer yet',
      board: 'Open the board',
      optIn: 'ignore this e-mail: nothing will be sent',
      percent: '(87% match)',
      nextBest: 'Next best: Farm 2 and Farm 3.',
      nothingNew: 'Nothing new for Leuven Hub since Monday, 24 February 2025.',
    },
    {
      lang: NL,
      subjects: {
        invitation: 'Uitnodiging: help Leuven College met "Clean air"',
        reminder: 'Herinnering: beantwoord de uitnodiging voor "Clean air" uiterlijk op dinsdag 4 maart 2025',
        expired: 'Uitnodiging verlopen: Leuven Sensors voor "Clean air"',
        confirm: 'Bevestig uw dagelijkse overzicht voor Leuven Hub',
        digest: 'Wekelijks overzicht voor Leuven Hub',
      },
      confirmPage: 'Elke link opent een pagina die u vraagt uw antwoord te bevestigen',
      accept: 'Uitnodiging aanvaarden',
      expiresOn: 'vervalt op dinsdag 4 maart 2025 om 00:30 CET',
      reminder: 'We hebben uw antwoord nog niet ontvangen',
      board: 'Het bord openen',
      optIn: 'Negeer dan deze e-mail: er wordt niets verstuurd',
      percent: '(87% match)',
      nextBest: 'Volgende beste: Farm 2 en Farm 3.',
      nothingNew: 'Niets nieuws voor Leuven Hub sinds maandag 24 februari 2025.',
    },
    {
      lang: FR,
      subjects: {
        invitation: 'Invitation\u00a0: le défi «\u00a0Clean air\u00a0» de Leuven College',
        reminder:
          'Rappel\u00a0: merci de répondre à l’invitation pour «\u00a0Clean air\u00a0» d’ici le mardi 4 mars 2025',
        expired: 'Invitation expirée\u00a0: Leuven Sensors pour «\u00a0Clean air\u00a0»',
        confirm: 'Confirmez votre récapitulatif quotidien pour Leuven Hub',
        digest: 'Récapitulatif hebdomadaire pour Leuven Hub',
      },
      confirmPage: 'Chaque lien ouvre une page qui vous demande de confirmer votre réponse',
      accept: 'Accepter l’invitation',
      expiresOn: 'expire le mardi 4 mars 2025 à 00:30 UTC+1',
      reminder: 'Nous n’avons pas encore reçu votre réponse',
      board: 'Ouvrir le tableau',
      optIn: 'ignorez cet e-mail\u00a0: rien ne sera envoyé',
      percent: '(87 % de correspondance)', // the space is a no-break one
      nextBest: 'Meilleurs partenaires suivants\u00a0: Farm 2 et Farm 3.',
      nothingNew: 'Rien de nouveau pour Leuven Hub depuis le lundi 24 février 2025.',
    },
  ])('in $lang', (t) => {
    it('writes each subject', () => {
      expect(invitationMail(invitation(t.lang)).subject).toBe(t.subjects.invitation);
      expect(reminderMail(invitation(t.lang)).subject).toBe(t.subjects.reminder);
      expect(expired(t.lang).subject).toBe(t.subjects.expired);
      expect(confirm(t.lang).subject).toBe(t.subjects.confirm);
      expect(digestMail(digest(t.lang)).subject).toBe(t.subjects.digest);
    });

    it('invites with both links, says a link asks to confirm, and when the invitation expires', () => {
      const mail = invitationMail(invitation(t.lang));
      for (const body of [mail.text, htmlText(mail.html)]) {
        expect(body).toContain(t.confirmPage);
        expect(body).toContain(t.accept);
        expect(body).toContain(t.expiresOn);
        REASONS[t.lang].forEach((reason) => expect(body).toContain(reason));
      }
      expect(mail.text).toContain('https://match.example/answer/tok123?answer=accept');
      expect(mail.html).toContain('href="https://match.example/answer/tok123?answer=decline"');
    });

    it('reminds with the same links and the expiry', () => {
      const mail = reminderMail(invitation(t.lang));
      expect(mail.text).toContain(t.reminder);
      expect(mail.text).toContain(t.expiresOn);
      expect(mail.text).toContain('https://match.example/answer/tok123?answer=accept');
      expect(mail.text).toContain('https://match.example/answer/tok123?answer=decline');
    });

    it('tells the coordinator of an expiry and links the board', () => {
      const mail = expired(t.lang);
      expect(mail.text).toContain(t.board);
      expect(mail.text).toContain('https://match.example/board/ch-1');
      expect(mail.text).toContain('Ann Coordinator');
    });

    it('asks to confirm a digest subscription', () => {
      const mail = confirm(t.lang);
      expect(mail.text).toContain('https://match.example/digest/confirm?t=xyz');
      expect(mail.text).toContain(t.optIn);
    });

    it('writes scores as percentages and next-best partners as a list; an empty digest says nothing is new', () => {
      const full = digestMail(digest(t.lang)).text;
      expect(spaces(full)).toContain(t.percent);
      expect(full).toContain(t.nextBest);
      expect(digestMail(digest(t.lang, emptyDigest)).text).toContain(t.nothingNew);
    });

    if (t.lang !== EN) {
      it.each(allMails(t.lang))('writes the %s without an English sentence', (_name, mail) => {
        for (const body of [mail.subject, mail.text, htmlText(mail.html)]) {
          expect(body.replace(/https:\/\/\S+/g, '')).not.toMatch(ENGLISH);
        }
      });
    }
  });

  describe.each(LANGUAGES)('in %s', (lang) => {
    it.each(allMails(lang))('the %s has the same content in text and HTML, and nothing left blank', (_name, mail) => {
      const html = htmlText(mail.html);
      const lines = mail.text.split('\n');
      lines.forEach((line, i) => {
        const content = line.replace(/^(- |> )/, '').trim();
        if (!content || /^-+$/.test(content) || content === '--') return;
        if (content.startsWith('https://')) {
          expect(mail.html).toContain(`href="${content}"`);
        } else if (lines[i + 1]?.startsWith('https://')) {
          expect(html).toContain(spaces(content.replace(/\s*:$/, ''))); // a button's label
        } else {
          expect(html).toContain(spaces(content.replace(/\s*:?\s*https:\/\/\S+$/, ''))); // the footer's link
        }
      });
      for (const body of [mail.subject, mail.text, mail.html]) expect(body).not.toMatch(/undefined|null|NaN|\[object/);
    });

    it('escapes every value in HTML and leaves it as it is in text', () => {
      const evil = '<script>alert("x")</script> & \'co\'';
      const mails = [
        invitationMail(
          invitation(lang, {
            challengeTitle: evil,
            partnerName: `${evil} partner`,
            schoolName: `${evil} school`,
            hubName: `${evil} hub`,
            challengeDescription: evil,
            message: evil,
            reasons: [evil],
          }),
        ),
        reminderMail(invitation(lang, { challengeTitle: evil })),
        invitationExpiredMail({
          lang,
          recipientName: evil,
          partnerName: evil,
          challengeTitle: evil,
          boardUrl: 'https://match.example/board?a=1&b="2"',
          timeZone: BRUSSELS,
        }),
        digestConfirmMail({ lang, hubName: evil, frequency: 'WEEKLY', confirmUrl: 'https://match.example/c' }),
        digestMail(
          digest(lang, {
            hubName: evil,
            newMatches: [{ challengeTitle: evil, partnerName: evil, score: 0.5 }],
            declinedOrExpired: [{ challengeTitle: evil, partnerName: evil, status: 'DECLINED', nextBest: [evil] }],
            nearCapacity: [{ partnerName: evil, accepted: 1, capacity: 2 }],
          }),
        ),
      ];
      for (const mail of mails) {
        expect(mail.html).not.toContain('<script');
        expect(mail.html).not.toContain('"x"');
        expect(mail.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;co&#39;');
        expect(mail.text).toContain(evil);
        expect(mail.subject).toContain(evil.split(' ')[0]);
      }
      expect(mails[2].html).toContain('href="https://match.example/board?a=1&#38;b=%222%22"');
    });
  });

  it('puts one-click unsubscribe headers (RFC 8058) on the digest only', () => {
    for (const lang of LANGUAGES) {
      for (const [name, mail] of allMails(lang)) {
        if (name.endsWith('digest')) {
          expect(mail.headers['List-Unsubscribe']).toBe('<https://match.example/digest/one-click?t=abc>');
          expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
          expect(mail.text).toContain('https://match.example/digest/unsubscribe?t=abc');
        } else {
          expect(Object.keys(mail.headers)).not.toContain('List-Unsubscribe');
          expect(Object.keys(mail.headers)).not.toContain('List-Unsubscribe-Post');
        }
        // Sent on their own, so out-of-office replies stay away; the invitation is a coordinator's own act.
        expect(mail.headers['Auto-Submitted']).toBe(name.startsWith('invitation') ? undefined : 'auto-generated');
      }
    }
  });

  it('writes dates in the reader’s time zone', () => {
    const newYork = invitationMail(invitation(EN, { timeZone: 'America/New_York' })).text;
    expect(newYork).toContain('expires on Monday, 3 March 2025 at 18:30 GMT-5');
    const brussels = invitationMail(invitation(NL)).text;
    expect(brussels).toContain('dinsdag 4 maart 2025 om 00:30 CET');
    const summer = invitationMail(invitation(FR, { expiresAt: new Date('2025-07-01T10:00:00Z') })).text;
    expect(summer).toContain('mardi 1 juillet 2025 à 12:00 UTC+2');
  });

  it('opens with the coordinator’s message as written, or else with a greeting of its own', () => {
    const message = 'Dear Leuven Sensors,\n\nWould you join us?\n\nAnn, Leuven Hub';
    const withMessage = invitationMail(invitation(EN, { message }));
    expect(withMessage.text.startsWith(message)).toBe(true);
    expect(withMessage.text.match(/Dear Leuven Sensors/g)).toHaveLength(1);
    expect(withMessage.html).toContain('<p>Dear Leuven Sensors,</p><p>Would you join us?</p><p>Ann, Leuven Hub</p>');
    const without = invitationMail(invitation(EN));
    expect(without.text.startsWith('Dear Leuven Sensors,\n\nLeuven Hub invites you')).toBe(true);
    const noHub = invitationMail(invitation(FR, { hubName: null })).text;
    expect(noHub).toContain('Un coordinateur de hub vous invite');
    expect(noHub).toContain('parce qu’un hub a invité');
  });

  it('leaves empty digest sections out', () => {
    const mail = digestMail(
      digest(EN, { ...emptyDigest, nearCapacity: [{ partnerName: 'P', accepted: 2, capacity: 2 }] }),
    );
    expect(mail.text).toContain('Nearly full');
    expect(mail.text).toContain('P: 2 of 2 places taken');
    for (const heading of ['New matches', 'Waiting longest', 'Expiring soon', 'Declined or expired']) {
      expect(mail.text).not.toContain(heading);
    }
    expect(mail.text).not.toContain('Nothing new');
  });

  it('keeps the subject on one line, and refuses a link that is not http(s)', () => {
    expect(invitationMail(invitation(EN, { challengeTitle: 'Clean\r\nBcc: x@example.org' })).subject).toBe(
      'Invitation: help Leuven College with "Clean Bcc: x@example.org"',
    );
    expect(() => invitationMail(invitation(EN, { acceptUrl: 'javascript:alert(1)' }))).toThrow(
      'a link in a mail must be an http(s) URL, got "javascript:alert(1)"',
    );
  });
});
