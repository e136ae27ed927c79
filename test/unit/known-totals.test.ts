/**
 * A ranking's count is kept with its challenge (known-totals.ts) and spares the next ranking of
 * the same version counting again. It must never answer for anything else: another version of the
 * index (a write through the lock or straight into the index), another day, another challenge,
 * another set of weights, filter or floor. And it stays bounded whatever a caller varies.
 */
import { PupilContact, StakeholderKind } from '../../src/domain/enums';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { ChallengeFacts, StakeholderFacts } from '../../src/matching/index/index-facts';
import { keepTotal, KEPT_PER_CHALLENGE, knownTotal, totalKey } from '../../src/matching/index/known-totals';
import { MatchIndex } from '../../src/matching/index/match-index';
import { IndexFilter, rankPartners } from '../../src/matching/index/rank';
import { rankPartnersOf } from '../../src/matching/index/rank-on-index';
import { sdgMaskOf } from '../../src/matching/index/column-codes';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const partner = (n: number, kind = 'UNIVERSITY'): StakeholderFacts => ({
  id: uuid(n),
  kind,
  latitude: 50.85 + n / 1000,
  longitude: 4.35,
  sdgMask: sdgMaskOf([4, 13]),
  expertiseIds: [],
  languages: [],
  levelMask: 0,
  capacity: 2,
  contexts: 0,
  accepted: 0,
  regionCode: 'BE-BRU',
  countryCode: 'BE',
  erased: false,
  serviceArea: null,
});

function network(): { index: MatchIndex; challenge: ChallengeFacts } {
  const index = new MatchIndex();
  index.setStakeholder(partner(0, 'SCHOOL'));
  for (let n = 1; n <= 30; n++) index.setStakeholder(partner(n, n % 3 ? 'UNIVERSITY' : 'INDUSTRY'));
  const challenge: ChallengeFacts = {
    ...{ id: uuid(900), schoolId: uuid(0), hubId: null, sdgIds: [4, 13], sdgMask: sdgMaskOf([4, 13]) },
    ...{ neededIds: [], wantedKinds: [] as StakeholderKind[], wantedMask: 0, latitude: 50.85, longitude: 4.35 },
    ...{ radiusKm: 50, regionCode: 'BE-BRU', countryCode: 'BE', open: true, links: [], linksByTag: [] },
    ...{ active: new Set<string>(), dismissed: new Set<string>(), pupilContact: PupilContact.NONE },
    plannedEndOn: null,
    checkPolicy: { levels: [], types: null, maxAgeMonths: 36, country: 'BE' },
  };
  index.challenges.set(challenge.id, challenge);
  return { index, challenge };
}

const total = async (index: MatchIndex, filter: IndexFilter = {}) =>
  (await rankPartnersOf(index, uuid(900), DEFAULT_WEIGHTS, 5, filter, 0.3)).total;

describe('counts kept with their challenge', () => {
  afterEach(() => jest.useRealTimers());

  it('answer the next ranking of the same version, and none after a write of any kind', async () => {
    const { index, challenge } = network();
    expect(await total(index)).toBe(30);
    expect(challenge.totals?.byKey.size).toBe(1);
    // A kept count is what the next ranking reports: plant a wrong one to see it used.
    const key = totalKey(DEFAULT_WEIGHTS, {}, 0.3);
    keepTotal(challenge, index.lock.stamp, key, 29, new Date());
    expect(await total(index)).toBe(29);
    // A write through the lock: counted again.
    await index.lock.write(() => index.setStakeholder(partner(31)));
    expect(await total(index)).toBe(31);
    // A write straight into the index (as a load or a tool makes): counted again too.
    keepTotal(challenge, index.lock.stamp, key, 29, new Date());
    index.setStakeholder({ ...partner(5), capacity: 0 });
    expect(await total(index)).toBe(30);
    index.removeStakeholder(uuid(6));
    expect(await total(index)).toBe(29);
  });

  it('hold for one day: the day moves which safeguarding checks count', async () => {
    jest.useFakeTimers({ now: new Date('2027-03-01T23:59:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const { index, challenge } = network();
    const key = totalKey(DEFAULT_WEIGHTS, {}, 0.3);
    keepTotal(challenge, index.lock.stamp, key, 7, new Date());
    expect(knownTotal(challenge, index.lock.stamp, key, new Date())).toBe(7);
    jest.setSystemTime(new Date('2027-03-02T00:01:00Z'));
    expect(knownTotal(challenge, index.lock.stamp, key, new Date())).toBeUndefined();
    expect(await total(index)).toBe(30);
  });

  it('are kept for the day a ranking prepared its challenge on, even when it ends the next day', async () => {
    jest.useFakeTimers({ now: new Date('2027-03-01T23:59:59.900Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const { index, challenge } = network();
    // A ranking worker that takes past midnight: the clock moves while it ranks.
    index.ranker = {
      threads: 1,
      rank: async (task) => {
        jest.setSystemTime(new Date('2027-03-02T00:00:00.100Z'));
        return rankPartners(task.columns, task.challenge, task.weights, task.keep, task.filter, task.floor);
      },
      matchRows: () => Promise.reject(new Error('not asked')),
      stop: async () => undefined,
    };
    expect(await total(index)).toBe(30);
    const key = totalKey(DEFAULT_WEIGHTS, {}, 0.3);
    // Counted by the day before's rule: not a count of the new day's.
    expect(knownTotal(challenge, index.lock.stamp, key, new Date())).toBeUndefined();
    expect(knownTotal(challenge, index.lock.stamp, key, new Date('2027-03-01T23:59:59.900Z'))).toBe(30);
  });

  it('are kept apart by every weight, filter field and floor', () => {
    const base: IndexFilter = {
      kindMask: 2,
      maxDistanceKm: 40,
      near: { latitude: 50, longitude: 4, radiusKm: 10 },
      regions: new Set([3, 1]),
      sdgMask: 8,
      tagIds: new Set([7, 9]),
      includeUnchecked: false,
    };
    // Every field of a filter, each changed (a new field without a row here fails to compile).
    const changed: Record<keyof Required<IndexFilter>, IndexFilter[]> = {
      kindMask: [{ kindMask: 4 }, { kindMask: undefined }],
      maxDistanceKm: [{ maxDistanceKm: 41 }, { maxDistanceKm: undefined }],
      near: [
        { near: { latitude: 50.1, longitude: 4, radiusKm: 10 } },
        { near: { latitude: 50, longitude: 4.1, radiusKm: 10 } },
        { near: { latitude: 50, longitude: 4, radiusKm: 11 } },
        { near: undefined },
      ],
      regions: [{ regions: new Set([3]) }, { regions: new Set([3, 1, 2]) }, { regions: undefined }],
      sdgMask: [{ sdgMask: 9 }, { sdgMask: undefined }],
      tagIds: [{ tagIds: new Set([7]) }, { tagIds: new Set([79]) }, { tagIds: undefined }],
      includeUnchecked: [{ includeUnchecked: true }],
    };
    const keys = [totalKey(DEFAULT_WEIGHTS, base, 0.3)];
    for (const variants of Object.values(changed)) {
      for (const v of variants) keys.push(totalKey(DEFAULT_WEIGHTS, { ...base, ...v }, 0.3));
    }
    for (const name of Object.keys(DEFAULT_WEIGHTS) as (keyof typeof DEFAULT_WEIGHTS)[]) {
      keys.push(totalKey({ ...DEFAULT_WEIGHTS, [name]: DEFAULT_WEIGHTS[name] + 0.5 }, base, 0.3));
    }
    keys.push(totalKey(DEFAULT_WEIGHTS, base, 0.31), totalKey(DEFAULT_WEIGHTS, base, -Infinity));
    expect(new Set(keys).size).toBe(keys.length);
    // The order a set was given in is not a different filter.
    expect(totalKey(DEFAULT_WEIGHTS, { ...base, regions: new Set([1, 3]) }, 0.3)).toBe(keys[0]);
  });

  it('stay bounded per challenge whatever a caller varies, and each challenge keeps its own', async () => {
    const { index, challenge } = network();
    for (let km = 1; km <= 3 * KEPT_PER_CHALLENGE; km++) await total(index, { maxDistanceKm: km });
    expect(challenge.totals?.byKey.size).toBe(KEPT_PER_CHALLENGE);
    // The latest are kept, the first gone.
    expect(
      knownTotal(challenge, index.lock.stamp, totalKey(DEFAULT_WEIGHTS, { maxDistanceKm: 1 }, 0.3), new Date()),
    ).toBe(undefined);
    const other: ChallengeFacts = { ...challenge, id: uuid(901), totals: undefined };
    index.challenges.set(other.id, other);
    expect(knownTotal(other, index.lock.stamp, totalKey(DEFAULT_WEIGHTS, { maxDistanceKm: 24 }, 0.3), new Date())).toBe(
      undefined,
    );
  });
});
