/**
 * Reasons: short sentences that explain why this partner fits this challenge, built from the
 * same facts the score is built from, in English, Dutch or French. Facts about the school alone
 * are said once, on the challenge side ({@link challengeContext}), never repeated per partner.
 */
import { LRUCache } from 'lru-cache';
import { Language } from '../domain/language';

export interface ReasonFacts {
  sharedSdgs: { code: string; title: string }[];
  /** Needed tags the candidate has exactly. */
  exact: string[];
  /** Candidate tags one step up or down the taxonomy from a needed tag. */
  related: { label: string; need: string }[];
  /** Candidate tags spelled like a needed tag. */
  similar: { label: string; need: string }[];
  distanceKm: number | null;
  radiusKm: number;
  /** Round distances to whole km (families' locations are coarse). */
  coarseDistance?: boolean;
  /** The partner's own contexts (never a family's: those are private and not scored). */
  candidateContexts: string[];
  levelsMatch: boolean | null;
  sharedLanguages: string[];
  /**
   * What its track record rests on: invitations come due, how they were answered (accepted,
   * declined; the rest had no answer), projects completed. Events stored before answers were told
   * apart carry no `accepted` and `declined`: their answers are not described.
   */
  record?: { dueInvitations: number; accepted?: number; declined?: number; completed: number };
  /** Projects the partner can still take on (availability.ts); absent or 0: not said. */
  room?: number;
}

type Words = Record<Language, string>;

/** Words for each underserved context, per language. */
export const CONTEXT_WORDS: Record<string, Words> = {
  GEOGRAPHIC_ISOLATION: { EN: 'geographic isolation', NL: 'geografisch isolement', FR: 'l’isolement géographique' },
  SOCIO_ECONOMIC: {
    EN: 'socio-economic disadvantage',
    NL: 'sociaaleconomische achterstand',
    FR: 'la précarité socio-économique',
  },
  ETHNIC_MINORITY: {
    EN: 'exclusion of ethnic minorities',
    NL: 'uitsluiting van etnische minderheden',
    FR: 'l’exclusion des minorités ethniques',
  },
};

const AND: Words = { EN: 'and', NL: 'en', FR: 'et' };

function list(items: string[], lang: Language): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${AND[lang]} ${items[items.length - 1]}`;
}

/**
 * Every sentence a reason can be, in every language: the one table a test walks, so a missing
 * translation cannot hide.
 */
export const TEMPLATES = {
  sharedSdgs: {
    EN: (x: string) => `Shares ${x}`,
    NL: (x: string) => `Deelt ${x}`,
    FR: (x: string) => `Partage ${x}`,
  },
  exact: { EN: (x: string) => `Knows ${x}`, NL: (x: string) => `Kent ${x}`, FR: (x: string) => `Connaît ${x}` },
  related: {
    EN: (x: string) => `Related know-how: ${x}`,
    NL: (x: string) => `Verwante kennis: ${x}`,
    FR: (x: string) => `Savoir-faire voisin : ${x}`,
  },
  relatedItem: {
    EN: (tag: string, need: string) => `${tag} (for ${need})`,
    NL: (tag: string, need: string) => `${tag} (voor ${need})`,
    FR: (tag: string, need: string) => `${tag} (pour ${need})`,
  },
  similar: {
    EN: (x: string) => `Similar expertise: ${x}`,
    NL: (x: string) => `Vergelijkbare expertise: ${x}`,
    FR: (x: string) => `Expertise proche : ${x}`,
  },
  locationUnknown: { EN: () => 'Location unknown', NL: () => 'Locatie onbekend', FR: () => 'Lieu inconnu' },
  away: { EN: (d: string) => `${d} away`, NL: (d: string) => `${d} verderop`, FR: (d: string) => `à ${d}` },
  beyond: {
    EN: (d: string, r: number) => `${d} away, beyond the ${r} km radius`,
    NL: (d: string, r: number) => `${d} verderop, buiten de straal van ${r} km`,
    FR: (d: string, r: number) => `à ${d}, au-delà du rayon de ${r} km`,
  },
  lessThanOneKm: { EN: () => 'less than 1 km', NL: () => 'minder dan 1 km', FR: () => 'moins de 1 km' },
  aboutKm: {
    EN: (n: string) => `about ${n} km`,
    NL: (n: string) => `ongeveer ${n} km`,
    FR: (n: string) => `environ ${n} km`,
  },
  km: { EN: (n: string) => `${n} km`, NL: (n: string) => `${n} km`, FR: (n: string) => `${n} km` },
  levels: {
    EN: () => "Works with the school's education levels",
    NL: () => 'Werkt met de onderwijsniveaus van de school',
    FR: () => "Travaille avec les niveaux d'enseignement de l'école",
  },
  speaks: { EN: (x: string) => `Speaks ${x}`, NL: (x: string) => `Spreekt ${x}`, FR: (x: string) => `Parle ${x}` },
  invitations: {
    EN: (n: number, how: string) => `${n} invitation${n === 1 ? '' : 's'} so far: ${how}`,
    NL: (n: number, how: string) => `${n} uitnodiging${n === 1 ? '' : 'en'} tot nu toe: ${how}`,
    FR: (n: number, how: string) => `${n} invitation${n > 1 ? 's' : ''} jusqu’ici : ${how}`,
  },
  accepted: {
    EN: (n: number) => `${n} accepted`,
    NL: (n: number) => `${n} aanvaard`,
    FR: (n: number) => `${n} acceptée${n > 1 ? 's' : ''}`,
  },
  declined: {
    EN: (n: number) => `${n} declined`,
    NL: (n: number) => `${n} afgeslagen`,
    FR: (n: number) => `${n} déclinée${n > 1 ? 's' : ''}`,
  },
  unanswered: {
    EN: (n: number) => `${n} without an answer`,
    NL: (n: number) => `${n} zonder antwoord`,
    FR: (n: number) => `${n} sans réponse`,
  },
  room: {
    EN: (n: number) => `Has room for ${n} more project${n === 1 ? '' : 's'}`,
    NL: (n: number) => `Heeft ruimte voor nog ${n} project${n === 1 ? '' : 'en'}`,
    FR: (n: number) => `Peut encore accueillir ${n} projet${n > 1 ? 's' : ''}`,
  },
  completed: {
    EN: (n: number) => `Completed ${n} project${n === 1 ? '' : 's'} with schools`,
    NL: (n: number) => `Rondde ${n} project${n === 1 ? '' : 'en'} met scholen af`,
    FR: (n: number) => `A mené à bien ${n} projet${n > 1 ? 's' : ''} avec des écoles`,
  },
  candidateContexts: {
    EN: (x: string) => `Rooted in a community facing ${x}`,
    NL: (x: string) => `Geworteld in een gemeenschap met ${x}`,
    FR: (x: string) => `Ancré dans une communauté confrontée à ${x}`,
  },
  schoolContexts: {
    EN: (x: string) => `The school serves a community facing ${x}`,
    NL: (x: string) => `De school bedient een gemeenschap met ${x}`,
    FR: (x: string) => `L'école sert une communauté confrontée à ${x}`,
  },
} satisfies Record<string, Record<Language, (...args: never[]) => string>>;

/**
 * Whether a sentence argues for the partnership ('for': fit, nearness, room, completed projects),
 * against it ('against': beyond the radius) or only states a fact ('fact': an unknown location, the
 * answers to past invitations). An invitation's draft and mail name only the sentences 'for'.
 */
export const STANCE: Record<keyof typeof TEMPLATES, 'for' | 'against' | 'fact' | 'part'> = {
  sharedSdgs: 'for',
  exact: 'for',
  related: 'for',
  relatedItem: 'part',
  similar: 'for',
  locationUnknown: 'fact',
  away: 'for',
  beyond: 'against',
  lessThanOneKm: 'part',
  aboutKm: 'part',
  km: 'part',
  levels: 'for',
  speaks: 'for',
  invitations: 'fact',
  accepted: 'part',
  declined: 'part',
  unanswered: 'part',
  room: 'for',
  completed: 'for',
  candidateContexts: 'for',
  schoolContexts: 'fact',
};

/** One reason: its sentence, the template it comes from, and its {@link STANCE}. */
export interface Reason {
  template: keyof typeof TEMPLATES;
  text: string;
  stance: (typeof STANCE)[keyof typeof TEMPLATES];
}

const LANGUAGE_NAMES = Object.fromEntries(
  Object.values(Language).map((l) => [l, new Intl.DisplayNames([l.toLowerCase()], { type: 'language' })]),
) as Record<Language, Intl.DisplayNames>;

/**
 * A language code as its name in `lang` ("nl": Dutch, Nederlands, néerlandais); a code that is not
 * a well-formed language subtag stays as written.
 */
export function languageName(code: string, lang: Language): string {
  const key = `${lang}:${code}`;
  let name = NAMED.get(key);
  if (name === undefined) {
    name = /^[a-z]{2,3}$/i.test(code) ? (LANGUAGE_NAMES[lang].of(code.toLowerCase()) ?? code) : code;
    NAMED.set(key, name);
  }
  return name;
}

/** Names already looked up (`Intl.DisplayNames` takes about 10 µs a name, several per suggestion). */
const NAMED = new LRUCache<string, string>({ max: 2000 });

function words(context: string, lang: Language): string {
  return CONTEXT_WORDS[context]?.[lang] ?? context.toLowerCase().replace(/_/g, ' ');
}

// One formatter per language, made once: toLocaleString builds a new one on every call (a few
// microseconds each, several per suggestion).
const NUMBER_FORMATS: Record<Language, Intl.NumberFormat> = {
  [Language.EN]: new Intl.NumberFormat('en', { maximumFractionDigits: 1 }),
  [Language.NL]: new Intl.NumberFormat('nl', { maximumFractionDigits: 1 }),
  [Language.FR]: new Intl.NumberFormat('fr', { maximumFractionDigits: 1 }),
};

function number(value: number, lang: Language): string {
  return NUMBER_FORMATS[lang].format(value);
}

/**
 * Distance as people say it, rounded the way the radius test is read: whole km, but one
 * decimal when whole km would put a partner outside the radius at the radius ("50.1 km", not
 * "50 km, beyond the 50 km radius"). Under 1 km is "less than 1 km" for everyone; a family's
 * coarse distance is "about n km".
 */
export function formatDistance(km: number, radiusKm: number, coarse = false, lang: Language = Language.EN): string {
  if (km < 1) return TEMPLATES.lessThanOneKm[lang]();
  const whole = Math.round(km);
  const shown = km > radiusKm && whole <= radiusKm ? number(Math.ceil(km * 10) / 10, lang) : number(whole, lang);
  return coarse ? TEMPLATES.aboutKm[lang](shown) : TEMPLATES.km[lang](shown);
}

/** The reasons as sentences (see {@link buildReasonItems}). */
export function buildReasons(f: ReasonFacts, lang: Language = Language.EN): string[] {
  return buildReasonItems(f, lang).map((r) => r.text);
}

/** Only the reasons that argue for the partnership, as an invitation's draft and mail list them. */
export function reasonsFor(f: ReasonFacts, lang: Language = Language.EN): string[] {
  return buildReasonItems(f, lang)
    .filter((r) => r.stance === 'for')
    .map((r) => r.text);
}

/** The reasons for a pair, in order, each with its template and stance. */
export function buildReasonItems(f: ReasonFacts, lang: Language = Language.EN): Reason[] {
  const t = TEMPLATES;
  const out: Reason[] = [];
  const add = (template: keyof typeof TEMPLATES, text: string) =>
    out.push({ template, text, stance: STANCE[template] });
  if (f.sharedSdgs.length)
    add(
      'sharedSdgs',
      t.sharedSdgs[lang](
        list(
          // French says ODD (objectif de développement durable) where English and Dutch say SDG.
          f.sharedSdgs.map((s) => `${lang === Language.FR ? s.code.replace(/^SDG\b/, 'ODD') : s.code} ${s.title}`),
          lang,
        ),
      ),
    );
  if (f.exact.length)
    add(
      'exact',
      t.exact[lang](
        list(
          f.exact.map((e) => e.toLowerCase()),
          lang,
        ),
      ),
    );
  if (f.related.length) {
    add(
      'related',
      t.related[lang](
        list(
          f.related.map((r) => t.relatedItem[lang](r.label.toLowerCase(), r.need.toLowerCase())),
          lang,
        ),
      ),
    );
  }
  if (f.similar.length) {
    add(
      'similar',
      t.similar[lang](
        list(
          f.similar.map((s) => `${s.label.toLowerCase()} (≈ ${s.need.toLowerCase()})`),
          lang,
        ),
      ),
    );
  }
  if (f.distanceKm === null) add('locationUnknown', t.locationUnknown[lang]());
  else {
    const d = formatDistance(f.distanceKm, f.radiusKm, f.coarseDistance, lang);
    if (f.distanceKm > f.radiusKm) add('beyond', t.beyond[lang](d, f.radiusKm));
    else add('away', t.away[lang](d));
  }
  if (f.levelsMatch) add('levels', t.levels[lang]());
  if (f.sharedLanguages.length)
    add(
      'speaks',
      t.speaks[lang](
        list(
          f.sharedLanguages.map((code) => languageName(code, lang)),
          lang,
        ),
      ),
    );
  if (f.room) add('room', t.room[lang](f.room));
  const r = f.record;
  if (r?.dueInvitations && r.accepted !== undefined && r.declined !== undefined) {
    const unanswered = r.dueInvitations - r.accepted - r.declined;
    const how = [
      r.accepted ? t.accepted[lang](r.accepted) : '',
      r.declined ? t.declined[lang](r.declined) : '',
      unanswered > 0 ? t.unanswered[lang](unanswered) : '',
    ].filter(Boolean);
    add('invitations', t.invitations[lang](r.dueInvitations, list(how, lang)));
  }
  if (r?.completed) add('completed', t.completed[lang](r.completed));
  if (f.candidateContexts.length)
    add(
      'candidateContexts',
      t.candidateContexts[lang](
        list(
          f.candidateContexts.map((c) => words(c, lang)),
          lang,
        ),
      ),
    );
  return out;
}

/** What the school brings to every match, said once for a challenge rather than per partner. */
export function challengeContext(schoolContexts: string[], lang: Language = Language.EN): string[] {
  return schoolContexts.length
    ? [
        TEMPLATES.schoolContexts[lang](
          list(
            schoolContexts.map((c) => words(c, lang)),
            lang,
          ),
        ),
      ]
    : [];
}
