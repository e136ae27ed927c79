/** The mails' sentences in French, with "vous". */
import type { DigestFrequency, MailPhrases } from './mail-phrases';

/**
 * A template whose own text gets French spacing: a no-break space before `:`, `;`, `?`, `!` and `»` and after
 * `«`, so they never start a line. Interpolated values (names, titles) are left exactly as given.
 */
function fr(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  const spaced = (s: string) => s.replace(/ ([:;?!»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
  return strings.reduce((out, s, i) => out + spaced(s) + (i < values.length ? String(values[i]) : ''), '');
}

/** "que X", or "qu’X" before a vowel: "parce qu’un hub". */
const que = (name: string) => (/^[aeiouyàâæéèêëîïôœùûü]/i.test(name) ? `qu’${name}` : `que ${name}`);
const FREQUENCY: Record<DigestFrequency, string> = { DAILY: 'quotidien', WEEKLY: 'hebdomadaire' };
const days = (n: number) => `${n} ${n <= 1 ? 'jour' : 'jours'}`;
const places = (n: number) => `${n} ${n <= 1 ? 'place occupée' : 'places occupées'}`;

export const FR_PHRASES: MailPhrases = {
  greeting: (name) => `Bonjour ${name},`,
  colon: '\u00a0:',

  invitationSubject: (f) => fr`Invitation : le défi « ${f.challengeTitle} » de ${f.schoolName}`,
  invitationIntro: (f) =>
    fr`${f.hubName ?? 'Un coordinateur de hub'} vous invite à aider les élèves et les enseignants de ` +
    fr`${f.schoolName} à relever leur défi « ${f.challengeTitle} ».`,
  challengeHeading: 'Le défi',
  challengeLabel: 'Défi',
  schoolLabel: 'École',
  hubLabel: 'Hub',
  whyYouHeading: 'Pourquoi nous avons pensé à vous',
  answerHeading: 'Votre réponse',
  accept: 'Accepter l’invitation',
  decline: 'Décliner',
  confirmNote:
    fr`Chaque lien ouvre une page qui vous demande de confirmer votre réponse : rien n’est enregistré avant ` +
    'cette confirmation. Aucun compte ni mot de passe n’est nécessaire.',
  expiresOn: (date) =>
    fr`Cette invitation expire le ${date}. Sans réponse d’ici là, le hub invitera un autre partenaire.`,
  invitationFooter: (f) =>
    `Vous recevez cet e-mail parce ${que(f.hubName ?? 'un hub')} a invité ${f.partnerName} via l’Open ` +
    fr`Schooling Matchmaker. Les réponses à cette adresse ne sont pas lues : ` +
    'merci de répondre avec les liens ci-dessus.',

  reminderSubject: (f, day) =>
    fr`Rappel : merci de répondre à l’invitation pour « ${f.challengeTitle} » d’ici le ${day}`,
  reminderIntro: (f) =>
    fr`Il y a quelque temps, ${f.hubName ?? 'un coordinateur de hub'} vous a proposé d’aider les élèves et les ` +
    fr`enseignants de ${f.schoolName} à relever leur défi « ${f.challengeTitle} ». ` +
    'Nous n’avons pas encore reçu votre réponse.',

  expiredSubject: (f) => fr`Invitation expirée : ${f.partnerName} pour « ${f.challengeTitle} »`,
  expiredBody: (f, date) =>
    fr`${f.partnerName} n’a pas répondu à l’invitation pour « ${f.challengeTitle} » avant son expiration` +
    (date ? `, le ${date}.` : '.'),
  expiredNext: fr`Le tableau du défi présente les meilleurs partenaires suivants : vous pouvez en inviter un autre.`,
  openBoard: 'Ouvrir le tableau',
  expiredFooter: 'Vous recevez cet e-mail parce que vous coordonnez le hub qui a envoyé l’invitation.',

  digestConfirmSubject: (hub, frequency) => `Confirmez votre récapitulatif ${FREQUENCY[frequency]} pour ${hub}`,
  digestConfirmBody: (hub, frequency) =>
    `Quelqu’un, vous sans doute, a demandé à recevoir à cette adresse un récapitulatif ${FREQUENCY[frequency]} ` +
    `des mises en relation et des invitations de ${hub}.`,
  digestConfirmButton: 'Confirmer l’abonnement',
  digestConfirmIgnore: fr`Si vous ne l’avez pas demandé, ignorez cet e-mail : rien ne sera envoyé.`,

  digestSubject: (hub, frequency) => `Récapitulatif ${FREQUENCY[frequency]} pour ${hub}`,
  digestIntro: (hub, since) => fr`Ce qui a changé pour ${hub} depuis le ${since} :`,
  nothingNew: (hub, since) => `Rien de nouveau pour ${hub} depuis le ${since}.`,
  newMatchesHeading: 'Nouvelles mises en relation',
  newMatch: (partner, title, percent) => fr`${partner} pour « ${title} » (${percent} de correspondance)`,
  waitingHeading: 'Sans réponse depuis le plus longtemps',
  waiting: (partner, title, n) => fr`${partner}, pour « ${title} » : sans réponse depuis ${days(n)}`,
  expiringHeading: 'Expirent bientôt',
  expiring: (partner, title, date) => fr`${partner}, pour « ${title} » : expire le ${date}`,
  declinedOrExpiredHeading: 'Déclinées ou expirées',
  declined: (partner, title) => fr`${partner} a décliné « ${title} ».`,
  expired: (partner, title) => fr`${partner} n’a pas répondu à temps pour « ${title} ».`,
  nextBest: (list) => fr`Meilleurs partenaires suivants : ${list}.`,
  nearCapacityHeading: 'Presque complets',
  nearCapacity: (partner, accepted, capacity) => fr`${partner} : ${places(accepted)} sur ${capacity}`,
  digestFooter: (hub, frequency) =>
    `Vous recevez ce récapitulatif ${FREQUENCY[frequency]} parce que cette adresse y est abonnée pour ${hub}.`,
  unsubscribe: 'Se désabonner',
};
