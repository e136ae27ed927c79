/** The languages the widget speaks (its `lang` attribute, else the page's, else English). */
export type Language = 'en' | 'fr' | 'nl';

/** The widget's texts in one language. `{origin}` in `refusedOrigin` stands for the page's origin. */
export interface Labels {
  title: string;
  loading: string;
  none: string;
  team: string;
  teamTitle: string;
  missing: string;
  covered: string;
  invite: string;
  invited: string;
  shortlist: string;
  shortlisted: string;
  dismiss: string;
  live: string;
  offline: string;
  away: string;
  error: string;
  newMatch: string;
  refused: string;
  refusedKey: string;
  refusedOrigin: string;
  /** How the challenge's partners meet pupils (the schema's `PupilContact`). */
  contact: Record<'NONE' | 'SUPERVISED' | 'UNSUPERVISED' | 'REGULAR', string>;
}

/** The widget's texts, per language. */
export const LABELS: Record<Language, Labels> = {
  en: {
    title: 'Suggested partners',
    loading: 'Looking for partners…',
    none: 'No suggestions yet.',
    team: 'Suggest a team',
    teamTitle: 'A team that covers the challenge',
    missing: 'Still missing',
    covered: 'Covers',
    invite: 'Invite',
    invited: 'Invited',
    shortlist: 'Shortlist',
    shortlisted: 'Shortlisted',
    dismiss: 'Not relevant',
    live: 'live',
    offline: 'reconnecting…',
    away: 'away',
    error: 'Could not load suggestions',
    newMatch: 'New',
    refused: 'refused',
    refusedKey: "The API key was refused: it is not valid or was revoked. Check the widget's api-key attribute.",
    refusedOrigin:
      'This site ({origin}) may not show these suggestions: it needs a publishable API key ' +
      '(pk_…, api-key attribute) whose allowed origins include {origin}.',
    contact: {
      NONE: 'No contact with pupils',
      SUPERVISED: 'With pupils, a teacher present',
      UNSUPERVISED: 'With pupils without a teacher, now and then: partners hold a safeguarding check',
      REGULAR: 'Regularly with pupils without a teacher: partners hold a safeguarding check',
    },
  },
  fr: {
    title: 'Partenaires suggérés',
    loading: 'Recherche de partenaires…',
    none: 'Pas encore de suggestions.',
    team: 'Proposer une équipe',
    teamTitle: 'Une équipe qui couvre le défi',
    missing: 'Manque encore',
    covered: 'Couvre',
    invite: 'Inviter',
    invited: 'Invité',
    shortlist: 'Présélectionner',
    shortlisted: 'Présélectionné',
    dismiss: 'Pas pertinent',
    live: 'en direct',
    offline: 'reconnexion…',
    away: 'absent',
    error: 'Impossible de charger les suggestions',
    newMatch: 'Nouveau',
    refused: 'refusée',
    refusedKey: "La clé d'API a été refusée : elle est invalide ou révoquée. Vérifiez l'attribut api-key du widget.",
    refusedOrigin:
      "Ce site ({origin}) ne peut pas afficher ces suggestions : il faut une clé d'API " +
      'publiable (pk_…, attribut api-key) dont les origines autorisées incluent {origin}.',
    contact: {
      NONE: 'Pas de contact avec les élèves',
      SUPERVISED: "Avec des élèves, en présence d'un enseignant",
      UNSUPERVISED:
        'Parfois avec des élèves sans enseignant : les partenaires présentent une attestation pour le travail ' +
        'avec des mineurs',
      REGULAR:
        'Régulièrement avec des élèves sans enseignant : les partenaires présentent une attestation pour le ' +
        'travail avec des mineurs',
    },
  },
  nl: {
    title: 'Voorgestelde partners',
    loading: 'Partners zoeken…',
    none: 'Nog geen suggesties.',
    team: 'Stel een team voor',
    teamTitle: 'Een team dat de uitdaging dekt',
    missing: 'Nog nodig',
    covered: 'Dekt',
    invite: 'Uitnodigen',
    invited: 'Uitgenodigd',
    shortlist: 'Op de shortlist',
    shortlisted: 'Op de shortlist ✓',
    dismiss: 'Niet relevant',
    live: 'live',
    offline: 'opnieuw verbinden…',
    away: 'weg',
    error: 'Suggesties laden mislukt',
    newMatch: 'Nieuw',
    refused: 'geweigerd',
    refusedKey:
      'De API-sleutel is geweigerd: hij is ongeldig of ingetrokken. Controleer het attribuut api-key van de widget.',
    refusedOrigin:
      'Deze site ({origin}) mag deze suggesties niet tonen: er is een publiceerbare ' +
      'API-sleutel nodig (pk_…, attribuut api-key) waarvan de toegestane origins {origin} bevatten.',
    contact: {
      NONE: 'Geen contact met leerlingen',
      SUPERVISED: 'Met leerlingen, onder toezicht van een leraar',
      UNSUPERVISED: 'Soms met leerlingen zonder leraar: partners hebben een verklaring (zoals een VOG)',
      REGULAR: 'Regelmatig met leerlingen zonder leraar: partners hebben een verklaring (zoals een VOG)',
    },
  },
};

/** Stakeholder kinds (the schema's `StakeholderKind`), per language; an unknown kind shows as sent. */
export const KINDS: Record<Language, Record<string, string>> = {
  en: {
    SCHOOL: 'School',
    FAMILY: 'Family',
    UNIVERSITY: 'University',
    RESEARCH_INSTITUTE: 'Research institute',
    INDUSTRY: 'Industry',
    ENTREPRENEUR: 'Entrepreneur',
    MEDIA: 'Media',
    GOVERNMENT: 'Government',
    CIVIL_SOCIETY: 'Civil society',
    CULTURAL_INSTITUTION: 'Cultural institution',
  },
  fr: {
    SCHOOL: 'École',
    FAMILY: 'Famille',
    UNIVERSITY: 'Université',
    RESEARCH_INSTITUTE: 'Institut de recherche',
    INDUSTRY: 'Entreprise',
    ENTREPRENEUR: 'Entrepreneur',
    MEDIA: 'Médias',
    GOVERNMENT: 'Pouvoirs publics',
    CIVIL_SOCIETY: 'Société civile',
    CULTURAL_INSTITUTION: 'Institution culturelle',
  },
  nl: {
    SCHOOL: 'School',
    FAMILY: 'Gezin',
    UNIVERSITY: 'Universiteit',
    RESEARCH_INSTITUTE: 'Onderzoeksinstituut',
    INDUSTRY: 'Bedrijf',
    ENTREPRENEUR: 'Ondernemer',
    MEDIA: 'Media',
    GOVERNMENT: 'Overheid',
    CIVIL_SOCIETY: 'Middenveld',
    CULTURAL_INSTITUTION: 'Cultuurinstelling',
  },
};

/** A language the widget speaks, from an attribute's value (`nl-BE` → `nl`), else undefined. */
export function languageOf(value: string): Language | undefined {
  const wanted = value.slice(0, 2).toLowerCase();
  return Object.hasOwn(LABELS, wanted) ? (wanted as Language) : undefined;
}
