import 'reflect-metadata';
import fc from 'fast-check';
import { GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import { PairFacts, PairSignals, signalsOf } from '../../src/matching/components/pair-facts';
import { COMPONENTS, DEFAULT_WEIGHTS, REGISTRY } from '../../src/matching/components/registry';
import { trackOf } from '../../src/matching/track';

const FACTS: PairFacts[] = [
  {
    challengeSdgs: 3,
    candidateSdgs: 5,
    sharedSdgs: 2,
    neededCount: 2,
    creditSum: 1.5,
    distanceKm: 12,
    radiusKm: 50,
    wantedKinds: ['UNIVERSITY'],
    kind: 'UNIVERSITY',
    schoolLevels: [2],
    candidateLevels: [2, 3],
    schoolLanguages: ['nl'],
    candidateLanguages: ['en'],
    schoolContexts: 2,
    candidateContexts: 0,
    candidateTrack: 0.8,
  },
  {
    challengeSdgs: 1,
    candidateSdgs: 0,
    sharedSdgs: 0,
    neededCount: 0,
    creditSum: 0,
    distanceKm: null,
    radiusKm: 0,
    wantedKinds: [],
    kind: 'FAMILY',
    schoolLevels: [],
    candidateLevels: [],
    schoolLanguages: [],
    candidateLanguages: [],
    schoolContexts: 0,
    candidateContexts: 0,
    candidateTrack: 0,
  },
  {
    challengeSdgs: 17,
    candidateSdgs: 17,
    sharedSdgs: 17,
    neededCount: 5,
    creditSum: 5,
    distanceKm: 900,
    radiusKm: 5,
    wantedKinds: ['INDUSTRY'],
    kind: 'SCHOOL',
    schoolLevels: [1, 2, 3],
    candidateLevels: [1],
    schoolLanguages: ['fr', 'nl'],
    candidateLanguages: ['fr'],
    schoolContexts: 5,
    candidateContexts: 5,
    candidateTrack: 1,
  },
];

describe('the component registry', () => {
  it('has unique names and default weights that sum to 1', () => {
    expect(new Set(COMPONENTS).size).toBe(REGISTRY.length);
    expect(COMPONENTS.reduce((sum, k) => sum + DEFAULT_WEIGHTS[k], 0)).toBeCloseTo(1, 12);
  });

  it.each(REGISTRY.map((c) => [c.name, c] as const))('%s maps every pair into [0, 1]', (_name, component) => {
    for (const facts of FACTS) {
      const value = component.score(signalsOf(facts));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(component.absentValue).toBeGreaterThanOrEqual(0);
    expect(component.absentValue).toBeLessThanOrEqual(1);
  });
});

describe('the bound ranking prunes with', () => {
  // rank.ts scores a pair at the nearest distance its latitude allows before computing the real
  // one, and skips it when even that cannot make the page: valid only if no component rises with
  // distance. Walked over every registered component, every pair of facts and a ladder of distances.
  it.each(REGISTRY.map((c) => [c.name, c] as const))('%s never rises with distance', (_name, component) => {
    const ladder = [null, 0, 0.5, 1, 5, 24.9, 25, 50, 75.1, 200, 1000, 20_000];
    for (const facts of FACTS) {
      for (let i = 1; i < ladder.length; i++) {
        const near = component.score(signalsOf({ ...facts, distanceKm: ladder[i] }));
        for (let j = i + 1; j < ladder.length; j++) {
          expect(component.score(signalsOf({ ...facts, distanceKm: ladder[j] }))).toBeLessThanOrEqual(near);
        }
      }
    }
  });
});

describe('the bound ranking skips blocks with', () => {
  // block-bound.ts scores a whole block of rows at signals none of its rows can beat (more shared
  // SDGs, fewer stated, more credit, nearer, every preference met, more contexts, a better track)
  // and skips the block when even that cannot count: valid only if no component falls as any one
  // signal moves that way, whatever the others. Walked over every registered component.
  const signals = fc
    .record({
      challengeSdgs: fc.integer({ min: 0, max: 17 }),
      candidateSdgs: fc.integer({ min: 0, max: 17 }),
      sharedSdgs: fc.integer({ min: 0, max: 17 }),
      neededCount: fc.integer({ min: 0, max: 8 }),
      creditSum: fc.double({ min: 0, max: 8, noNaN: true }),
      distanceKm: fc.option(fc.double({ min: 0, max: 20_000, noNaN: true }), { nil: null }),
      radiusKm: fc.constantFrom(0, 5, 25, 50, 80, 500),
      preferencesStated: fc.integer({ min: 0, max: 3 }),
      preferencesMet: fc.integer({ min: 0, max: 3 }),
      schoolContexts: fc.integer({ min: 0, max: 5 }),
      candidateContexts: fc.integer({ min: 0, max: 5 }),
      candidateTrack: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((f): PairSignals => ({ ...f, preferencesMet: Math.min(f.preferencesMet, f.preferencesStated) }));
  const step = fc.double({ min: 0, max: 1, noNaN: true });
  const moves: [string, (f: PairSignals, t: number) => PairSignals][] = [
    ['more shared SDGs', (f, t) => ({ ...f, sharedSdgs: f.sharedSdgs + Math.round(t * 5) })],
    ['fewer candidate SDGs', (f, t) => ({ ...f, candidateSdgs: Math.round(f.candidateSdgs * t) })],
    ['more credit', (f, t) => ({ ...f, creditSum: f.creditSum + t * 3 })],
    ['nearer', (f, t) => ({ ...f, distanceKm: f.distanceKm === null ? null : f.distanceKm * t })],
    ['every preference met', (f) => ({ ...f, preferencesStated: 1, preferencesMet: 1 })],
    ['more candidate contexts', (f, t) => ({ ...f, candidateContexts: f.candidateContexts + Math.round(t * 3) })],
    ['a better track', (f, t) => ({ ...f, candidateTrack: f.candidateTrack + t * (1 - f.candidateTrack) })],
  ];
  const cases = REGISTRY.flatMap((c) => moves.map(([move, to]) => [c.name, move, c, to] as const));
  it.each(cases)('%s never falls with %s', (_name, _move, component, to) => {
    fc.assert(
      fc.property(signals, step, (f, t) => {
        expect(component.score(to(f, t))).toBeGreaterThanOrEqual(component.score(f));
      }),
      { numRuns: 300 },
    );
  });

  it('a track is linear in the prior: the line between its values at 0 and 1 bounds it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, prior) => {
        const observations = n % 500;
        const tenths = Math.floor((n * 7) % (10 * observations + 1));
        const line = (1 - prior) * trackOf(tenths, observations, 0) + prior * trackOf(tenths, observations, 1);
        expect(trackOf(tenths, observations, prior)).toBeLessThanOrEqual(line + 1e-12);
      }),
    );
  });
});

describe('adding a component', () => {
  it('is one registry line: the schema’s weights input and breakdown, the defaults and the score follow', async () => {
    // A fresh module graph (and a fresh type-graphql metadata store) with the registry mocked to
    // hold one more component, as a developer adding "full coverage" would write it.
    delete (globalThis as Record<string, unknown>).TypeGraphQLMetadataStorage;
    let built: typeof import('../../src/graphql/build-schema') | undefined;
    let combine: typeof import('../../src/matching/combine') | undefined;
    let scoring: typeof import('../../src/matching/score-match') | undefined;
    jest.isolateModules(() => {
      const actual = jest.requireActual<typeof import('../../src/matching/components/registry')>(
        '../../src/matching/components/registry',
      );
      const { defineComponent } = jest.requireActual<typeof import('../../src/matching/components/component')>(
        '../../src/matching/components/component',
      );
      const fullCoverage = defineComponent({
        name: 'fullCoverage',
        defaultWeight: 0,
        description: 'Brings every needed expertise',
        absentValue: 0.5,
        score: (f: PairSignals) => (f.neededCount > 0 && f.creditSum >= f.neededCount ? 1 : 0),
      });
      const registry = [...actual.REGISTRY, fullCoverage];
      jest.doMock('../../src/matching/components/registry', () => ({
        REGISTRY: registry,
        COMPONENTS: registry.map((c) => c.name),
        DEFAULT_WEIGHTS: Object.fromEntries(registry.map((c) => [c.name, c.defaultWeight])),
      }));
      // A fresh copy of each module is the point here: import() would share the cached ones.
      /* eslint-disable @typescript-eslint/no-require-imports */
      built = require('../../src/graphql/build-schema') as typeof built;
      combine = require('../../src/matching/combine') as typeof combine;
      scoring = require('../../src/matching/score-match') as typeof scoring;
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    const schema = await built!.buildSchema();
    const weights = schema.getType('MatchWeightsInput') as GraphQLInputObjectType;
    const breakdown = schema.getType('ScoreBreakdown') as GraphQLObjectType;
    expect(weights.getFields().fullCoverage).toMatchObject({
      description: 'Brings every needed expertise. Default 0.00',
    });
    expect(String(weights.getFields().fullCoverage.type)).toBe('Float');
    expect(breakdown.getFields().fullCoverage).toMatchObject({
      description: 'Brings every needed expertise',
    });
    expect(String(breakdown.getFields().fullCoverage.type)).toBe('Float!');
    // The existing components are still there, and nothing else was added.
    expect(Object.keys(weights.getFields()).sort()).toEqual([...COMPONENTS, 'fullCoverage'].sort());
    // The score counts it once it has a weight.
    const { components } = scoring!.scorePair(FACTS[2]);
    expect((components as Record<string, number>).fullCoverage).toBe(1);
    const weighted = { ...DEFAULT_WEIGHTS, sdg: 0, expertise: 0, proximity: 0, kind: 0, inclusion: 0, track: 0 };
    expect(combine!.combine(components, { ...weighted, fullCoverage: 1 } as never)).toBe(1);
    expect(combine!.combine(scoring!.scorePair(FACTS[0]).components, { ...weighted, fullCoverage: 1 } as never)).toBe(
      0,
    );
  });
});
