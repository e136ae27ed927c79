/**
 * Rows in the order ranking reads them. A ranking scans a kind's list a block at a time
 * (blocks.ts), reading a dozen columns per row; rows numbered in the order they were loaded sit
 * anywhere in those columns, so each row read misses the cache once per column (at 1,000,000
 * stakeholders, most of a ranking's time). After a full load sorts the lists, the rows are
 * renumbered in list order — kind by kind, block by block — so a block's rows are neighbours in
 * every column. Rows written later are appended and stay where they land until the next load.
 *
 * Only a load renumbers, under the write lock (the columns are new arrays, so their generation
 * moves and every cache keyed by it is remade); a service's first load does it before the change
 * feed starts and before suggestions are served. A reload while serving (the outbox pruned past an
 * instance) replaces every row at once: what reads rows across an await after its ranking released
 * the lock checks the index's `layout` and tries again (rank-on-index.ts's `onOneLayout`).
 */
import { CHECK_SLOTS } from '../safeguarding';
import type { MatchIndex } from './match-index';
import { ColumnArray, ColumnClass, sharedArray } from './shared-columns';

/**
 * Every column with a slot (or `perRow` slots) per row: what growing the index and renumbering
 * its rows both go through, so a new column is listed once. Pools (tags, languages), per-kind
 * lists and the network's totals are not per row.
 */
export const ROW_COLUMNS = [
  ['kind', 1],
  ['lat', 1],
  ['lon', 1],
  ['sdgMask', 1],
  ['levelMask', 1],
  ['scoredContexts', 1],
  ['contexts', 1],
  ['trackTenths', 1],
  ['trackObservations', 1],
  ['dueInvitations', 1],
  ['acceptedAnswers', 1],
  ['declinedAnswers', 1],
  ['completed', 1],
  ['capacity', 1],
  ['accepted', 1],
  ['alive', 1],
  ['region', 1],
  ['country', 1],
  ['area', 1],
  ['checkDays', CHECK_SLOTS],
  ['tagStart', 1],
  ['tagEnd', 1],
  ['langStart', 1],
  ['langEnd', 1],
  ['kindPos', 1],
] as const satisfies readonly (readonly [keyof MatchIndex, number])[];

/** The name of a per-row column. */
export type RowColumnName = (typeof ROW_COLUMNS)[number][0];

/** The per-row columns of an index, as arrays to replace. */
export function rowColumnsOf(index: MatchIndex): Record<RowColumnName, ColumnArray> {
  return index as unknown as Record<RowColumnName, ColumnArray>;
}

/**
 * Renumbers every row in the order of its kind's list (kinds in order) and moves its slots in every
 * per-row column and its id with it; each list then reads 0, 1, 2… from its kind's first row. A row
 * in no list (a kind this code does not know, never ranked) keeps its values after the listed ones.
 * Pools are left to the caller (their slices follow the rows' offsets, which moved with them).
 * Throws if a list names a row twice or a row that is not there.
 */
export function renumberRows(index: MatchIndex): void {
  const { size } = index;
  const to = new Int32Array(size).fill(-1);
  let next = 0;
  for (let k = 0; k < index.kindRows.length; k++) {
    const rows = index.kindRows[k];
    for (let at = 0; at < index.kindCount[k]; at++) {
      if (rows[at] >= size || to[rows[at]] >= 0) throw new Error(`row ${rows[at]} is listed twice or is no row`);
      to[rows[at]] = next;
      rows[at] = next++;
    }
  }
  for (let row = 0; row < size; row++) if (to[row] < 0) to[row] = next++;
  const columns = rowColumnsOf(index);
  for (const [name, perRow] of ROW_COLUMNS) {
    const from = columns[name];
    const moved = sharedArray(from.constructor as ColumnClass<ColumnArray>, from.length);
    // Moved as words of the widest size that divides a row's bytes (never as doubles, whose NaNs
    // may not keep their bits): three kinds of view, so the copying loop stays fast. Room beyond
    // the rows stays as it was.
    const [bytes, end] = [from.BYTES_PER_ELEMENT * perRow, size * from.BYTES_PER_ELEMENT * perRow];
    if (bytes === 4) moveWords(new Uint32Array(from.buffer, 0, end / 4), new Uint32Array(moved.buffer, 0, end / 4), to);
    else if (bytes % 4 === 0)
      moveSlots(new Uint32Array(from.buffer, 0, end / 4), new Uint32Array(moved.buffer, 0, end / 4), bytes / 4, to);
    else if (bytes % 2 === 0)
      moveSlots(new Uint16Array(from.buffer, 0, end / 2), new Uint16Array(moved.buffer, 0, end / 2), bytes / 2, to);
    else moveSlots(new Uint8Array(from.buffer, 0, end), new Uint8Array(moved.buffer, 0, end), bytes, to);
    moved.set(from.subarray(size * perRow), size * perRow);
    columns[name] = moved;
  }
  index.ids.renumber(to, size);
}

/**
 * Copies each row's one 32-bit word of `from` to its new place `to[row]` in `into`: most columns,
 * in a loop of their own that sees one kind of array only (the general one below sees three, which
 * slows it for all of them: most of a renumbering's time at 1,000,000 rows).
 */
function moveWords(from: Uint32Array, into: Uint32Array, to: Int32Array) {
  for (let row = 0; row < to.length; row++) into[to[row]] = from[row];
}

/** Copies each row's `perRow` words of `from` to its new place `to[row]` in `into`. */
function moveSlots<T extends Uint8Array | Uint16Array | Uint32Array>(from: T, into: T, perRow: number, to: Int32Array) {
  for (let row = 0; row < to.length; row++) {
    const a = row * perRow;
    const b = to[row] * perRow;
    for (let slot = 0; slot < perRow; slot++) into[b + slot] = from[a + slot];
  }
}
