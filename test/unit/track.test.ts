import { EMPTY_RECORD, NEUTRAL, track, TrackRecord } from '../../src/matching/track';

const rec = (r: Partial<TrackRecord>): TrackRecord => ({ ...EMPTY_RECORD, ...r });

describe('track record', () => {
  it('starts every newcomer at the middle', () => {
    expect(track(EMPTY_RECORD)).toBe(NEUTRAL);
  });

  it.each<[string, Partial<TrackRecord>, '>' | '<']>([
    ['a prompt acceptance raises it', { promptAccepts: 1, promptAnswers: 1 }, '>'],
    ['a late acceptance raises it', { lateAccepts: 1 }, '>'],
    ['a completed project raises it', { completed: 1 }, '>'],
    ['a decline lowers it a little', { declines: 1, promptAnswers: 1 }, '<'],
    ['silence lowers it', { unanswered: 1 }, '<'],
  ])('%s', (_what, r, direction) => {
    if (direction === '>') expect(track(rec(r))).toBeGreaterThan(NEUTRAL);
    else expect(track(rec(r))).toBeLessThan(NEUTRAL);
  });

  it('ranks the outcomes: prompt yes > late yes > no > silence', () => {
    const one = [rec({ promptAccepts: 1 }), rec({ lateAccepts: 1 }), rec({ declines: 1 }), rec({ unanswered: 1 })].map(
      (r) => track(r),
    );
    expect([...one].sort((a, b) => b - a)).toEqual(one);
  });

  it('moves further with more evidence, and stays in [0, 1]', () => {
    const scores = [1, 3, 10, 100].map((n) =>
      track(rec({ promptAccepts: n, promptAnswers: n, completed: n, ratings: n, ratingSum: 5 * n })),
    );
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
    expect(scores[scores.length - 1]).toBeLessThanOrEqual(1);
    const silent = [1, 3, 10, 100].map((n) => track(rec({ unanswered: n })));
    for (let i = 1; i < silent.length; i++) expect(silent[i]).toBeLessThan(silent[i - 1]);
    expect(silent[silent.length - 1]).toBeGreaterThanOrEqual(0);
  });

  it('values a well-rated completion above a poorly rated one', () => {
    expect(track(rec({ completed: 1, ratings: 1, ratingSum: 5 }))).toBeGreaterThan(
      track(rec({ completed: 1, ratings: 1, ratingSum: 1 })),
    );
    expect(track(rec({ completed: 1, ratings: 1, ratingSum: 1 }))).toBeGreaterThan(NEUTRAL);
  });
});
