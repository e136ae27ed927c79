import { Language } from '../domain/language';

/** The words of the link pages, per language. */
export interface LinkWords {
  acceptTitle: string;
  declineTitle: string;
  confirmAccept: string;
  confirmDecline: string;
  invitation(challenge: string, school: string): string;
  thanks: string;
  accepted: string;
  declined: string;
  cannotAnswer: string;
  /** Why a link cannot answer. */
  why: Record<LinkRefusal, string>;
  tooMany: string;
  tryLater: string;
  unknownLink: string;
  unknownLinkText: string;
  digestOf(hub: string, email: string): string;
  confirmTitle: string;
  confirmButton: string;
  confirmed: string;
  stopTitle: string;
  stopButton: string;
  stopped: string;
}

/** Why a link cannot answer: used, expired, closed (withdrawn, expired or answered otherwise), unknown, or full. */
export type LinkRefusal = 'used' | 'expired' | 'closed' | 'unknown' | 'full';

export const LINK_WORDS: Readonly<Record<Language, LinkWords>> = {
  [Language.EN]: {
    acceptTitle: 'Accept this invitation?',
    declineTitle: 'Decline this invitation?',
    confirmAccept: 'Yes, accept',
    confirmDecline: 'Yes, decline',
    invitation: (c, s) => `The invitation to "${c}", a challenge of ${s}.`,
    thanks: 'Thank you',
    accepted: 'You accepted. The school and the hub coordinator have been told and will contact you.',
    declined: 'You declined. The hub coordinator has been told. Thank you for answering.',
    cannotAnswer: 'This link can no longer answer',
    why: {
      used: 'This invitation was already answered.',
      expired: 'This invitation has expired. The hub coordinator can invite you again.',
      closed: 'This invitation is no longer open.',
      unknown: 'This link is not one we sent, or it was copied incompletely.',
      full:
        'Your organisation already takes part in as many projects as its capacity: ' +
        'please contact the hub coordinator.',
    },
    tooMany: 'Too many requests',
    tryLater: 'Please try again in a minute.',
    unknownLink: 'Unknown link',
    unknownLinkText: 'This link is not one we sent, or it was copied incompletely.',
    digestOf: (h, e) => `The digest of ${h} for ${e}.`,
    confirmTitle: 'Confirm your subscription?',
    confirmButton: 'Yes, send me the digest',
    confirmed: 'Subscription confirmed',
    stopTitle: 'Unsubscribe?',
    stopButton: 'Yes, unsubscribe',
    stopped: 'You are unsubscribed',
  },
  [Language.NL]: {
    acceptTitle: 'Deze uitnodiging aanvaarden?',
    declineTitle: 'Deze uitnodiging afslaan?',
    confirmAccept: 'Ja, aanvaarden',
    confirmDecline: 'Ja, afslaan',
    invitation: (c, s) => `De uitnodiging voor "${c}", een uitdaging van ${s}.`,
    thanks: 'Dank je wel',
    accepted: 'Je hebt aanvaard. De school en de hubcoördinator weten het en nemen contact met je op.',
    declined: 'Je hebt afgeslagen. De hubcoördinator weet het. Bedankt voor je antwoord.',
    cannotAnswer: 'Met deze link kun je niet meer antwoorden',
    why: {
      used: 'Deze uitnodiging is al beantwoord.',
      expired: 'Deze uitnodiging is verlopen. De hubcoördinator kan je opnieuw uitnodigen.',
      closed: 'Deze uitnodiging staat niet meer open.',
      unknown: 'Deze link komt niet van ons, of hij is onvolledig gekopieerd.',
      full: 'Je organisatie doet al mee aan zoveel projecten als ze aankan: neem contact op met de hubcoördinator.',
    },
    tooMany: 'Te veel verzoeken',
    tryLater: 'Probeer het over een minuut opnieuw.',
    unknownLink: 'Onbekende link',
    unknownLinkText: 'Deze link komt niet van ons, of hij is onvolledig gekopieerd.',
    digestOf: (h, e) => `Het overzicht van ${h} voor ${e}.`,
    confirmTitle: 'Je inschrijving bevestigen?',
    confirmButton: 'Ja, stuur me het overzicht',
    confirmed: 'Inschrijving bevestigd',
    stopTitle: 'Uitschrijven?',
    stopButton: 'Ja, uitschrijven',
    stopped: 'Je bent uitgeschreven',
  },
  [Language.FR]: {
    acceptTitle: 'Accepter cette invitation ?',
    declineTitle: 'Décliner cette invitation ?',
    confirmAccept: 'Oui, accepter',
    confirmDecline: 'Oui, décliner',
    invitation: (c, s) => `L’invitation à « ${c} », un défi de ${s}.`,
    thanks: 'Merci',
    accepted: 'Vous avez accepté. L’école et le coordinateur du hub sont prévenus et vous contacteront.',
    declined: 'Vous avez décliné. Le coordinateur du hub est prévenu. Merci de votre réponse.',
    cannotAnswer: 'Ce lien ne permet plus de répondre',
    why: {
      used: 'Cette invitation a déjà reçu une réponse.',
      expired: 'Cette invitation a expiré. Le coordinateur du hub peut vous inviter à nouveau.',
      closed: 'Cette invitation n’est plus ouverte.',
      unknown: 'Ce lien ne vient pas de nous, ou il a été copié incomplètement.',
      full: 'Votre organisation participe déjà à autant de projets que sa capacité : contactez le coordinateur du hub.',
    },
    tooMany: 'Trop de demandes',
    tryLater: 'Veuillez réessayer dans une minute.',
    unknownLink: 'Lien inconnu',
    unknownLinkText: 'Ce lien ne vient pas de nous, ou il a été copié incomplètement.',
    digestOf: (h, e) => `Le récapitulatif de ${h} pour ${e}.`,
    confirmTitle: 'Confirmer votre abonnement ?',
    confirmButton: 'Oui, envoyez-moi le récapitulatif',
    confirmed: 'Abonnement confirmé',
    stopTitle: 'Se désabonner ?',
    stopButton: 'Oui, me désabonner',
    stopped: 'Vous êtes désabonné',
  },
};
