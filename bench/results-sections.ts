/**
 * bench/results.md is rewritten by `npm run bench`, yet other benchmarks add sections of their own
 * by hand (stalls, cost model, webhooks): a rewrite replaces only the sections it writes.
 */

/**
 * The `## ` sections of `previous` whose headings are not in `written`, in their order, each with
 * its text up to the next heading; what comes before the first heading is left out.
 */
export function otherSections(previous: string, written: readonly string[]): string {
  const kept: string[] = [];
  let keep = false;
  for (const line of previous.split('\n')) {
    if (line.startsWith('## ')) keep = !written.includes(line.slice(3).trim());
    if (keep) kept.push(line);
  }
  return kept.join('\n');
}
