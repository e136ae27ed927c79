/** The mails' sentences in Dutch, with "u" as the invitation drafts have it. */
import type { DigestFrequency, MailPhrases } from './mail-phrases';

// "een dagelijks overzicht", but "uw/dit dagelijkse overzicht" (het-word after a determiner).
const BARE: Record<DigestFrequency, string> = { DAILY: 'dagelijks', WEEKLY: 'wekelijks' };
const INFLECTED: Record<DigestFrequency, string> = { DAILY: 'dagelijkse', WEEKLY: 'wekelijkse' };
const days = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagen'}`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const NL_PHRASES: MailPhrases = {
  greeting: (name) => `Beste ${name},`,
  colon: ':',

  invitationSubject: (f) => `Uitnodiging: help ${f.schoolName} met "${f.challengeTitle}"`,
  invitationIntro: (f) =>
    `${f.hubName ?? 'Een hubcoördinator'} nodigt u uit om de leerlingen en leraren van ${f.schoolName} ` +
    `te helpen met hun uitdaging "${f.challengeTitle}".`,
  challengeHeading: 'De uitdaging',
  challengeLabel: 'Uitdaging',
  schoolLabel: 'School',
  hubLabel: 'Hub',
  whyYouHeading: 'Waarom we aan u dachten',
  answerHeading: 'Uw antwoord',
  accept: 'Uitnodiging aanvaarden',
  decline: 'Afslaan',
  confirmNote:
    'Elke link opent een pagina die u vraagt uw antwoord te bevestigen: er wordt niets vastgelegd zolang u ' +
    'dat niet doet. U hebt geen account en geen wachtwoord nodig.',
  expiresOn: (date) =>
    `Deze uitnodiging vervalt op ${date}. Als er dan nog geen antwoord is, nodigt de hub een andere partner uit.`,
  invitationFooter: (f) =>
    `U ontvangt deze e-mail omdat ${f.partnerName} via de Open Schooling Matchmaker werd uitgenodigd door ` +
    `${f.hubName ?? 'een hub'}. Antwoorden op dit adres worden niet gelezen: antwoord met de links hierboven.`,

  reminderSubject: (f, day) => `Herinnering: beantwoord de uitnodiging voor "${f.challengeTitle}" uiterlijk op ${day}`,
  reminderIntro: (f) =>
    `Enige tijd geleden heeft ${f.hubName ?? 'een hubcoördinator'} u uitgenodigd om de leerlingen en leraren ` +
    `van ${f.schoolName} te helpen met hun uitdaging "${f.challengeTitle}". We hebben uw antwoord nog niet ontvangen.`,

  expiredSubject: (f) => `Uitnodiging verlopen: ${f.partnerName} voor "${f.challengeTitle}"`,
  expiredBody: (f, date) =>
    `${f.partnerName} heeft niet geantwoord op de uitnodiging voor "${f.challengeTitle}" voordat die verliep` +
    (date ? ` op ${date}.` : '.'),
  expiredNext: 'Het bord van de uitdaging toont de volgende beste partners: zo kunt u een andere partner uitnodigen.',
  openBoard: 'Het bord openen',
  expiredFooter: 'U ontvangt deze e-mail omdat u de hub coördineert die de uitnodiging verstuurde.',

  digestConfirmSubject: (hub, frequency) => `Bevestig uw ${INFLECTED[frequency]} overzicht voor ${hub}`,
  digestConfirmBody: (hub, frequency) =>
    `Iemand, hopelijk u, heeft gevraagd om op dit adres een ${BARE[frequency]} overzicht te ontvangen van ` +
    `de matches en uitnodigingen van ${hub}.`,
  digestConfirmButton: 'Abonnement bevestigen',
  digestConfirmIgnore: 'Hebt u dit niet gevraagd? Negeer dan deze e-mail: er wordt niets verstuurd.',

  digestSubject: (hub, frequency) => `${capital(BARE[frequency])} overzicht voor ${hub}`,
  digestIntro: (hub, since) => `Wat er veranderde voor ${hub} sinds ${since}:`,
  nothingNew: (hub, since) => `Niets nieuws voor ${hub} sinds ${since}.`,
  newMatchesHeading: 'Nieuwe matches',
  newMatch: (partner, title, percent) => `${partner} voor "${title}" (${percent} match)`,
  waitingHeading: 'Wachten het langst op antwoord',
  waiting: (partner, title, n) => `${partner}, voor "${title}": al ${days(n)} geen antwoord`,
  expiringHeading: 'Verlopen binnenkort',
  expiring: (partner, title, date) => `${partner}, voor "${title}": verloopt op ${date}`,
  declinedOrExpiredHeading: 'Afgeslagen of verlopen',
  declined: (partner, title) => `${partner} heeft "${title}" afgeslagen.`,
  expired: (partner, title) => `${partner} heeft niet op tijd geantwoord voor "${title}".`,
  nextBest: (list) => `Volgende beste: ${list}.`,
  nearCapacityHeading: 'Bijna vol',
  nearCapacity: (partner, accepted, capacity) => `${partner}: ${accepted} van ${capacity} plaatsen bezet`,
  digestFooter: (hub, frequency) =>
    `U ontvangt dit ${INFLECTED[frequency]} overzicht omdat dit adres erop geabonneerd is voor ${hub}.`,
  unsubscribe: 'Uitschrijven',
};
