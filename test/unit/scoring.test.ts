import { combine } from '../../src/matching/combine';
import { COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { expertiseFit, linkCredit, bestCredits, EXACT_CREDIT, RELATED_CREDIT } from '../../src/matching/expertise-fit';
import { inclusion } from '../../src/matching/inclusion';
import { kindSignal, overlapSignal, preferenceFit, NEUTRAL_FIT } from '../../src/matching/preference-fit';
import { proximity } from '../../src/matching/proximity';
import { sdgOverlap } from '../../src/matching/sdg-overlap';
import { scorePair } from '../../src/matching/score-match';
import { PairFacts } from '../../src/matching/components/pair-facts';

const inUnit = (x: number) => x >= 0 && x <= 1 && Number.isFinite(x);

describe('sdgOverlap', () => {
  it.each([
    [0, 2, 3, 0],
    [1, 2, 1, 0.75 * 0.5 + 0.25],
    [2, 2, 2, 1],
    [2, 2, 4, 0.75 + 0.25 * 0.5],
    [1, 1, 17, 0.75 + 0.25 / 17],
    [1, 0, 1, 0],
  ])('shared %d of %d (candidate has %d) = %d', (shared, c, s, expected) => {
    expect(sdgOverlap(shared, c, s)).toBeCloseTo(expected, 12);
  });

  it('is in [0, 1] and more shared SDGs never score worse', () => {
    for (let c = 1; c <= 17; c++) {
      for (let s = 1; s <= 17; s++) {
        let previous = -1;
        for (let shared = 0; shared <= Math.min(c, s); shared++) {
          const score = sdgOverlap(shared, c, s);
          expect(inUnit(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(previous);
          previous = score;
        }
      }
    }
  });
});

describe('expertiseFit', () => {
  it.each([
    ['no needs', 0, 0, 0],
    ['nothing matched', 0, 3, 0],
    ['one of two exact', 1, 2, 0.5],
    ['all exact', 3, 3, 1],
    ['related for one need', RELATED_CREDIT, 1, 0.5],
    ['never above 1', 5, 2, 1],
  ])('%s', (_n, sum, needed, expected) => {
    expect(expertiseFit(sum, needed)).toBeCloseTo(expected, 12);
  });

  it('credits exact above similar above nothing, and related at a half', () => {
    expect(linkCredit('exact')).toBe(EXACT_CREDIT);
    expect(linkCredit('related')).toBe(RELATED_CREDIT);
    expect(linkCredit('similar', 0.74)).toBeCloseTo(0.666, 3);
    expect(linkCredit('similar', 0.4)).toBe(0);
  });

  it('keeps the best credit per need', () => {
    const best = bestCredits([
      { needId: 1, tagId: 1, credit: 1, how: 'exact' },
      { needId: 1, tagId: 9, credit: 0.5, how: 'related' },
      { needId: 2, tagId: 7, credit: 0.6, how: 'similar' },
    ]);
    expect([...best.entries()]).toEqual([
      [1, 1],
      [2, 0.6],
    ]);
  });

  it('more credit never scores worse', () => {
    for (let needed = 1; needed <= 5; needed++) {
      let previous = -1;
      for (let sum = 0; sum <= needed; sum += 0.25) {
        const score = expertiseFit(sum, needed);
        expect(inUnit(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(previous);
        previous = score;
      }
    }
  });
});

describe('proximity', () => {
  it.each([
    [0, 50, 1],
    [25, 50, 0.75],
    [50, 50, 0.5],
    [100, 50, 0.5 * Math.exp(-1)],
    [150, 50, 0.5 * Math.exp(-2)],
    [null, 50, 0],
    [10, 0, 0],
  ])('%p km with radius %p = %p', (d, r, expected) => {
    expect(proximity(d, r)).toBeCloseTo(expected, 12);
  });

  it('fades smoothly past the radius: no step at it, and the same slope on both sides', () => {
    for (const r of [1, 50, 300]) {
      const h = r * 1e-6;
      expect(Math.abs(proximity(r + h, r) - proximity(r - h, r))).toBeLessThan(1e-6);
      const inside = (proximity(r, r) - proximity(r - h, r)) / h;
      const outside = (proximity(r + h, r) - proximity(r, r)) / h;
      expect(Math.abs(inside - outside) * r).toBeLessThan(1e-3);
      expect(proximity(r * 1.001, r)).toBeGreaterThan(0.49);
    }
  });

  it('nearer never scores worse, and stays in [0, 1]', () => {
    for (const radius of [1, 10, 50, 300]) {
      let previous = Infinity;
      for (let d = 0; d <= radius * 2; d += radius / 20) {
        const score = proximity(d, radius);
        expect(inUnit(score)).toBe(true);
        expect(score).toBeLessThanOrEqual(previous);
        previous = score;
      }
    }
  });
});

describe('preferenceFit', () => {
  it.each([
    ['no signal is neutral', [null, null, null], NEUTRAL_FIT],
    ['all stated and met', [true, true, true], 1],
    ['kind met, languages not', [true, null, false], 0.5],
    ['only levels, unmet', [null, false, null], 0],
  ])('%s', (_n, signals, expected) => {
    expect(preferenceFit(signals)).toBeCloseTo(expected, 12);
  });

  it.each([
    [[], ['nl'], null],
    [['nl'], [], null],
    [['nl', 'en'], ['en'], true],
    [['fr'], ['nl'], false],
  ])('overlapSignal(%j, %j) = %p', (a, b, expected) => {
    expect(overlapSignal(a, b)).toBe(expected);
  });

  it('a kind signal is null when any kind is wanted', () => {
    expect(kindSignal([], 'MEDIA')).toBeNull();
    expect(kindSignal(['MEDIA'], 'MEDIA')).toBe(true);
    expect(kindSignal(['UNIVERSITY'], 'MEDIA')).toBe(false);
  });
});

describe('inclusion', () => {
  it.each([
    [0, 0, 0],
    [1, 0, 0.5],
    [0, 1, 0.3],
    [2, 0, 0.6],
    [1, 1, 0.8],
    [3, 3, 1],
  ])('school %d, candidate %d = %p', (s, c, expected) => {
    expect(inclusion(s, c)).toBeCloseTo(expected, 12);
  });

  it('is bounded and never falls as contexts are added', () => {
    for (let s = 0; s <= 3; s++) {
      for (let c = 0; c <= 3; c++) {
        expect(inUnit(inclusion(s, c))).toBe(true);
        if (s > 0) expect(inclusion(s, c)).toBeGreaterThanOrEqual(inclusion(s - 1, c));
        if (c > 0) expect(inclusion(s, c)).toBeGreaterThanOrEqual(inclusion(s, c - 1));
      }
    }
  });
});

describe('combine', () => {
  const ones = { sdg: 1, expertise: 1, proximity: 1, kind: 1, inclusion: 1, track: 1 };
  const zeros = { sdg: 0, expertise: 0, proximity: 0, kind: 0, inclusion: 0, track: 0 };

  it('default weights sum to 1 and put inclusion last', () => {
    expect(COMPONENTS.reduce((s, k) => s + DEFAULT_WEIGHTS[k], 0)).toBeCloseTo(1, 12);
    expect(Math.min(...COMPONENTS.map((k) => DEFAULT_WEIGHTS[k]))).toBe(DEFAULT_WEIGHTS.inclusion);
  });

  it.each([
    ['all ones', ones, DEFAULT_WEIGHTS, 1],
    ['all zeros', zeros, DEFAULT_WEIGHTS, 0],
    [
      'only expertise counts',
      { ...zeros, expertise: 0.4 },
      { ...DEFAULT_WEIGHTS, sdg: 0, proximity: 0, kind: 0, inclusion: 0, track: 0 },
      0.4,
    ],
    [
      'weights scale freely',
      { ...zeros, sdg: 1 },
      { sdg: 2, expertise: 2, proximity: 0, kind: 0, inclusion: 0, track: 0 },
      0.5,
    ],
  ])('%s', (_n, c, w, expected) => {
    expect(combine(c, w)).toBeCloseTo(expected, 12);
  });

  it('inclusion alone cannot outrank a clearly better relevance', () => {
    const relevant = combine({ ...zeros, sdg: 1, expertise: 0.5, kind: 0.5 });
    const included = combine({ ...zeros, sdg: 1, expertise: 0.3, kind: 0.5, inclusion: 1 });
    expect(relevant).toBeGreaterThan(included);
  });
});

describe('scorePair', () => {
  const base: PairFacts = {
    challengeSdgs: 2,
    candidateSdgs: 3,
    sharedSdgs: 1,
    neededCount: 2,
    creditSum: 1,
    distanceKm: 10,
    radiusKm: 50,
    wantedKinds: ['UNIVERSITY'],
    kind: 'UNIVERSITY',
    schoolLevels: [2, 3],
    candidateLevels: [3],
    schoolLanguages: ['nl'],
    candidateLanguages: ['en'],
    schoolContexts: 1,
    candidateContexts: 0,
    candidateTrack: 0.5,
  };

  it('every score and component is in [0, 1] over a grid of facts', () => {
    for (const sharedSdgs of [0, 1, 2]) {
      for (const creditSum of [0, 0.5, 1, 2]) {
        for (const distanceKm of [null, 0, 30, 80]) {
          const { components, score } = scorePair({ ...base, sharedSdgs, creditSum, distanceKm });
          expect(inUnit(score)).toBe(true);
          for (const k of COMPONENTS) expect(inUnit(components[k])).toBe(true);
        }
      }
    }
  });

  it('nearer never scores worse; more shared SDGs and more expertise never score worse', () => {
    expect(scorePair({ ...base, distanceKm: 5 }).score).toBeGreaterThan(scorePair({ ...base, distanceKm: 40 }).score);
    expect(scorePair({ ...base, sharedSdgs: 2 }).score).toBeGreaterThan(scorePair(base).score);
    expect(scorePair({ ...base, creditSum: 2 }).score).toBeGreaterThan(scorePair(base).score);
  });
});
