/**
 * The one cursor codec: every opaque cursor the API hands out (keyset pages, ranked pages, event
 * streams) is `tag|part|…` in base64url, and every one that comes back is checked here in full
 * before it reaches SQL, so a forged cursor is a BAD_USER_INPUT, never a database error.
 */
import { badInput } from './errors';

/** Longest cursor accepted; the ones we make are well under it. */
export const MAX_CURSOR_LENGTH = 200;

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DIGITS = /^\d{1,15}$/;

/** Makes a cursor of a tag and its parts. */
export function packCursor(tag: string, parts: readonly (string | number)[]): string {
  return Buffer.from([tag, ...parts].join('|')).toString('base64url');
}

/** A decoded cursor's parts, read with the checks their kind needs. */
export interface CursorParts {
  /** A whole number in [0, max]. */
  int(index: number, max: number): number;
  uuid(index: number): string;
  /** An instant PostgreSQL can store (years 1 to 9999). */
  time(index: number): Date;
}

/**
 * Opens a cursor made by {@link packCursor} with `tag` and `arity` parts; anything else is
 * refused as `field` with `hint` (e.g. "an eventCursor returned by this API").
 */
export function unpackCursor(field: string, cursor: string, tag: string, arity: number, hint: string): CursorParts {
  const refuse = () => badInput(field, `must be ${hint}`);
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw refuse();
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== arity + 1 || parts[0] !== tag) throw refuse();
  const at = (i: number) => parts[i + 1];
  return {
    int(i, max) {
      if (!DIGITS.test(at(i))) throw refuse();
      const n = Number(at(i));
      if (n > max) throw refuse();
      return n;
    },
    uuid(i) {
      if (!UUID.test(at(i))) throw refuse();
      return at(i);
    },
    time(i) {
      const d = new Date(at(i));
      const year = d.getUTCFullYear();
      if (Number.isNaN(d.getTime()) || year < 1 || year > 9999) throw refuse();
      return d;
    },
  };
}
