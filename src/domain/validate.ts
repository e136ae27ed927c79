import { badInput } from './errors';

/**
 * Input checks shared by the services. Each throws a BAD_USER_INPUT {@link DomainError}
 * whose message names the field and the rule, e.g. "sdgs[2] must be between 1 and 17, got 18".
 */

export function requireText(field: string, value: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badInput(field, 'must not be empty');
  if (trimmed.length > maxLength) {
    throw badInput(field, `must be at most ${maxLength} characters, got ${trimmed.length}`);
  }
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

export function sdgList(field: string, values: readonly number[], opts: { nonEmpty: boolean }): number[] {
  if (opts.nonEmpty && values.length === 0) throw badInput(field, 'must name at least one SDG (1 to 17)');
  return intList(field, values, 1, 17, 17);
}

export function textList(field: string, values: readonly string[], maxLength: number, maxItems = 50): string[] {
  if (values.length > maxItems) throw badInput(field, `must have at most ${maxItems} items, got ${values.length}`);
  const out = values.map((v, i) => requireText(`${field}[${i}]`, v, maxLength));
  return [...new Set(out)];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function optionalEmail(field: string, value: string | null | undefined): string | null {
  const text = optionalText(field, value, 254);
  if (text !== null && !EMAIL.test(text)) throw badInput(field, `must be an email address, got "${text}"`);
  return text;
}

const LANGUAGE = /^[a-z]{2,3}$/;

/** ISO 639-1/-3 codes, lowercased. */
export function languageList(field: string, values: readonly string[]): string[] {
  const out = values.map((v, i) => {
    const code = v.trim().toLowerCase();
    if (!LANGUAGE.test(code)) throw badInput(`${field}[${i}]`, `must be an ISO 639 language code like "nl", got "${v}"`);
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
