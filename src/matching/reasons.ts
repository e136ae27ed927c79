/**
 * Reasons: short sentences that explain why this partner fits this challenge, built from the
 * same facts the score is built from, in English, Dutch or French. Facts about the school alone
 * are said once, on the challenge side ({@link challengeContext}), never repeated per partner.
 */
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
  /** What its track record rests on: invitations come due, answered within a week, projects completed. */
  record?: { dueInvitations: number; promptAnswers: number; completed: number };
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
  answered: {
    EN: (a: number, n: number) => `Answered ${a} of ${n} invitation${n === 1 ? '' : 's'} within a week`,
    NL: (a: number, n: number) => `Beantwoordde ${a} van ${n} uitnodiging${n === 1 ? '' : 'en'} binnen een week`,
    FR: (a: number, n: number) => `A répondu à ${a} invitation${a > 1 ? 's' : ''} sur ${n} en moins d’une semaine`,
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

export function buildReasons(f: ReasonFacts, lang: Language = Language.EN): string[] {
  const t = TEMPLATES;
  const out: string[] = [];
  if (f.sharedSdgs.length)
    out.push(
      t.sharedSdgs[lang](
        list(
          // French says ODD (objectif de développement durable) where English and Dutch say SDG.
          f.sharedSdgs.map((s) => `${lang === Language.FR ? s.code.replace(/^SDG\b/, 'ODD') : s.code} ${s.title}`),
          lang,
        ),
      ),
    );
  if (f.exact.length)
    out.push(
      t.exact[lang](
        list(
          f.exact.map((e) => e.toLowerCase()),
          lang,
        ),
      ),
    );
  if (f.related.length) {
    out.push(
      t.related[lang](
        list(
          f.related.map((r) => t.relatedItem[lang](r.label.toLowerCase(), r.need.toLowerCase())),
          lang,
        ),
      ),
    );
  }
  if (f.similar.length) {
    out.push(
      t.similar[lang](
        list(
          f.similar.map((s) => `${s.label.toLowerCase()} (≈ ${s.need.toLowerCase()})`),
          lang,
        ),
      ),
    );
  }
  if (f.distanceKm === null) out.push(t.locationUnknown[lang]());
  else {
    const d = formatDistance(f.distanceKm, f.radiusKm, f.coarseDistance, lang);
    out.push(f.distanceKm > f.radiusKm ? t.beyond[lang](d, f.radiusKm) : t.away[lang](d));
  }
  if (f.levelsMatch) out.push(t.levels[lang]());
  if (f.sharedLanguages.length) out.push(t.speaks[lang](list(f.sharedLanguages, lang)));
  if (f.record?.dueInvitations) out.push(t.answered[lang](f.record.promptAnswers, f.record.dueInvitations));
  if (f.record?.completed) out.push(t.completed[lang](f.record.completed));
  if (f.candidateContexts.length)
    out.push(
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
