import expertise from '../../src/db/reference/expertise.json';
import fc from 'fast-check';
import { editDistance, editDistanceWithin, slugify } from '../../src/domain/text';

describe('slugify folds case, accents and punctuation', () => {
  it.each([
    ['Water management', 'water-management'],
    ['water-management', 'water-management'],
    ['  WÁTER   Management! ', 'water-management'],
    ['Inquiry-based learning', 'inquiry-based-learning'],
    ['Fryslân', 'fryslan'],
    ['3D printing', '3d-printing'],
    ['!!!', ''],
  ])('%s → %s', (label, slug) => {
    expect(slugify(label)).toBe(slug);
  });

  it('the seeded taxonomy stores the slug of each label', () => {
    for (const group of expertise) {
      expect(group.slug).toBe(slugify(group.label));
      for (const child of group.children) expect(child.slug).toBe(slugify(child.label));
    }
  });
});

describe('editDistance', () => {
  it.each([
    ['leuven', 'leuven', 0],
    ['leuven', 'leuvn', 1],
    ['enschede', 'enschde', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s ~ %s = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('editDistanceWithin', () => {
  it('equals the full distance when within the bound, and bound + 1 beyond it (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', ' '), maxLength: 14 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 8 }), (a, b, max) => {
        expect(editDistanceWithin(a, b, max)).toBe(Math.min(editDistance(a, b), max + 1));
      }),
      { numRuns: 2000 },
    );
  });
});
