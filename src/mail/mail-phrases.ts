/**
 * Every sentence a mail says, once per language: messages.ts decides what a mail holds, these say it.
 * Values come in already formatted (dates, percentages, lists) and go out as plain text; escaping is
 * the renderer's job. Nothing here names anyone the caller did not pass.
 */
import { Language } from '../domain/language';
import { EN_PHRASES } from './mail-phrases.en';
import { FR_PHRASES } from './mail-phrases.fr';
import { NL_PHRASES } from './mail-phrases.nl';

/** How often a hub's digest comes. */
export type DigestFrequency = 'DAILY' | 'WEEKLY';

/** An invitation's names, as the sentences use them. */
export interface InvitationNames {
  partnerName: string;
  challengeTitle: string;
  schoolName: string;
  /** The inviting hub, or null: then "a hub coordinator". */
  hubName: string | null;
}

/** The sentences of one language. */
export interface MailPhrases {
  greeting(name: string): string;
  /** What separates a label from its value: ":", or a no-break space and ":" in French. */
  colon: string;

  invitationSubject(f: InvitationNames): string;
  /** The opening when the coordinator wrote no message. */
  invitationIntro(f: InvitationNames): string;
  challengeHeading: string;
  challengeLabel: string;
  schoolLabel: string;
  hubLabel: string;
  whyYouHeading: string;
  answerHeading: string;
  accept: string;
  decline: string;
  /** That each link opens a page that asks to confirm, and needs no account. */
  confirmNote: string;
  /** When the invitation expires and what happens then. */
  expiresOn(date: string): string;
  invitationFooter(f: InvitationNames): string;

  reminderSubject(f: InvitationNames, day: string): string;
  reminderIntro(f: InvitationNames): string;

  expiredSubject(f: { partnerName: string; challengeTitle: string }): string;
  /** `date` is when it expired, or null when the caller did not say. */
  expiredBody(f: { partnerName: string; challengeTitle: string }, date: string | null): string;
  expiredNext: string;
  openBoard: string;
  expiredFooter: string;

  digestConfirmSubject(hubName: string, frequency: DigestFrequency): string;
  digestConfirmBody(hubName: string, frequency: DigestFrequency): string;
  digestConfirmButton: string;
  digestConfirmIgnore: string;

  digestSubject(hubName: string, frequency: DigestFrequency): string;
  digestIntro(hubName: string, since: string): string;
  nothingNew(hubName: string, since: string): string;
  newMatchesHeading: string;
  newMatch(partnerName: string, challengeTitle: string, percent: string): string;
  waitingHeading: string;
  waiting(partnerName: string, challengeTitle: string, days: number): string;
  expiringHeading: string;
  expiring(partnerName: string, challengeTitle: string, date: string): string;
  declinedOrExpiredHeading: string;
  declined(partnerName: string, challengeTitle: string): string;
  expired(partnerName: string, challengeTitle: string): string;
  /** Appended to a declined or expired line: the next-best partners, as a list. */
  nextBest(list: string): string;
  nearCapacityHeading: string;
  nearCapacity(partnerName: string, accepted: number, capacity: number): string;
  digestFooter(hubName: string, frequency: DigestFrequency): string;
  unsubscribe: string;
}

/** The sentences of each language. */
export const PHRASES: Readonly<Record<Language, MailPhrases>> = Object.freeze({
  EN: EN_PHRASES,
  NL: NL_PHRASES,
  FR: FR_PHRASES,
});
