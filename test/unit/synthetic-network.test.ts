import { generateNetwork, prng } from '../../src/db/synthetic-network';
import { parseCsv, csvField } from '../../src/domain/import/csv';

describe('csv', () => {
  it.each([
    [
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      '"x, y","he said ""hi"""\r\n3,\n',
      [
        ['x, y', 'he said "hi"'],
        ['3', ''],
      ],
    ],
    ['"multi\nline",z\nlast', [['multi\nline', 'z'], ['last']]],
    ['\ufeffh\n\nv\n', [['h'], ['v']]],
  ])('parses %j', (text, rows) => {
    expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
  });

  it('counts lines across quoted newlines, for error reports', () => {
    expect(parseCsv('h\n"a\nb"\nc\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('round-trips what csvField writes', () => {
    const values = ['plain', 'with, comma', 'with "quotes"', 'two\nlines', ''];
    expect(parseCsv(values.map(csvField).join(',') + '\n')[0].fields).toEqual(values);
  });
});

describe('generateNetwork', () => {
  const rows = (seed: number, n = 2000) => [...generateNetwork({ stakeholders: n, challenges: 40, seed })];

  it('is deterministic for a seed and differs across seeds', () => {
    expect(rows(7)).toEqual(rows(7));
    expect(JSON.stringify(rows(7))).not.toEqual(JSON.stringify(rows(8)));
    expect(prng(3)()).toBe(prng(3)());
  });

  it('makes every kind, in European towns, with valid profiles, and challenges posed by generated schools', () => {
    const all = rows(1, 5000);
    const stakeholders = all.filter((r) => r.record === 'stakeholder');
    const challenges = all.filter((r) => r.record === 'challenge');
    expect(stakeholders).toHaveLength(5000);
    expect(challenges).toHaveLength(40);
    const kinds = new Set(stakeholders.map((r) => r.kind));
    expect(kinds.size).toBe(10);
    const share = (k: string) => stakeholders.filter((r) => r.kind === k).length / stakeholders.length;
    expect(share('SCHOOL')).toBeGreaterThan(0.25);
    expect(share('UNIVERSITY')).toBeLessThan(0.08);
    for (const r of stakeholders) {
      const sdgs = String(r.sdgs).split(';').map(Number);
      expect(sdgs.every((s) => s >= 1 && s <= 17)).toBe(true);
      expect(Number(r.latitude)).toBeGreaterThan(27);
      expect(Number(r.latitude)).toBeLessThan(72);
    }
    expect(stakeholders.some((r) => String(r.underservedContexts).length > 0)).toBe(true);
    const schoolIds = new Set(stakeholders.filter((r) => r.kind === 'SCHOOL').map((r) => r.externalId));
    expect(challenges.every((c) => schoolIds.has(String(c.schoolExternalId)))).toBe(true);
    // Big cities get more stakeholders than villages.
    const berlin = stakeholders.filter((r) => r.city === 'Berlin').length;
    expect(berlin).toBeGreaterThan(10);
  });
});
