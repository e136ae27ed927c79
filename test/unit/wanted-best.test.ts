/**
 * A suggestion page asks the ranking for the best of the kinds it shows only (match.service.ts's
 * `wantedKinds`: those the challenge wants that the filter keeps, or the filter's when the challenge
 * wants any kind); a team asks for every kind's. A kind whose best sits far below the page must
 * still come back when it is wanted — it is what the page promotes.
 */
import { PupilContact, StakeholderKind } from '../../src/domain/enums';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { kindNo, sdgMaskOf } from '../../src/matching/index/column-codes';
import { ChallengeFacts, StakeholderFacts } from '../../src/matching/index/index-facts';
import { MatchIndex } from '../../src/matching/index/match-index';
import { kindMaskOf } from '../../src/matching/index/rank';
import { rankPartnersOf } from '../../src/matching/index/rank-on-index';
import { wantedKinds } from '../../src/matching/match.service';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const { UNIVERSITY: U, INDUSTRY: I, CIVIL_SOCIETY: C } = StakeholderKind;
const KINDS = [U, I, C];

/** Thirty partners of each kind; the industries and civil societies far from the school, so far below the page. */
function network(wanted: StakeholderKind[]): MatchIndex {
  const index = new MatchIndex();
  const at = (n: number, kind: string, km: number): StakeholderFacts => ({
    ...{ id: uuid(n), kind, latitude: 50.85 + km / 111, longitude: 4.35, sdgMask: sdgMaskOf([4, 13]) },
    ...{ expertiseIds: [], languages: [], levelMask: 0, capacity: 2, contexts: 0, accepted: 0 },
    ...{ regionCode: 'BE-BRU', countryCode: 'BE', erased: false, serviceArea: 'NATIONAL' },
  });
  index.setStakeholder(at(0, 'SCHOOL', 0));
  KINDS.forEach((kind, k) => {
    for (let n = 1; n <= 30; n++) index.setStakeholder(at(100 * (k + 1) + n, kind, k === 0 ? n / 10 : 40 + n));
  });
  const c: ChallengeFacts = {
    ...{ id: uuid(9000), schoolId: uuid(0), hubId: null, sdgIds: [4, 13], sdgMask: sdgMaskOf([4, 13]) },
    ...{ neededIds: [], wantedKinds: wanted, wantedMask: kindMaskOf(wanted), latitude: 50.85, longitude: 4.35 },
    ...{ radiusKm: 50, regionCode: 'BE-BRU', countryCode: 'BE', open: true, links: [], linksByTag: [] },
    ...{ active: new Set<string>(), dismissed: new Set<string>(), pupilContact: PupilContact.NONE },
    plannedEndOn: null,
    checkPolicy: { levels: [], types: null, maxAgeMonths: 36, country: 'BE' },
  };
  index.challenges.set(c.id, c);
  return index;
}

describe('the kinds a ranking keeps the best of', () => {
  const cases: [StakeholderKind[], StakeholderKind[]][] = [
    [[], []],
    [[U, I], []],
    [
      [U, I],
      [I, C],
    ],
    [[U, I], [C]],
    [[], [U, C]],
    [[I, C, U], []],
  ];
  it.each(cases)(
    'challenge wants %j, filter %j: a page gets its wanted kinds’ best, a team every kind’s',
    async (wants, kinds) => {
      const index = network(wants);
      const filter = kinds.length ? { kindMask: kindMaskOf(kinds) } : {};
      // Allowed kinds: the challenge's, narrowed by the filter (as the page's candidates are).
      const allowed = KINDS.filter((k) => (!wants.length || wants.includes(k)) && (!kinds.length || kinds.includes(k)));
      const page = await rankPartnersOf(index, uuid(9000), DEFAULT_WEIGHTS, 2, filter, 0.3, 'wanted kinds');
      const shown = wantedKinds(wants, kinds).filter((k) => allowed.includes(k));
      expect([...page.bestOfKind.keys()].sort()).toEqual(shown.map(kindNo).sort());
      // Again at the same version: the count is known, the search best-first, the same kinds' best.
      const again = await rankPartnersOf(index, uuid(9000), DEFAULT_WEIGHTS, 2, filter, 0.3, 'wanted kinds');
      const bests = (r: typeof page) => [...r.bestOfKind].map(([k, best]) => [k, best.row]).sort((a, b) => a[0] - b[0]);
      expect([bests(again), again.top.map((r) => r.row)]).toEqual([bests(page), page.top.map((r) => r.row)]);
      // The far kinds' best are there although far below a page of two.
      for (const k of shown)
        expect(page.bestOfKind.get(kindNo(k))!.row).toBe(index.rowOf(uuid(100 * (KINDS.indexOf(k) + 1) + 1)));
      const team = await rankPartnersOf(index, uuid(9000), DEFAULT_WEIGHTS, 2, filter, 0.3);
      expect([...team.bestOfKind.keys()].sort()).toEqual(allowed.map(kindNo).sort());
      expect(page.top.map((r) => r.row)).toEqual(team.top.map((r) => r.row));
      expect(page.total).toBe(team.total);
    },
  );
});
