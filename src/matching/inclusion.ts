/**
 * Inclusion: a bounded bonus when the posing school, or the candidate, works with a community
 * usually left out of science and innovation (remote, low-income, minority). Its default weight
 * is small, so it breaks near-ties rather than overriding relevance.
 */

/** Bonus for a school with one underserved context, and for each further one. */
export const SCHOOL_BASE = 0.5;
/** Bonus for a candidate with one underserved context. */
export const CANDIDATE_BASE = 0.3;
/** Added per further context on either side. */
export const PER_EXTRA_CONTEXT = 0.1;

/**
 * How many of a candidate's contexts count. A family's contexts (ethnic minority, socio-economic)
 * are special-category personal data: they never take part in matching, so no score, order,
 * reason or pushed event can reveal them.
 */
export function scoredContexts(kind: string, contexts: number): number {
  return kind === 'FAMILY' ? 0 : contexts;
}

/** {@link scoredContexts} in SQL over a stakeholder row aliased `s`. */
export function scoredContextsSql(s: string): string {
  return `(CASE WHEN ${FAMILY_SQL(s)} THEN 0 ELSE cardinality(${s}.underserved_contexts) END)`;
}

/** Whether the stakeholder row aliased `s` is a family. */
export const FAMILY_SQL = (s: string) => `${s}.kind = 'FAMILY'`;

export function inclusion(schoolContexts: number, candidateContexts: number): number {
  const side = (n: number, base: number) => (n > 0 ? base + PER_EXTRA_CONTEXT * (n - 1) : 0);
  return Math.min(1, side(schoolContexts, SCHOOL_BASE) + side(candidateContexts, CANDIDATE_BASE));
}
