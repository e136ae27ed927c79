import { diversifyByKind } from '../../src/matching/diversify';
import { buildReasons, challengeContext, formatDistance, ReasonFacts, TEMPLATES } from '../../src/matching/reasons';
import { Language, languageOf } from '../../src/domain/language';
import { greedyTeam, TeamCandidate } from '../../src/matching/team';

type Row = { id: string; kind: string };
const rows = (spec: string): Row[] => spec.split(' ').map((k, i) => ({ id: `r${i}`, kind: k }));
const kinds = (list: Row[]) => list.map((r) => r.kind).join(' ');

describe('diversifyByKind', () => {
  it.each([
    ['one wanted kind: unchanged', 'U U U M G', ['U'], 3, 'U U U M G'],
    ['no window: unchanged', 'U U U M G', ['U', 'M'], 0, 'U U U M G'],
    ['already diverse: unchanged', 'U M G U U', ['U', 'M', 'G'], 3, 'U M G U U'],
    ['promotes each missing kind in rank order', 'U U U U M U G', ['U', 'M', 'G'], 3, 'U M G U U U U'],
    ['a missing kind with no candidate stays missing', 'U U U U M', ['U', 'M', 'G'], 3, 'U U M U U'],
    ['never removes the only one of a kind', 'U M G X Y', ['U', 'M', 'G', 'X'], 3, 'U M G X Y'],
    ['short list: unchanged', 'U U', ['U', 'M'], 5, 'U U'],
  ])('%s', (_n, spec, wanted, window, expected) => {
    const input = rows(spec);
    const out = diversifyByKind(input, wanted, window);
    expect(kinds(out)).toBe(expected);
    // A permutation: nothing lost, nothing duplicated.
    expect(out.map((r) => r.id).sort()).toEqual(input.map((r) => r.id).sort());
  });

  it('keeps rank order inside the page and after it', () => {
    const input = rows('U U U U M U G U');
    const out = diversifyByKind(input, ['U', 'M', 'G'], 4);
    const ids = out.map((r) => Number(r.id.slice(1)));
    expect(ids.slice(0, 4)).toEqual([...ids.slice(0, 4)].sort((a, b) => a - b));
    expect(ids.slice(4)).toEqual([...ids.slice(4)].sort((a, b) => a - b));
  });
});

describe('greedyTeam', () => {
  const c = (id: string, kind: string, score: number, credits: [number, number][]): TeamCandidate<string> => ({
    id,
    kind,
    score,
    credits: new Map(credits),
  });

  it('covers the needs with few members, preferring wider coverage', () => {
    const team = greedyTeam<string, TeamCandidate<string>>(
      [
        c('a', 'U', 0.9, [[1, 1]]),
        c('b', 'U', 0.8, [
          [1, 1],
          [2, 1],
        ]),
        c('c', 'G', 0.5, [[3, 1]]),
        c('d', 'M', 0.99, []),
      ],
      [1, 2, 3],
      [],
      5,
    );
    expect(team.members.map((m) => m.id)).toEqual(['b', 'c']);
    expect(team.missingNeeds).toEqual([]);
  });

  it('counts wanted kinds and reports what stays uncovered', () => {
    const team = greedyTeam<string, TeamCandidate<string>>(
      [c('a', 'U', 0.9, [[1, 1]]), c('m', 'M', 0.2, [])],
      [1, 2],
      ['U', 'M', 'G'],
      5,
    );
    expect(team.members.map((m) => m.id)).toEqual(['a', 'm']);
    expect(team.coveredNeeds).toEqual([1]);
    expect(team.missingNeeds).toEqual([2]);
    expect(team.coveredKinds).toEqual(['U', 'M']);
    expect(team.missingKinds).toEqual(['G']);
  });

  it('prefers full credit to partial, adds nobody who adds nothing, and respects the size', () => {
    const upgrade = greedyTeam<string, TeamCandidate<string>>(
      [c('rel', 'U', 0.9, [[1, 0.5]]), c('ex', 'U', 0.1, [[1, 1]])],
      [1],
      [],
      5,
    );
    expect(upgrade.members.map((m) => m.id)).toEqual(['ex']);
    const partial = greedyTeam<string, TeamCandidate<string>>(
      [c('rel', 'U', 0.9, [[1, 0.5]]), c('ex', 'U', 0.1, [[2, 1]])],
      [1, 2],
      [],
      5,
    );
    expect(partial.members.map((m) => m.id)).toEqual(['ex', 'rel']);
    const capped = greedyTeam<string, TeamCandidate<string>>(
      [c('x', 'U', 0.5, [[1, 1]]), c('y', 'U', 0.4, [[2, 1]]), c('z', 'U', 0.3, [[3, 1]])],
      [1, 2, 3],
      [],
      2,
    );
    expect(capped.members.map((m) => m.id)).toEqual(['x', 'y']);
    expect(capped.missingNeeds).toEqual([3]);
  });

  it('breaks ties by score, then id', () => {
    const team = greedyTeam<string, TeamCandidate<string>>(
      [c('b', 'U', 0.5, [[1, 1]]), c('a', 'U', 0.5, [[1, 1]]), c('z', 'U', 0.7, [[1, 1]])],
      [1],
      [],
      1,
    );
    expect(team.members.map((m) => m.id)).toEqual(['z']);
    const tie = greedyTeam<string, TeamCandidate<string>>(
      [c('b', 'U', 0.5, [[1, 1]]), c('a', 'U', 0.5, [[1, 1]])],
      [1],
      [],
      1,
    );
    expect(tie.members.map((m) => m.id)).toEqual(['a']);
  });

  it('with nothing to cover, takes the best scores', () => {
    const team = greedyTeam<string, TeamCandidate<string>>(
      [c('a', 'U', 0.2, []), c('b', 'U', 0.9, []), c('c', 'U', 0.5, [])],
      [],
      [],
      2,
    );
    expect(team.members.map((m) => m.id)).toEqual(['b', 'c']);
  });
});

describe('reasons', () => {
  const facts: ReasonFacts = {
    sharedSdgs: [{ code: 'SDG 13', title: 'Climate action' }],
    exact: ['Hydrology'],
    related: [],
    similar: [],
    distanceKm: 8.2,
    radiusKm: 50,
    candidateContexts: [],
    levelsMatch: null,
    sharedLanguages: [],
  };

  it('reads like the example', () => {
    expect(buildReasons(facts).join('; ')).toBe('Shares SDG 13 Climate action; Knows hydrology; 8 km away');
  });

  it.each([
    [
      {
        sharedSdgs: [
          { code: 'SDG 13', title: 'Climate action' },
          { code: 'SDG 6', title: 'Clean water and sanitation' },
        ],
      },
      'Shares SDG 13 Climate action and SDG 6 Clean water and sanitation',
    ],
    [{ related: [{ label: 'Water', need: 'Hydrology' }] }, 'Related know-how: water (for hydrology)'],
    [
      { similar: [{ label: 'Watermanagement', need: 'Water management' }] },
      'Similar expertise: watermanagement (≈ water management)',
    ],
    [{ distanceKm: 80 }, '80 km away, beyond the 50 km radius'],
    [{ distanceKm: null }, 'Location unknown'],
    [{ distanceKm: 0.3 }, 'less than 1 km away'],
    [{ distanceKm: 50.06 }, '50.1 km away, beyond the 50 km radius'],
    [{ distanceKm: 50.0 }, '50 km away'],
    [{ distanceKm: 0, coarseDistance: true }, 'less than 1 km away'],
    [{ distanceKm: 12.4, coarseDistance: true }, 'about 12 km away'],
    [{ levelsMatch: true }, "Works with the school's education levels"],
    [{ sharedLanguages: ['en', 'nl'] }, 'Speaks English and Dutch'],
    [
      { candidateContexts: ['SOCIO_ECONOMIC', 'ETHNIC_MINORITY'] },
      'Rooted in a community facing socio-economic disadvantage and exclusion of ethnic minorities',
    ],
  ])('%j → %s', (override, sentence) => {
    expect(buildReasons({ ...facts, ...override })).toContain(sentence);
  });

  it('rounds coarse distances, and says the same under 1 km for everyone', () => {
    expect(formatDistance(12.4, 50, true)).toBe('about 12 km');
    expect(formatDistance(0.2, 50, true)).toBe('less than 1 km');
    expect(formatDistance(0.2, 50, false)).toBe('less than 1 km');
  });

  it('says facts about the school once, on the challenge side, not per partner', () => {
    expect(buildReasons(facts).some((r) => /school serves/i.test(r))).toBe(false);
    expect(challengeContext(['GEOGRAPHIC_ISOLATION'])).toEqual([
      'The school serves a community facing geographic isolation',
    ]);
    expect(challengeContext([])).toEqual([]);
  });

  it('has every reason template in every language, each its own words', () => {
    for (const [name, byLang] of Object.entries(TEMPLATES)) {
      expect({ name, langs: Object.keys(byLang).sort() }).toEqual({ name, langs: Object.values(Language).sort() });
    }
    const all = {
      ...facts,
      related: [{ label: 'Water', need: 'Hydrology' }],
      similar: [{ label: 'Sensoren', need: 'Sensors' }],
      levelsMatch: true,
      sharedLanguages: ['nl'],
      candidateContexts: ['SOCIO_ECONOMIC'],
    };
    const en = buildReasons(all, Language.EN);
    const nl = buildReasons(all, Language.NL);
    const fr = buildReasons(all, Language.FR);
    expect(nl).toHaveLength(en.length);
    expect(fr).toHaveLength(en.length);
    en.forEach((sentence, i) => {
      expect(nl[i]).not.toBe(sentence);
      expect(fr[i]).not.toBe(sentence);
    });
    expect(nl).toContain('Kent hydrology');
    expect(fr).toContain('à 8 km');
    expect(buildReasons({ ...facts, distanceKm: 50.06 }, Language.NL)).toContain(
      '50,1 km verderop, buiten de straal van 50 km',
    );
  });
});

describe('the language of a request', () => {
  it.each([
    [undefined, 'EN'],
    ['', 'EN'],
    ['nl-BE,nl;q=0.9,en;q=0.8', 'NL'],
    ['de-DE,fr;q=0.7,en;q=0.5', 'FR'],
    ['en;q=0.5, nl;q=0.8', 'NL'],
    ['fr;q=0', 'EN'],
    ['*', 'EN'],
    ['x'.repeat(10_000), 'EN'],
  ])('%j → %s', (header, lang) => {
    expect(languageOf(header)).toBe(lang);
  });
});
