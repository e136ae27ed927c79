/**
 * Reasons: short sentences that explain a match to a teacher or coordinator, built from the
 * same facts the score is built from.
 */

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
  schoolContexts: string[];
  candidateContexts: string[];
  levelsMatch: boolean | null;
  sharedLanguages: string[];
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const CONTEXT_WORDS: Record<string, string> = {
  GEOGRAPHIC_ISOLATION: 'geographic isolation',
  SOCIO_ECONOMIC: 'socio-economic disadvantage',
  ETHNIC_MINORITY: 'exclusion of ethnic minorities',
};

function words(context: string): string {
  return CONTEXT_WORDS[context] ?? context.toLowerCase().replace(/_/g, ' ');
}

/** Distance as people say it: "less than 1 km", "8 km", "12.5 km" → "13 km". */
export function formatDistance(km: number, coarse = false): string {
  if (coarse) return km < 1 ? 'about 1 km' : `about ${Math.round(km)} km`;
  if (km < 1) return 'less than 1 km';
  return `${Math.round(km)} km`;
}

export function buildReasons(f: ReasonFacts): string[] {
  const out: string[] = [];
  if (f.sharedSdgs.length) out.push(`Shares ${list(f.sharedSdgs.map((s) => `${s.code} ${s.title}`))}`);
  if (f.exact.length) out.push(`Knows ${list(f.exact.map((e) => e.toLowerCase()))}`);
  if (f.related.length) out.push(`Related know-how: ${list(f.related.map((r) => `${r.label.toLowerCase()} (for ${r.need.toLowerCase()})`))}`);
  if (f.similar.length) out.push(`Similar expertise: ${list(f.similar.map((s) => `${s.label.toLowerCase()} (≈ ${s.need.toLowerCase()})`))}`);
  if (f.distanceKm === null) out.push('Location unknown');
  else if (f.distanceKm > f.radiusKm) out.push(`${formatDistance(f.distanceKm, f.coarseDistance)} away, beyond the ${f.radiusKm} km radius`);
  else out.push(`${formatDistance(f.distanceKm, f.coarseDistance)} away`);
  if (f.levelsMatch) out.push("Works with the school's education levels");
  if (f.sharedLanguages.length) out.push(`Speaks ${list(f.sharedLanguages)}`);
  if (f.schoolContexts.length) out.push(`The school serves a community facing ${list(f.schoolContexts.map(words))}`);
  if (f.candidateContexts.length) out.push(`Rooted in a community facing ${list(f.candidateContexts.map(words))}`);
  return out;
}
