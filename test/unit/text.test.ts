import expertise from '../../src/db/reference/expertise.json';
import { editDistance, slugify } from '../../src/domain/text';

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
