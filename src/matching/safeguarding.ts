/**
 * Safeguarding as a rule of matching: a challenge whose pupil contact its hub's policy names needs
 * partners holding a verified check of a type the policy accepts, valid on the day the work is
 * judged by (the planned end, or today when that is later or unknown). A check counts until
 * `issued + maxAge` months. The one definition: the index, the brute force and the reasons call it.
 */
import { CheckType, PupilContact } from '../domain/enums';

/** Check types in the order of the index's slots (a row holds one issued day per type). */
export const CHECK_TYPES: readonly CheckType[] = [
  CheckType.VOG,
  CheckType.BE_CRIMINAL_RECORD_MODEL_2,
  CheckType.UK_DBS_ENHANCED,
  CheckType.OTHER,
];

/** Slots per row in the index's `checkDays` column. */
export const CHECK_SLOTS = CHECK_TYPES.length;

/**
 * Contact levels that need a check when a hub says nothing else.
 * @default [UNSUPERVISED, REGULAR]
 */
export const DEFAULT_CHECK_LEVELS: readonly PupilContact[] = [PupilContact.UNSUPERVISED, PupilContact.REGULAR];

/**
 * How old a check may be, in months, when a hub says nothing else.
 * @default 36
 */
export const DEFAULT_CHECK_MAX_AGE_MONTHS = 36;

/** The check types a country's schools accept by default; every type where the country has no rule here. */
export function defaultCheckTypes(country: string | null): CheckType[] {
  switch (country) {
    case 'NL':
      return [CheckType.VOG];
    case 'BE':
      return [CheckType.BE_CRIMINAL_RECORD_MODEL_2];
    case 'GB':
      return [CheckType.UK_DBS_ENHANCED];
    default:
      return [...CHECK_TYPES];
  }
}

/** A hub's policy as the rule reads it (a challenge without a hub: the defaults of its country). */
export interface CheckPolicy {
  levels: readonly PupilContact[];
  /** Accepted types; null or empty: the defaults of `country`. */
  types: readonly CheckType[] | null;
  maxAgeMonths: number;
  /** The hub's country, else the challenge's. */
  country: string | null;
}

/** What a challenge asks of its partners' checks; null when it asks nothing. */
export interface CheckRequirement {
  /** Accepted types as a bitmask over {@link CHECK_TYPES}. */
  typeMask: number;
  /** The earliest issued day (see {@link dayNumber}) that is still valid on `judgedOn`. */
  fromDay: number;
  /** The day validity is judged by, YYYY-MM-DD. */
  judgedOn: string;
  maxAgeMonths: number;
}

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2000, 0, 1);

/** Days since 1999-12-31 of a YYYY-MM-DD date (so 2000-01-01 is 1, and 0 means "no check"). */
export function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - EPOCH) / DAY_MS) + 1;
}

/** The YYYY-MM-DD date of a {@link dayNumber}. */
export function isoOfDay(day: number): string {
  return new Date(EPOCH + (day - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** The date `months` after `iso`, clamped to the month's last day (2024-01-31 + 1 → 2024-02-29). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** The last day a check issued on `issuedOn` counts. */
export function validUntil(issuedOn: string, maxAgeMonths: number): string {
  return addMonths(issuedOn, maxAgeMonths);
}

/** Today in UTC, YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The check types a policy takes, as a bitmask over {@link CHECK_TYPES}. */
export function acceptedTypeMask(policy: Pick<CheckPolicy, 'types' | 'country'>): number {
  let mask = 0;
  // No types named (null, or an empty list): the country's defaults, never "no check can do".
  const types = policy.types?.length ? policy.types : defaultCheckTypes(policy.country);
  for (const t of types) mask |= 1 << CHECK_TYPES.indexOf(t);
  return mask;
}

/** What a challenge asks of its partners' checks, judged today (`now`) or at its planned end if later. */
export function checkRequirement(
  contact: PupilContact,
  policy: CheckPolicy,
  plannedEndOn: string | null,
  now: Date = new Date(),
): CheckRequirement | null {
  if (!policy.levels.includes(contact)) return null;
  const typeMask = acceptedTypeMask(policy);
  const today = todayIso(now);
  const judgedOn = plannedEndOn && plannedEndOn > today ? plannedEndOn : today;
  // The earliest issue day whose validity reaches judgedOn: months back, then exact by days
  // (adding months clamps at a month's end, so subtracting them is not its exact inverse).
  const judged = dayNumber(judgedOn);
  const reaches = (day: number) => dayNumber(validUntil(isoOfDay(day), policy.maxAgeMonths)) >= judged;
  let from = dayNumber(addMonths(judgedOn, -policy.maxAgeMonths));
  while (from > 1 && reaches(from - 1)) from--;
  while (!reaches(from)) from++;
  return { typeMask, fromDay: from, judgedOn, maxAgeMonths: policy.maxAgeMonths };
}

/** The latest verified check of an accepted type a row holds: its slot and issued day (day 0: none). */
export function bestCheck(checkDays: Uint16Array, row: number, typeMask: number): { slot: number; day: number } {
  let best = { slot: -1, day: 0 };
  for (let t = 0; t < CHECK_SLOTS; t++) {
    const day = checkDays[row * CHECK_SLOTS + t];
    if ((typeMask >>> t) & 1 && day > best.day) best = { slot: t, day };
  }
  return best;
}

/** Whether a row holds a check that meets the requirement (the kernel's test, without objects). */
export function holdsCheck(checkDays: Uint16Array, row: number, typeMask: number, fromDay: number): boolean {
  for (let t = 0; t < CHECK_SLOTS; t++) {
    if ((typeMask >>> t) & 1 && checkDays[row * CHECK_SLOTS + t] >= fromDay) return true;
  }
  return false;
}

/** What the rule says of one pair, for its explanation. */
export interface CheckStanding {
  /** The partner holds no valid check the challenge needs. */
  needsCheck: boolean;
  /** The type named in the explanation: the valid one held, else the one needed (null: any of several). */
  type: CheckType | null;
  /** Until when the held check counts (YYYY-MM-DD), when it does. */
  validUntil: string | null;
}

/** The standing of a row against a requirement (null: the challenge asks no check). */
export function standingOf(checkDays: Uint16Array, row: number, req: CheckRequirement | null): CheckStanding | null {
  if (!req) return null;
  const best = bestCheck(checkDays, row, req.typeMask);
  if (best.day >= req.fromDay) {
    return {
      needsCheck: false,
      type: CHECK_TYPES[best.slot],
      validUntil: validUntil(isoOfDay(best.day), req.maxAgeMonths),
    };
  }
  const accepted = CHECK_TYPES.filter((_, t) => (req.typeMask >>> t) & 1);
  return { needsCheck: true, type: accepted.length === 1 ? accepted[0] : null, validUntil: null };
}
