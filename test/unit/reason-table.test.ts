/**
 * Every reason template, with the facts that trigger it, in English, Dutch and French; which ones
 * argue for a partnership (what an invitation's draft lists); answers told apart as accepted,
 * declined or unanswered; languages named in the reader's language.
 */
import { Language } from '../../src/domain/language';
import {
  buildReasonItems,
  buildReasons,
  languageName,
  ReasonFacts,
  reasonsFor,
  STANCE,
  TEMPLATES,
} from '../../src/matching/reasons';

/** Facts that trigger no sentence but the distance: each row adds what triggers its template. */
const BASE: ReasonFacts = {
  sharedSdgs: [],
  exact: [],
  related: [],
  similar: [],
  distanceKm: 8.2,
  radiusKm: 50,
  candidateContexts: [],
  levelsMatch: null,
  sharedLanguages: [],
};

type Row = [keyof typeof TEMPLATES, Partial<ReasonFacts>, string, string, string];

const TABLE: Row[] = [
  ['sharedSdgs', { sharedSdgs: [{ code: 'SDG 6', title: 'X' }] }, 'Shares SDG 6 X', 'Deelt SDG 6 X', 'Partage ODD 6 X'],
  ['exact', { exact: ['Zonne-energie'] }, 'Knows zonne-energie', 'Kent zonne-energie', 'Connaît zonne-energie'],
  [
    'related',
    { related: [{ label: 'Water', need: 'Hydrology' }] },
    'Related know-how: water (for hydrology)',
    'Verwante kennis: water (voor hydrology)',
    'Savoir-faire voisin : water (pour hydrology)',
  ],
  [
    'similar',
    { similar: [{ label: 'Sensoren', need: 'Sensors' }] },
    'Similar expertise: sensoren (≈ sensors)',
    'Vergelijkbare expertise: sensoren (≈ sensors)',
    'Expertise proche : sensoren (≈ sensors)',
  ],
  ['locationUnknown', { distanceKm: null }, 'Location unknown', 'Locatie onbekend', 'Lieu inconnu'],
  ['away', { distanceKm: 12.4 }, '12 km away', '12 km verderop', 'à 12 km'],
  [
    'beyond',
    { distanceKm: 57 },
    '57 km away, beyond the 50 km radius',
    '57 km verderop, buiten de straal van 50 km',
    'à 57 km, au-delà du rayon de 50 km',
  ],
  [
    'levels',
    { levelsMatch: true },
    "Works with the school's education levels",
    'Werkt met de onderwijsniveaus van de school',
    "Travaille avec les niveaux d'enseignement de l'école",
  ],
  [
    'speaks',
    { sharedLanguages: ['nl', 'fr'] },
    'Speaks Dutch and French',
    'Spreekt Nederlands en Frans',
    'Parle néerlandais et français',
  ],
  [
    'room',
    { room: 2 },
    'Has room for 2 more projects',
    'Heeft ruimte voor nog 2 projecten',
    'Peut encore accueillir 2 projets',
  ],
  [
    'invitations',
    { record: { dueInvitations: 1, accepted: 0, declined: 1, completed: 0 } },
    '1 invitation so far: 1 declined',
    '1 uitnodiging tot nu toe: 1 afgeslagen',
    '1 invitation jusqu’ici : 1 déclinée',
  ],
  [
    'invitations',
    { record: { dueInvitations: 4, accepted: 2, declined: 1, completed: 0 } },
    '4 invitations so far: 2 accepted, 1 declined and 1 without an answer',
    '4 uitnodigingen tot nu toe: 2 aanvaard, 1 afgeslagen en 1 zonder antwoord',
    '4 invitations jusqu’ici : 2 acceptées, 1 déclinée et 1 sans réponse',
  ],
  [
    'invitations',
    { record: { dueInvitations: 1, accepted: 0, declined: 0, completed: 0 } },
    '1 invitation so far: 1 without an answer',
    '1 uitnodiging tot nu toe: 1 zonder antwoord',
    '1 invitation jusqu’ici : 1 sans réponse',
  ],
  [
    'completed',
    { record: { dueInvitations: 0, accepted: 0, declined: 0, completed: 1 } },
    'Completed 1 project with schools',
    'Rondde 1 project met scholen af',
    'A mené à bien 1 projet avec des écoles',
  ],
  [
    'candidateContexts',
    { candidateContexts: ['SOCIO_ECONOMIC'] },
    'Rooted in a community facing socio-economic disadvantage',
    'Geworteld in een gemeenschap met sociaaleconomische achterstand',
    'Ancré dans une communauté confrontée à la précarité socio-économique',
  ],
];

describe('each reason template, triggered by its facts', () => {
  it.each(TABLE)('%s %j', (template, facts, en, nl, fr) => {
    for (const [lang, sentence] of [
      [Language.EN, en],
      [Language.NL, nl],
      [Language.FR, fr],
    ] as const) {
      const items = buildReasonItems({ ...BASE, ...facts }, lang);
      expect(items.filter((r) => r.template === template).map((r) => r.text)).toEqual([sentence]);
    }
  });

  it('covers every sentence-level template (the rest are parts of sentences)', () => {
    const sentences = Object.keys(TEMPLATES).filter((k) => STANCE[k as keyof typeof TEMPLATES] !== 'part');
    const covered = new Set(TABLE.map(([template]) => template));
    // The school's context is said on the challenge side (challengeContext), never per partner.
    expect(sentences.filter((k) => !covered.has(k as keyof typeof TEMPLATES))).toEqual(['schoolContexts']);
  });
});

describe('true reasons', () => {
  it('never says a partner that declined or did not answer "answered"', () => {
    for (const lang of Object.values(Language)) {
      const declined = buildReasons(
        { ...BASE, record: { dueInvitations: 1, accepted: 0, declined: 1, completed: 0 } },
        lang,
      );
      expect(declined.join(' ')).not.toMatch(/answered|beantwoord|répondu/i);
    }
  });

  it('says nothing of answers stored before they were told apart', () => {
    expect(buildReasonItems({ ...BASE, record: { dueInvitations: 3, completed: 0 } }).map((r) => r.template)).toEqual([
      'away',
    ]);
  });

  it('lists in a draft only the sentences that argue for the partnership', () => {
    const all: ReasonFacts = {
      ...BASE,
      sharedSdgs: [{ code: 'SDG 6', title: 'X' }],
      distanceKm: 57,
      room: 1,
      record: { dueInvitations: 2, accepted: 1, declined: 1, completed: 1 },
    };
    for (const lang of Object.values(Language)) {
      const kept = reasonsFor(all, lang);
      const items = buildReasonItems(all, lang);
      expect(kept).toEqual(items.filter((r) => r.stance === 'for').map((r) => r.text));
      expect(items.map((r) => r.template)).toEqual(['sharedSdgs', 'beyond', 'room', 'invitations', 'completed']);
      expect(kept).toHaveLength(3);
    }
    expect(reasonsFor(all, Language.NL).join(' ')).not.toMatch(/buiten de straal/);
  });
});

describe('languages by name', () => {
  it.each([
    ['nl', 'Dutch', 'Nederlands', 'néerlandais'],
    ['fr', 'French', 'Frans', 'français'],
    ['en', 'English', 'Engels', 'anglais'],
    ['de', 'German', 'Duits', 'allemand'],
  ])('%s', (code, en, nl, fr) => {
    expect([Language.EN, Language.NL, Language.FR].map((l) => languageName(code, l))).toEqual([en, nl, fr]);
  });

  it('keeps a code that is not a language subtag as written', () => {
    expect(languageName('x-klingon!', Language.NL)).toBe('x-klingon!');
  });
});
