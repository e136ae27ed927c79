/**
 * Kind diversity: when several kinds of partner are wanted, re-rank so the first page shows each
 * wanted kind that has a candidate at all, by promoting that kind's best candidate in place of
 * the lowest-ranked member of a kind the page already shows more than once.
 */
export function diversifyByKind<T extends { kind: K }, K>(
  ranked: readonly T[],
  wanted: readonly K[],
  window: number,
): T[] {
  if (wanted.length < 2 || window <= 0 || ranked.length <= window) return [...ranked];
  const page = ranked.slice(0, window);
  const shown = new Set(page.map((r) => r.kind));
  const promotions = wanted
    .filter((k) => !shown.has(k))
    .map((k) => ranked.findIndex((r, i) => i >= window && r.kind === k))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b);
  for (const index of promotions) {
    const counts = new Map<K, number>();
    for (const r of page) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
    let victim = -1;
    for (let i = page.length - 1; i >= 0; i--) {
      if (counts.get(page[i].kind)! > 1) {
        victim = i;
        break;
      }
    }
    if (victim < 0) break;
    page.splice(victim, 1);
    page.push(ranked[index]);
  }
  const rank = new Map(ranked.map((r, i) => [r, i]));
  page.sort((a, b) => rank.get(a)! - rank.get(b)!);
  const onPage = new Set(page);
  return [...page, ...ranked.filter((r) => !onPage.has(r))];
}
