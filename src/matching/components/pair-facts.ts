/** What the score of one pair (challenge, candidate) is computed from. */
export interface PairFacts<K = string> {
  challengeSdgs: number;
  candidateSdgs: number;
  sharedSdgs: number;
  neededCount: number;
  creditSum: number;
  distanceKm: number | null;
  radiusKm: number;
  wantedKinds: readonly K[];
  kind: K;
  schoolLevels: readonly number[];
  candidateLevels: readonly number[];
  schoolLanguages: readonly string[];
  candidateLanguages: readonly string[];
  schoolContexts: number;
  candidateContexts: number;
  /** The candidate's track record value (track.ts). */
  candidateTrack: number;
}

/**
 * The numbers every component reads: a pair's facts reduced to scalars, whether they came as
 * lists (the reference, {@link signalsOf}) or as columns (the match index's ranking). Each
 * component's formula reads only these, so the score is written once.
 */
export interface PairSignals {
  challengeSdgs: number;
  candidateSdgs: number;
  sharedSdgs: number;
  neededCount: number;
  creditSum: number;
  distanceKm: number | null;
  radiusKm: number;
  /** Preferences both sides state (wanted kind, education levels, languages). */
  preferencesStated: number;
  /** Of those, the ones the pair meets. */
  preferencesMet: number;
  schoolContexts: number;
  candidateContexts: number;
  candidateTrack: number;
}

/** A signal both sides state, and whether it is met; null when either side states nothing. */
const overlap = <T>(a: readonly T[], b: readonly T[]): boolean | null =>
  a.length === 0 || b.length === 0 ? null : a.some((x) => b.includes(x));

/** The reference reduction of a pair's facts to its signals. */
export function signalsOf<K>(f: PairFacts<K>): PairSignals {
  const preferences = [
    f.wantedKinds.length === 0 ? null : f.wantedKinds.includes(f.kind),
    overlap(f.candidateLevels, f.schoolLevels),
    overlap(f.candidateLanguages, f.schoolLanguages),
  ].filter((s): s is boolean => s !== null);
  return {
    challengeSdgs: f.challengeSdgs,
    candidateSdgs: f.candidateSdgs,
    sharedSdgs: f.sharedSdgs,
    neededCount: f.neededCount,
    creditSum: f.creditSum,
    distanceKm: f.distanceKm,
    radiusKm: f.radiusKm,
    preferencesStated: preferences.length,
    preferencesMet: preferences.filter(Boolean).length,
    schoolContexts: f.schoolContexts,
    candidateContexts: f.candidateContexts,
    candidateTrack: f.candidateTrack,
  };
}
