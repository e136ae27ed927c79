import 'reflect-metadata';
import { GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import { PairFacts, PairSignals, signalsOf } from '../../src/matching/components/pair-facts';
import { COMPONENTS, DEFAULT_WEIGHTS, REGISTRY } from '../../src/matching/components/registry';

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
