/**
 * Rows renumbered in list order (index/row-order.ts) when a load organises the index: every
 * stakeholder keeps every value of every per-row column, its tags, languages and id, its kind's
 * list reads its rows in memory order, and every column with a slot per row is in the one list
 * that growing and renumbering go through.
 */
import { CHECK_SLOTS, CHECK_TYPES, dayNumber, todayIso } from '../../src/matching/safeguarding';
import { contextsCode, CONTEXTS } from '../../src/matching/inclusion';
import { KINDS, levelMaskOf, sdgMaskOf } from '../../src/matching/index/column-codes';
import { MatchIndex } from '../../src/matching/index/match-index';
import { ROW_COLUMNS, rowColumnsOf } from '../../src/matching/index/row-order';
import { prng } from '../../src/db/synthetic-network';
import { stakeholderFacts } from '../helpers/stakeholder-facts';

/** A valid v4 UUID for a number, its first bytes spread (the id table hashes them). */
const uuid = (n: number) =>
  `${((Math.imul(n + 1, 2654435761) >>> 0) % 0xffffffff).toString(16).padStart(8, '0')}-0000-4000-8000-` +
  n.toString(16).padStart(12, '0');

/** An index of `rows` stakeholders written in a random order, some rewritten (left-behind pool slices) or erased. */
function network(seed: number, rows: number): { index: MatchIndex; write: (n: number) => number } {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const some = <T>(xs: readonly T[], n: number) => [
    ...new Set(Array.from({ length: int(n + 1) }, () => xs[int(xs.length)])),
  ];
  const today = dayNumber(todayIso());
  const index = new MatchIndex();
  const write = (n: number) =>
    index.setStakeholder({
      id: uuid(n),
      // Now and then a kind this code does not know: such a row is in no list and never ranked.
      kind: random() < 0.01 ? 'ROBOT' : KINDS[int(KINDS.length)],
      latitude: random() < 0.05 ? null : 40 + random() * 20,
      longitude: random() < 0.05 ? null : -5 + random() * 30,
      sdgMask: sdgMaskOf(some([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], 4)),
      expertiseIds: some([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 4),
      languages: some(['nl', 'en', 'fr', 'de'], 3),
      levelMask: levelMaskOf(some([1, 2, 3], 2)),
      capacity: int(5),
      contexts: random() < 0.7 ? 0 : contextsCode(some(CONTEXTS, 3)),
      accepted: int(3),
      regionCode: random() < 0.5 ? null : ['NL-UT', 'BE-BRU', 'DE-BY'][int(3)],
      countryCode: random() < 0.2 ? null : ['NL', 'BE', 'DE'][int(3)],
      erased: random() < 0.05,
      serviceArea: random() < 0.8 ? null : ['LOCAL', 'REGIONAL', 'NATIONAL'][int(3)],
      record:
        random() < 0.5
          ? undefined
          : {
              ...{ promptAccepts: int(3), lateAccepts: int(2), declines: int(2), promptAnswers: int(3) },
              ...{ unanswered: int(3), completed: int(2), ratingSum: 0, ratings: 0 },
            },
      checks: random() < 0.5 ? undefined : CHECK_TYPES.map(() => (random() < 0.5 ? 0 : today - int(2000))),
    });
  for (let n = 0; n < rows; n++) write(n);
  for (let i = 0; i < rows / 3; i++) write(int(rows));
  return { index, write };
}

/** Everything a stakeholder's row holds, by id: each per-row column's slots (offsets by what they point at). */
function byId(index: MatchIndex): Map<string, unknown[]> {
  const columns = rowColumnsOf(index);
  const out = new Map<string, unknown[]>();
  for (let row = 0; row < index.size; row++) {
    const values: unknown[] = [[...index.tagsOf(row)], index.languagesOf(row)];
    for (const [name, perRow] of ROW_COLUMNS) {
      // Offsets into pools and the list position move by design: what they point at must not.
      if (['tagStart', 'tagEnd', 'langStart', 'langEnd', 'kindPos'].includes(name)) continue;
      values.push([name, ...columns[name].subarray(row * perRow, (row + 1) * perRow)]);
    }
    out.set(index.ids.idOf(row), values);
  }
  return out;
}

describe('rows renumbered in list order', () => {
  it.each([1, 2, 3, 4, 5, 6])('keeps every value of every stakeholder (seed %i)', (seed) => {
    const { index, write } = network(seed, 1500 + seed * 311);
    const before = byId(index);
    index.organize();
    const after = byId(index);
    expect(after.size).toBe(before.size);
    const differing = [...before].filter(([id, values]) => JSON.stringify(after.get(id)) !== JSON.stringify(values));
    expect(differing.slice(0, 3)).toEqual([]);
    // The id table finds each id at its new row, and each list reads its kind's rows in memory order.
    for (const id of before.keys()) expect(index.ids.idOf(index.rowOf(id))).toBe(id);
    let next = 0;
    for (let k = 0; k < KINDS.length; k++) {
      const list = [...index.kindRows[k].subarray(0, index.kindCount[k])];
      expect(list).toEqual(list.map((_, at) => next + at));
      expect(list.every((row, at) => index.kind[row] === k && index.kindPos[row] === at)).toBe(true);
      next += list.length;
    }
    // Rows written after the load are appended and found as ever; rewrites leave every other row as it was.
    const row = write(99_999);
    expect([row, index.rowOf(uuid(99_999)), index.ids.idOf(row)]).toEqual([index.size - 1, row, uuid(99_999)]);
    const rewritten = new Set([uuid(99_999)]);
    for (let n = 0; n < before.size; n += 7) rewritten.add(index.ids.idOf(write(n)));
    const later = byId(index);
    const moved = [...after].filter(
      ([id, values]) => !rewritten.has(id) && JSON.stringify(later.get(id)) !== JSON.stringify(values),
    );
    expect(moved.slice(0, 3)).toEqual([]);
  });

  it('keeps a slot per row in every column while the index grows a row at a time, and renumbers at any size', () => {
    const index = new MatchIndex();
    const short: string[] = [];
    const columns = rowColumnsOf(index);
    for (let n = 0; n < 90_000; n++) {
      index.setStakeholder(stakeholderFacts(uuid(n), { kind: KINDS[n % KINDS.length], checks: [1, 2, 3, 4] }));
      for (const [name, perRow] of ROW_COLUMNS)
        if (columns[name].length < index.size * perRow) short.push(`${name}@${n}`);
    }
    expect(short.slice(0, 5)).toEqual([]);
    const before = byId(index);
    index.organize();
    const after = byId(index);
    const differing = [...before].filter(([id, values]) => JSON.stringify(after.get(id)) !== JSON.stringify(values));
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it('lists every column with a slot per row (a new one left out fails here)', () => {
    const { index } = network(7, 300);
    const notPerRow = ['tagPool', 'langPool', 'trackTotals', 'kindCount'];
    const arrays = Object.entries(index)
      .filter(([, value]) => ArrayBuffer.isView(value))
      .map(([name]) => name)
      .filter((name) => !notPerRow.includes(name));
    expect(arrays.sort()).toEqual(ROW_COLUMNS.map(([name]) => name as string).sort());
    expect(ROW_COLUMNS.find(([name]) => name === 'checkDays')?.[1]).toBe(CHECK_SLOTS);
  });
});
