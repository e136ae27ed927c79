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
