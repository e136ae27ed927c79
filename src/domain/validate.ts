import { badInput } from './errors';

/**
 * Input checks shared by the services. Each throws a BAD_USER_INPUT {@link DomainError}
 * whose message names the field and the rule, e.g. "sdgs[2] must be between 1 and 17, got 18".
 */

// Names, titles and tags are one line of text people read: no control characters (line breaks,
// tabs, escapes), no direction overrides that make text display as something it is not, and at
// least one character that shows (not only zero-width or format characters).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** A required one-line text (a name, a title, a tag), trimmed. */
export function requireText(field: string, value: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(field, 'must not be empty');
  if (trimmed.length > maxLength) {
    throw badInput(field, `must be at most ${maxLength} characters, got ${trimmed.length}`);
  }
  if (CONTROL.test(trimmed))
    throw badInput(field, 'must be one line without control characters (breaks, tabs, escapes, direction overrides)');
  if (!VISIBLE.test(trimmed)) throw badInput(field, 'must contain a visible character (a letter, digit or sign)');
  return trimmed;
}

export function optionalText(field: string, value: string | null | undefined, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (trimmed.length > maxLength) {
    throw badInput(field, `must be at most ${maxLength} characters, got ${trimmed.length}`);
  }
  return trimmed.length === 0 ? null : trimmed;
}

export function intInRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

export function numberInRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw badInput(field, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/** Checks each element and returns the distinct values in first-seen order. */
export function intList(field: string, values: readonly number[], min: number, max: number, maxItems = 50): number[] {
  if (values.length > maxItems) throw badInput(field, `must have at most ${maxItems} items, got ${values.length}`);
  values.forEach((v, i) => intInRange(`${field}[${i}]`, v, min, max));
  return [...new Set(values)];
}

/**
 * A list of enum values: each one of `allowed`, at most `maxItems`, the distinct values in
 * first-seen order. The one rule for every such list, typed (GraphQL) or imported: a repeated
 * value counts once (a context or a wanted kind named twice is not worth more).
 */
export function enumList<T extends string>(
  field: string,
  values: readonly string[],
  allowed: readonly T[],
  maxItems = 50,
): T[] {
  if (values.length > maxItems) throw badInput(field, `must have at most ${maxItems} items, got ${values.length}`);
  values.forEach((value, i) => {
    if (!(allowed as readonly string[]).includes(value))
      throw badInput(`${field}[${i}]`, `must be one of ${allowed.join(', ')}, got ${quoted(value)}`);
  });
  return [...new Set(values as readonly T[])];
}

export function sdgList(field: string, values: readonly number[], opts: { nonEmpty: boolean }): number[] {
  if (opts.nonEmpty && values.length === 0) throw badInput(field, 'must name at least one SDG (1 to 17)');
  return intList(field, values, 1, 17, 17);
}

export function textList(field: string, values: readonly string[], maxLength: number, maxItems = 50): string[] {
  if (values.length > maxItems) throw badInput(field, `must have at most ${maxItems} items, got ${values.length}`);
  const out = values.map((v, i) => requireText(`${field}[${i}]`, v, maxLength));
  return [...new Set(out)];
}

// The addr-spec of RFC 5322 without quoted parts or comments: what real addresses use, and
// nothing that could carry markup (<, >, quotes, spaces).
const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]{1,64}@${DNS_LABEL}(?:\\.${DNS_LABEL})+$`);

/** A value quoted in a message, shortened so an error never echoes a long input back. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

export function optionalEmail(field: string, value: string | null | undefined): string | null {
  const text = optionalText(field, value, 254);
  if (text !== null && !EMAIL.test(text)) {
    throw badInput(field, `must be an email address like name@example.org, got ${quoted(text)}`);
  }
  return text;
}

/** A web address people can open: http or https only (never javascript:, data: or file:). */
export function optionalWebsite(field: string, value: string | null | undefined): string | null {
  const text = optionalText(field, value, 500);
  if (text === null) return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || !/^https?:\/\//i.test(text)) {
    throw badInput(field, `must be an http:// or https:// address, got ${quoted(text)}`);
  }
  if (/["'<>\\\s]/.test(text) || url.username || url.password) {
    throw badInput(field, `must be a plain web address without quotes, markup, spaces or logins, got ${quoted(text)}`);
  }
  return url.href;
}

/** The two-letter codes of ISO 639-1. */
export const ISO_639_1 = new Set(
  `
  aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
  dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia
  id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo
  lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl
  ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk
  tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
`
    .trim()
    .split(/\s+/),
);

/** ISO 639-1 codes, lowercased. */
export function languageList(field: string, values: readonly string[]): string[] {
  const out = values.map((v, i) => {
    const code = v.trim().toLowerCase();
    if (!ISO_639_1.has(code)) {
      throw badInput(`${field}[${i}]`, `must be an ISO 639-1 language code like "nl", got ${quoted(v)}`);
    }
    return code;
  });
  return [...new Set(out)];
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export function geoPoint(field: string, point: GeoPoint): GeoPoint {
  return {
    latitude: numberInRange(`${field}.latitude`, point.latitude, -90, 90),
    longitude: numberInRange(`${field}.longitude`, point.longitude, -180, 180),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs are UUIDs; anything else cannot name a row, so say so instead of asking the database. */
export function uuid(field: string, value: string): string {
  if (!UUID.test(value)) throw badInput(field, `must be an ID returned by this API, got "${value}"`);
  return value.toLowerCase();
}

/**
 * A calendar date, YYYY-MM-DD, that exists (no 2026-02-30), between `min` and `max` (inclusive,
 * YYYY-MM-DD too).
 */
export function isoDate(field: string, value: string, min = '2000-01-01', max = '2100-12-31'): string {
  const text = value.slice(0, 11);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== text) {
    throw badInput(field, `must be a date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  if (text < min || text > max) throw badInput(field, `must be between ${min} and ${max}, got ${text}`);
  return text;
}
