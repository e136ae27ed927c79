/** Case- and accent-folding shared by expertise slugs and the gazetteer. */
export function foldText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** "Water Management", "water-management" and "Wáter  management!" all give "water-management". */
export function slugify(label: string): string {
  return foldText(label)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Levenshtein edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * {@link editDistance} when it is at most `max`, else `max + 1`, stopping as soon as no
 * alignment can come back within `max`: strings whose lengths differ by more are refused at
 * once, and a row whose every cell exceeds `max` ends the work. This is what keeps a long
 * unknown name from costing a full table per gazetteer entry.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    let least = row[0];
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
      if (row[j] < least) least = row[j];
    }
    if (least > max) return max + 1;
  }
  return Math.min(row[b.length], max + 1);
}

// A cell a spreadsheet would run: `=…`, `@…`, or `+`/`-` followed by more than a number or a
// phone number written with spaces and brackets (those stay: "-0.52", "+32 (0)16 32 40 10"). An
// operator after the sign is arithmetic a spreadsheet computes ("-2+3", "+32-16-123456", "-1/2").
const FORMULA = /^\s*(?:[=@\t\r]|[+-](?![\d\s().,]*$))/;

/**
 * Makes text safe to open in a spreadsheet (CSV injection): a value that would run as a formula
 * gets a leading apostrophe, which spreadsheets show as text. Applied to imported cells and to
 * every CSV we write.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be taken as text, or undefined when it can. */
export function textFault(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  return undefined;
}

/** `text` in HTML, `&`, `<`, `>`, `"` and `'` escaped: safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
