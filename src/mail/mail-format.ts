/** Dates, scores and lists as a reader of the mail's language writes them, dates in the reader's time zone. */
import { Language } from '../domain/language';

/** The locale each language is formatted in: the seed networks are in Belgium. */
const LOCALES: Record<Language, string> = { EN: 'en-GB', NL: 'nl-BE', FR: 'fr-BE' };

/** "Monday 3 March 2025 at 14:00 CET", "maandag 3 maart 2025 om 14:00 CET", "lundi 3 mars 2025 à 14:00 UTC+1". */
export function formatDateTime(at: Date, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

/** "Monday 3 March 2025", the day it is at `at` in `timeZone`. */
export function formatDay(at: Date, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(at);
}

/** A score in [0, 1] as a whole percentage: "87%", "87 %" in French. */
export function formatPercent(score: number, lang: Language): string {
  const clamped = Math.min(1, Math.max(0, score));
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 0 }).format(clamped);
}

/** "A, B and C", "A, B en C", "A, B et C". */
export function formatList(items: readonly string[], lang: Language): string {
  return new Intl.ListFormat(LOCALES[lang], { type: 'conjunction' }).format(items);
}
