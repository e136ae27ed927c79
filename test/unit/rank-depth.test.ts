/**
 * Ranked lists end at MAX_RANK_OFFSET: a page is cut where the bound falls, so no cursor the API
 * hands out points past it, and no request ranks more than the bound plus a page.
 */
import { MAX_RANK_OFFSET, MAX_SUGGESTIONS, pageSizeAt } from '../../src/matching/match.service';

describe('pageSizeAt', () => {
  it.each([
    [0, 10, 10],
    [0, MAX_SUGGESTIONS, MAX_SUGGESTIONS],
    [MAX_RANK_OFFSET - 100, 100, 100],
    [MAX_RANK_OFFSET - 30, 100, 30],
    [MAX_RANK_OFFSET - 1, 10, 1],
    [MAX_RANK_OFFSET, 10, 0],
  ])('at offset %d, a page of %d shows %d', (offset, first, shown) => {
    expect(pageSizeAt(offset, first)).toBe(shown);
    // The last position shown is a cursor the API accepts back.
    expect(offset + shown).toBeLessThanOrEqual(MAX_RANK_OFFSET);
  });
});
