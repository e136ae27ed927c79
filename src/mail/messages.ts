/**
 * The service's mails, rendered from plain facts in the reader's language: each is a subject, a plain-text
 * and an HTML body with the same content, and the header fields it needs. Pure functions: the caller looks
 * the facts up (and masks names a reader may not see), these only write.
 */
import type { Language } from '../domain/language';
import { checkedUrl, MailBlock, renderHtml, renderText } from './mail-blocks';
import { formatDateTime, formatDay, formatList, formatPercent } from './mail-format';
import { DigestFrequency, MailPhrases, PHRASES } from './mail-phrases';

export type { DigestFrequency } from './mail-phrases';

/** A mail ready for the mailer (add `to` and `lang`). */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** What an invitation and its reminder say. */
export interface InvitationMailFacts {
  lang: Language;
  partnerName: string;
  challengeTitle: string;
  challengeDescription: string | null;
  schoolName: string;
  /** The inviting hub, or null: then the mail speaks of "a hub coordinator". */
  hubName: string | null;
  /** The coordinator's message (or the drafted one); it opens the invitation, greeting and all. */
  message: string | null;
  /** Why the partner was matched, already in `lang`. */
  reasons: string[];
  /** Opens the page that asks to confirm accepting. */
  acceptUrl: string;
  /** Opens the page that asks to confirm declining. */
  declineUrl: string;
  expiresAt: Date;
  /** The reader's IANA time zone, e.g. "Europe/Brussels": dates are written in it. */
  timeZone: string;
}

/** What the mail to a coordinator about an expired invitation says. */
export interface InvitationExpiredMailFacts {
  lang: Language;
  /** Who reads it: the coordinator. */
  recipientName: string;
  partnerName: string;
  challengeTitle: string;
  /** The challenge's board, where the next-best partners are. */
  boardUrl: string;
  timeZone: string;
  /** When it expired; left out of the mail when not given. */
  expiredAt?: Date;
}

/** What the double opt-in for a digest says. */
export interface DigestConfirmMailFacts {
  lang: Language;
  hubName: string;
  frequency: DigestFrequency;
  confirmUrl: string;
}

/** What a hub's digest holds; empty sections are left out. */
export interface DigestMailFacts {
  lang: Language;
  hubName: string;
  frequency: DigestFrequency;
  /** The start of the period the digest covers. */
  since: Date;
  timeZone: string;
  /** Scores in [0, 1]. */
  newMatches: { challengeTitle: string; partnerName: string; score: number }[];
  waitingLongest: { challengeTitle: string; partnerName: string; days: number }[];
  expiringSoon: { challengeTitle: string; partnerName: string; expiresAt: Date }[];
  declinedOrExpired: {
    challengeTitle: string;
    partnerName: string;
    status: 'DECLINED' | 'EXPIRED';
    /** The next-best partners' names, best first. */
    nextBest: string[];
  }[];
  nearCapacity: { partnerName: string; accepted: number; capacity: number }[];
  /** A page to unsubscribe (linked in the body). */
  unsubscribeUrl: string;
  /** The RFC 8058 one-click address: a POST there unsubscribes (named in `List-Unsubscribe`). */
  oneClickUrl: string;
}

/** Mail a program sends on its own (RFC 3834): out-of-office replies are not sent back to it. */
const AUTOMATIC = { 'Auto-Submitted': 'auto-generated' } as const;

/** An invitation to a partner: the coordinator's message, the challenge, why them, and two links to answer. */
export function invitationMail(f: InvitationMailFacts): RenderedMail {
  const p = PHRASES[f.lang];
  const opening: MailBlock[] = f.message?.trim()
    ? [{ kind: 'letter', text: f.message }]
    : [
        { kind: 'paragraph', text: p.greeting(f.partnerName) },
        { kind: 'paragraph', text: p.invitationIntro(f) },
      ];
  // Transactional: the partner is answering one request, so no List-Unsubscribe.
  return render(f.lang, p.invitationSubject(f), [...opening, ...invitationDetails(f, p)], {});
}

/** The half-way reminder of an invitation not yet answered: when it expires, and the same links. */
export function reminderMail(f: InvitationMailFacts): RenderedMail {
  const p = PHRASES[f.lang];
  const opening: MailBlock[] = [
    { kind: 'paragraph', text: p.greeting(f.partnerName) },
    { kind: 'paragraph', text: p.reminderIntro(f) },
  ];
  const subject = p.reminderSubject(f, formatDay(f.expiresAt, f.lang, f.timeZone));
  return render(f.lang, subject, [...opening, ...invitationDetails(f, p)], { ...AUTOMATIC });
}

function invitationDetails(f: InvitationMailFacts, p: MailPhrases): MailBlock[] {
  const labelled = (label: string, value: string) => `${label}${p.colon} ${value}`;
  const facts = [labelled(p.challengeLabel, f.challengeTitle), labelled(p.schoolLabel, f.schoolName)];
  if (f.hubName) facts.push(labelled(p.hubLabel, f.hubName));
  return [
    { kind: 'heading', text: p.challengeHeading },
    { kind: 'list', items: facts },
    ...(f.challengeDescription?.trim() ? [{ kind: 'quote', text: f.challengeDescription } as const] : []),
    ...(f.reasons.length
      ? [{ kind: 'heading', text: p.whyYouHeading } as const, { kind: 'list', items: f.reasons } as const]
      : []),
    { kind: 'heading', text: p.answerHeading },
    { kind: 'paragraph', text: p.expiresOn(formatDateTime(f.expiresAt, f.lang, f.timeZone)) },
    {
      kind: 'actions',
      links: [
        { label: p.accept, url: f.acceptUrl },
        { label: p.decline, url: f.declineUrl },
      ],
    },
    { kind: 'paragraph', text: p.confirmNote },
    { kind: 'footer', text: p.invitationFooter(f) },
  ];
}

/** To the inviting coordinator: the invitation expired unanswered; the board shows whom to ask next. */
export function invitationExpiredMail(f: InvitationExpiredMailFacts): RenderedMail {
  const p = PHRASES[f.lang];
  const when = f.expiredAt ? formatDateTime(f.expiredAt, f.lang, f.timeZone) : null;
  return render(
    f.lang,
    p.expiredSubject(f),
    [
      { kind: 'paragraph', text: p.greeting(f.recipientName) },
      { kind: 'paragraph', text: p.expiredBody(f, when) },
      { kind: 'paragraph', text: p.expiredNext },
      { kind: 'actions', links: [{ label: p.openBoard, url: f.boardUrl }] },
      { kind: 'footer', text: p.expiredFooter },
    ],
    { ...AUTOMATIC },
  );
}

/** The double opt-in of a digest: nothing is sent until its link is followed. */
export function digestConfirmMail(f: DigestConfirmMailFacts): RenderedMail {
  const p = PHRASES[f.lang];
  return render(
    f.lang,
    p.digestConfirmSubject(f.hubName, f.frequency),
    [
      { kind: 'paragraph', text: p.digestConfirmBody(f.hubName, f.frequency) },
      { kind: 'actions', links: [{ label: p.digestConfirmButton, url: f.confirmUrl }] },
      { kind: 'paragraph', text: p.digestConfirmIgnore },
    ],
    { ...AUTOMATIC },
  );
}

/**
 * A hub's daily or weekly digest. A notification one subscribed to, so it carries RFC 8058 one-click
 * unsubscribe headers (the one https address a POST unsubscribes at) besides the link in its footer.
 */
export function digestMail(f: DigestMailFacts): RenderedMail {
  const { lang } = f;
  const p = PHRASES[lang];
  const since = formatDay(f.since, lang, f.timeZone);
  const sections: [heading: string, items: string[]][] = [
    [
      p.newMatchesHeading,
      f.newMatches.map((m) => p.newMatch(m.partnerName, m.challengeTitle, formatPercent(m.score, lang))),
    ],
    [p.waitingHeading, f.waitingLongest.map((w) => p.waiting(w.partnerName, w.challengeTitle, w.days))],
    [
      p.expiringHeading,
      f.expiringSoon.map((e) =>
        p.expiring(e.partnerName, e.challengeTitle, formatDateTime(e.expiresAt, lang, f.timeZone)),
      ),
    ],
    [
      p.declinedOrExpiredHeading,
      f.declinedOrExpired.map((d) => {
        const what = (d.status === 'DECLINED' ? p.declined : p.expired)(d.partnerName, d.challengeTitle);
        return d.nextBest.length ? `${what} ${p.nextBest(formatList(d.nextBest, lang))}` : what;
      }),
    ],
    [p.nearCapacityHeading, f.nearCapacity.map((n) => p.nearCapacity(n.partnerName, n.accepted, n.capacity))],
  ];
  const filled = sections.filter(([, items]) => items.length > 0);
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: filled.length ? p.digestIntro(f.hubName, since) : p.nothingNew(f.hubName, since) },
    ...filled.flatMap(([heading, items]): MailBlock[] => [
      { kind: 'heading', text: heading },
      { kind: 'list', items },
    ]),
    {
      kind: 'footer',
      text: p.digestFooter(f.hubName, f.frequency),
      link: { label: p.unsubscribe, url: f.unsubscribeUrl },
    },
  ];
  return render(lang, p.digestSubject(f.hubName, f.frequency), blocks, {
    ...AUTOMATIC,
    'List-Unsubscribe': `<${checkedUrl(f.oneClickUrl)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
}

function render(lang: Language, subject: string, blocks: MailBlock[], headers: Record<string, string>): RenderedMail {
  // A title or name with a line break must not break the Subject header.
  // eslint-disable-next-line no-control-regex
  const oneLine = subject.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return {
    subject: oneLine,
    text: renderText(blocks, PHRASES[lang].colon),
    html: renderHtml(blocks, oneLine, lang.toLowerCase()),
    headers,
  };
}
