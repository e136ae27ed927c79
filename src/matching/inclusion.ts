/**
 * Inclusion: a bounded bonus when the posing school, or the candidate, works with a community
 * usually left out of science and innovation (remote, low-income, minority). Its default weight
 * is small, so it breaks near-ties rather than overriding relevance.
 */
import { UnderservedContext } from '../domain/enums';

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

/** Underserved contexts in a fixed order: the index codes a list of them by positions here. */
export const CONTEXTS = Object.values(UnderservedContext);

/**
 * A list of distinct contexts as one byte, its order kept: each one's position in
 * {@link CONTEXTS} plus one, two bits apiece, the first lowest (0: none). What the match index
 * keeps, so a match is explained without reading the row.
 */
export function contextsCode(contexts: readonly string[]): number {
  let code = 0;
  contexts.forEach((c, i) => (code |= (CONTEXTS.indexOf(c as UnderservedContext) + 1) << (2 * i)));
  return code;
}

/** The contexts a {@link contextsCode} holds, in their order (an empty slot, a value it did not know, skipped). */
export function contextsOf(code: number): UnderservedContext[] {
  const out: UnderservedContext[] = [];
  for (let rest = code; rest !== 0; rest >>>= 2) if (rest & 3) out.push(CONTEXTS[(rest & 3) - 1]);
  return out;
}

/** How many contexts a {@link contextsCode} holds (no list made: a load codes every row). */
export function contextsCount(code: number): number {
  let n = 0;
  for (let rest = code; rest !== 0; rest >>>= 2) if (rest & 3) n++;
  return n;
}

/**
 * {@link contextsCode} in SQL over a stakeholder row aliased `s` (lists hold each context once,
 * validate.ts's `enumList`). A family's are never read: special-category data stays in its row.
 */
export function contextsCodeSql(s: string): string {
  const at = (i: number) =>
    `coalesce(array_position('{${CONTEXTS.join(',')}}'::text[], ${s}.underserved_contexts[${i + 1}]), 0) * ${4 ** i}`;
  return `(CASE WHEN ${FAMILY_SQL(s)} THEN 0 ELSE ${CONTEXTS.map((_, i) => at(i)).join(' + ')} END)`;
}

/** Whether the stakeholder row aliased `s` is a family. */
export const FAMILY_SQL = (s: string) => `${s}.kind = 'FAMILY'`;

export function inclusion(schoolContexts: number, candidateContexts: number): number {
  const side = (n: number, base: number) => (n > 0 ? base + PER_EXTRA_CONTEXT * (n - 1) : 0);
  return Math.min(1, side(schoolContexts, SCHOOL_BASE) + side(candidateContexts, CANDIDATE_BASE));
}
