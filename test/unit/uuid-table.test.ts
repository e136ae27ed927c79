/**
 * The index's id table: every UUID finds its row in either case, reads back lowercase, and a
 * string that is not a UUID finds no row (and is never added).
 */
import { randomUUID } from 'node:crypto';
import { UuidTable } from '../../src/matching/index/uuid-table';

it('finds each of 5,000 random ids, in either case, and reads each back lowercase', () => {
  const table = new UuidTable(16);
  const ids = Array.from({ length: 5000 }, () => randomUUID());
  ids.forEach((id, row) => expect(table.add(id)).toBe(row));
  ids.forEach((id, row) => {
    expect(table.rowOf(id)).toBe(row);
    expect(table.rowOf(id.toUpperCase())).toBe(row);
    expect(table.idOf(row)).toBe(id);
  });
  expect(table.rowOf(randomUUID())).toBe(-1);
});

const known = '0f8fad5b-d9cb-469f-a165-70867728950e';
it.each([
  ['empty', ''],
  ['one digit short', known.slice(0, -1)],
  ['one digit long', `${known}0`],
  ['a letter beyond f', known.replace('d9cb', 'd9cg')],
  ['a character past ASCII whose low bits read as a digit', known.replace('a165', 'a1\u0136' + '5')],
  ['spaces', ` ${known} `],
  ['a dash where a digit belongs', known.replace('0e', '-e')],
])('a string that is not a UUID (%s) finds no row and is never added', (_, text) => {
  const table = new UuidTable();
  table.add(known);
  expect(table.rowOf(text)).toBe(-1);
  expect(() => table.add(text)).toThrow('not a UUID');
  expect(table.size).toBe(1);
  expect(table.rowOf(known)).toBe(0);
});
