/** The mails' sentences in English. */
import type { DigestFrequency, MailPhrases } from './mail-phrases';

const FREQUENCY: Record<DigestFrequency, string> = { DAILY: 'daily', WEEKLY: 'weekly' };
const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const EN_PHRASES: MailPhrases = {
  greeting: (name) => `Dear ${name},`,
  colon: ':',

  invitationSubject: (f) => `Invitation: help ${f.schoolName} with "${f.challengeTitle}"`,
  invitationIntro: (f) =>
    `${f.hubName ?? 'A hub coordinator'} invites you to help the pupils and teachers of ${f.schoolName} ` +
    `with their challenge "${f.challengeTitle}".`,
  challengeHeading: 'The challenge',
  challengeLabel: 'Challenge',
  schoolLabel: 'School',
  hubLabel: 'Hub',
  whyYouHeading: 'Why we thought of you',
  answerHeading: 'Your answer',
  accept: 'Accept the invitation',
  decline: 'Decline',
  confirmNote:
    'Each link opens a page that asks you to confirm your answer: nothing is recorded until you do. ' +
    'You need no account and no password.',
  expiresOn: (date) =>
    `This invitation expires on ${date}. Without an answer by then, the hub will invite another partner.`,
  invitationFooter: (f) =>
    `You receive this e-mail because ${f.hubName ?? 'a hub'} invited ${f.partnerName} through the ` +
    'Open Schooling Matchmaker. Replies to this address are not read: please answer with the links above.',

  reminderSubject: (f, day) => `Reminder: please answer the invitation for "${f.challengeTitle}" by ${day}`,
  reminderIntro: (f) =>
    `Some time ago, ${f.hubName ?? 'a hub coordinator'} invited you to help the pupils and teachers of ` +
    `${f.schoolName} with their challenge "${f.challengeTitle}". We have not received your answer yet.`,

  expiredSubject: (f) => `Invitation expired: ${f.partnerName} for "${f.challengeTitle}"`,
  expiredBody: (f, date) =>
    `${f.partnerName} did not answer the invitation for "${f.challengeTitle}" before it expired` +
    (date ? ` on ${date}.` : '.'),
  expiredNext: "The challenge's board shows the next best partners, so you can invite another one.",
  openBoard: 'Open the board',
  expiredFooter: 'You receive this e-mail because you coordinate the hub that sent the invitation.',

  digestConfirmSubject: (hub, frequency) => `Confirm your ${FREQUENCY[frequency]} digest for ${hub}`,
  digestConfirmBody: (hub, frequency) =>
    `Someone, hopefully you, asked to receive a ${FREQUENCY[frequency]} digest of the matches and ` +
    `invitations of ${hub} at this address.`,
  digestConfirmButton: 'Confirm the subscription',
  digestConfirmIgnore: 'If you did not ask for it, ignore this e-mail: nothing will be sent.',

  digestSubject: (hub, frequency) => `${capital(FREQUENCY[frequency])} digest for ${hub}`,
  digestIntro: (hub, since) => `What changed for ${hub} since ${since}:`,
  nothingNew: (hub, since) => `Nothing new for ${hub} since ${since}.`,
  newMatchesHeading: 'New matches',
  newMatch: (partner, title, percent) => `${partner} for "${title}" (${percent} match)`,
  waitingHeading: 'Waiting longest for an answer',
  waiting: (partner, title, n) => `${partner}, for "${title}": no answer for ${days(n)}`,
  expiringHeading: 'Expiring soon',
  expiring: (partner, title, date) => `${partner}, for "${title}": expires on ${date}`,
  declinedOrExpiredHeading: 'Declined or expired',
  declined: (partner, title) => `${partner} declined "${title}".`,
  expired: (partner, title) => `${partner} did not answer in time for "${title}".`,
  nextBest: (list) => `Next best: ${list}.`,
  nearCapacityHeading: 'Nearly full',
  nearCapacity: (partner, accepted, capacity) => `${partner}: ${accepted} of ${capacity} places taken`,
  digestFooter: (hub, frequency) =>
    `You receive this ${FREQUENCY[frequency]} digest because this address subscribed to it for ${hub}.`,
  unsubscribe: 'Unsubscribe',
};
