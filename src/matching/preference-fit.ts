/**
 * Preference fit (the `kind` component): whether the partner is of a wanted kind, serves the
 * school's education levels and speaks one of its languages. Each signal counts only when both
 * sides state it; with no signal at all the fit is neutral (0.5).
 */

/** Fit when neither side states a preference. */
export const NEUTRAL_FIT = 0.5;

/** One preference check: true/false when both sides state it, null when not applicable. */
export type Signal = boolean | null;

export function preferenceFit(signals: readonly Signal[]): number {
  const applicable = signals.filter((s): s is boolean => s !== null);
  return fitOfCounts(applicable.length, applicable.filter(Boolean).length);
}

/** The fit of `met` signals out of `stated`: neutral when none is stated. */
export function fitOfCounts(stated: number, met: number): number {
  return stated === 0 ? NEUTRAL_FIT : met / stated;
}

/** Overlap of two stated lists: null when either side states nothing. */
export function overlapSignal<T>(a: readonly T[], b: readonly T[]): Signal {
  if (a.length === 0 || b.length === 0) return null;
  return a.some((x) => b.includes(x));
}

/** Whether a kind is wanted: null when the challenge wants any kind. */
export function kindSignal<T>(wanted: readonly T[], kind: T): Signal {
  return wanted.length === 0 ? null : wanted.includes(kind);
}
