import {
  InvitePartnerDocument,
  RespondToInvitationDocument,
  SuggestChallengesDocument,
  SuggestPartnersDocument,
  SuggestPartnersDeepDocument,
  SuggestTeamDocument,
  UpdateChallengeDocument,
  type SuggestPartnersQueryVariables,
} from '../generated/graphql';
import { roundScore } from '../../src/matching/score-precision';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, RELAXED_LIMITS, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let ids: Record<string, string>;
let challengeId: string;

const U = 'UNIVERSITY' as const;
const G = 'GOVERNMENT' as const;
const E = 'ENTREPRENEUR' as const;
const M = 'MEDIA' as const;

beforeAll(async () => {
  // These count SQL statements of deep pages; their price is tested in test/unit/limits.test.ts.
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, maxCost: 100_000 } });
  ids = await createStakeholders(t, [
    {
      name: 'School',
      kind: 'SCHOOL',
      sdgs: [13, 6],
      expertise: ['Hydrology'],
      educationLevels: [2, 3],
      languages: ['nl'],
      underservedContexts: ['GEOGRAPHIC_ISOLATION'],
    },
    // Equal fit, different distance.
    { name: 'Uni near', kind: U, sdgs: [13, 6], expertise: ['Hydrology'], location: north(5) },
    { name: 'Uni far', kind: U, sdgs: [13, 6], expertise: ['Hydrology'], location: north(30) },
    // Equal distance, different expertise.
    { name: 'Uni both', kind: U, sdgs: [13, 6], expertise: ['Hydrology', 'Sensors'], location: north(15) },
    { name: 'Uni one', kind: U, sdgs: [13, 6], expertise: ['Hydrology'], location: north(15) },
    // Beyond the radius (50 km) and across the border, working internationally.
    {
      name: 'Uni national',
      kind: U,
      sdgs: [13, 6],
      expertise: ['Hydrology', 'Sensors'],
      location: north(120),
      serviceArea: 'INTERNATIONAL',
    },
    // Two identical candidates: the tie is broken by id.
    { name: 'Twin A', kind: U, sdgs: [13], expertise: ['Sensors'], location: north(40) },
    { name: 'Twin B', kind: U, sdgs: [13], expertise: ['Sensors'], location: north(40) },
    { name: 'Water board', kind: G, sdgs: [6], expertise: ['Flood protection'], location: north(10) },
    { name: 'Sensor startup', kind: E, sdgs: [9], expertise: ['Sensors'], location: north(20), capacity: 2 },
    { name: 'Busy startup', kind: E, sdgs: [13], expertise: ['Sensors'], location: north(2), capacity: 1 },
    // Excluded: not a wanted kind, or nothing in common.
    { name: 'Newsroom', kind: M, sdgs: [13, 6], expertise: ['Hydrology', 'Sensors'], location: north(1) },
    { name: 'Unrelated uni', kind: U, sdgs: [4], expertise: ['Journalism'], location: north(1) },
    // Text and taxonomy neighbours of the needed tags.
    { name: 'Spelled alike', kind: G, sdgs: [], expertise: ['watermanagement'], location: north(20) },
    { name: 'Parent tag', kind: G, sdgs: [], expertise: ['Water'], location: north(20) },
    { name: 'Other school', kind: 'SCHOOL', sdgs: [13], expertise: [], location: north(3) },
  ]);
  challengeId = (
    await createChallenge(t, {
      schoolId: ids['School'],
      title: 'Our village floods every winter',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology', 'Sensors', 'Water management'],
      wantedKinds: [U, G, E],
      radiusKm: 50,
    })
  ).id;
  // Busy startup has reached its capacity of 1 on another challenge.
  const other = await createChallenge(t, {
    schoolId: ids['Other school'],
    title: 'Other',
    sdgs: [9],
    expertiseNeeded: ['Sensors'],
  });
  const p = expectData(
    await t.admin(InvitePartnerDocument, { challengeId: other.id, stakeholderId: ids['Busy startup'] }),
  ).invitePartner;
  expectData(await t.admin(RespondToInvitationDocument, { partnershipId: p.id, accept: true }));
});
afterAll(() => t?.stop());

async function suggest(vars: Partial<SuggestPartnersQueryVariables> = {}) {
  return expectData(await t.request(SuggestPartnersDocument, { challengeId, first: 100, ...vars })).suggestPartners;
}
const names = (c: Awaited<ReturnType<typeof suggest>>) => c.edges.map((e) => e.node.stakeholder.name);
/** Where `item` stands in `list`; fails when it is missing (a bare indexOf of -1 would pass a "before" check). */
function rankOf(list: string[], item: string): number {
  const i = list.indexOf(item);
  expect([item, i >= 0]).toEqual([item, true]);
  return i;
}

describe('suggestPartners: ordering', () => {
  it('ranks nearer above farther at equal fit', async () => {
    const n = names(await suggest());
    expect(rankOf(n, 'Uni near')).toBeLessThan(rankOf(n, 'Uni far'));
  });

  it('ranks more expertise above less at equal distance', async () => {
    const n = names(await suggest());
    expect(rankOf(n, 'Uni both')).toBeLessThan(rankOf(n, 'Uni one'));
  });

  it('is deterministic and breaks ties by id', async () => {
    const a = names(await suggest());
    const b = names(await suggest());
    expect(b).toEqual(a);
    const [first, second] = [ids['Twin A'], ids['Twin B']].sort();
    const order = (await suggest()).edges.map((e) => e.node.stakeholder.id);
    expect(rankOf(order, first)).toBe(rankOf(order, second) - 1);
  });

  it('lets a coordinator tune the weights for one query', async () => {
    const byProximity = names(
      await suggest({ weights: { proximity: 10, sdg: 0, expertise: 0, kind: 0, inclusion: 0 } }),
    );
    expect(rankOf(byProximity, 'Water board')).toBeLessThan(rankOf(byProximity, 'Uni both'));
    const byExpertise = names(await suggest({ weights: { expertise: 10, proximity: 0 } }));
    expect(byExpertise[0]).toMatch(/Uni both|Uni national/);
  });

  it('keeps every score and component in [0, 1] and sorts by score', async () => {
    const c = await suggest();
    const scores = c.edges.map((e) => e.node.score);
    for (const e of c.edges) {
      for (const v of [
        e.node.score,
        e.node.breakdown.sdg,
        e.node.breakdown.expertise,
        e.node.breakdown.proximity,
        e.node.breakdown.kind,
        e.node.breakdown.inclusion,
      ]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    // Without filter.kinds diversity still applies to the first page only; with first: 100 it is all one page.
    expect(c.edges.length).toBe(c.totalCount);
    expect(Math.max(...scores)).toBe(scores[0]);
  });
});

describe('suggestPartners: who is never suggested', () => {
  it('leaves out the posing school, unwanted kinds, and stakeholders with nothing in common', async () => {
    const n = names(await suggest());
    expect(n).not.toContain('School');
    expect(n).not.toContain('Newsroom');
    expect(n).not.toContain('Unrelated uni');
    expect(n).not.toContain('Other school');
  });

  it('honours filter.kinds', async () => {
    const c = await suggest({ filter: { kinds: [G] } });
    expect(c.edges.length).toBeGreaterThan(0);
    expect(c.edges.every((e) => e.node.stakeholder.kind === G)).toBe(true);
  });

  it('shows partners beyond the radius with a fading proximity, and drops them beyond maxDistanceKm', async () => {
    const all = await suggest();
    const national = all.edges.find((e) => e.node.stakeholder.name === 'Uni national')!;
    const km = national.node.breakdown.distanceKm!;
    // The API shows it to SCORE_DECIMALS (3) decimals.
    expect(national.node.breakdown.proximity).toBe(roundScore(0.5 * Math.exp(-(km - 50) / 50)));
    expect(national.node.breakdown.distanceKm).toBeCloseTo(120, 0);
    expect(national.node.reasons).toContain('120 km away, beyond the 50 km radius');
    const near = names(await suggest({ filter: { maxDistanceKm: 20 } }));
    expect(near).toContain('Uni near');
    expect(near).not.toContain('Uni far');
    expect(near).not.toContain('Uni national');
  });

  it('leaves out partners already in an active partnership on the challenge', async () => {
    const p = expectData(
      await t.admin(InvitePartnerDocument, { challengeId, stakeholderId: ids['Uni near'] }),
    ).invitePartner;
    expect(names(await suggest())).not.toContain('Uni near');
    expectData(await t.admin(RespondToInvitationDocument, { partnershipId: p.id, accept: false }));
    expect(names(await suggest())).toContain('Uni near');
  });

  it('leaves out partners whose accepted partnerships reach their capacity', async () => {
    const n = names(await suggest());
    expect(n).not.toContain('Busy startup');
    expect(n).toContain('Sensor startup');
  });

  it('honours region, SDG and expertise filters', async () => {
    expect(names(await suggest({ filter: { sdgs: [9] } }))).toEqual(['Sensor startup']);
    const hydro = names(await suggest({ filter: { expertise: ['hydrology'] } }));
    expect(hydro).toEqual(expect.arrayContaining(['Uni near', 'Uni both']));
    expect(hydro).not.toContain('Water board');
    const around = names(await suggest({ filter: { near: { ...north(15), radiusKm: 2 } } }));
    expect(around.sort()).toEqual(['Uni both', 'Uni one']);
    // 120 km north of Leuven lies in the Netherlands.
    expect(names(await suggest({ filter: { regionCode: 'NL' } }))).toEqual(['Uni national']);
    expect((await suggest({ filter: { regionCode: 'BE' } })).totalCount).toBe((await suggest()).totalCount - 1);
  });
});

describe('suggestPartners: explanations and expertise matching', () => {
  it('explains each suggestion', async () => {
    const both = (await suggest()).edges.find((e) => e.node.stakeholder.name === 'Uni both')!.node;
    expect(both.reasons).toEqual([
      'Shares SDG 13 Climate action and SDG 6 Clean water and sanitation',
      'Knows hydrology and sensors',
      '15 km away',
      'Has room for 3 more projects',
    ]);
    // What the school brings holds for every partner: said once, beside the list (test/integration/languages.test.ts).
    expect(both.reasons.join(' ')).not.toContain('The school serves');
    expect(both.breakdown.distanceKm).toBeCloseTo(15, 0);
  });

  it('meets similar spellings and taxonomy neighbours', async () => {
    const c = await suggest();
    const alike = c.edges.find((e) => e.node.stakeholder.name === 'Spelled alike')!.node;
    expect(alike.breakdown.expertise).toBeGreaterThan(0);
    expect(alike.reasons).toContain('Similar expertise: watermanagement (≈ water management)');
    const parent = c.edges.find((e) => e.node.stakeholder.name === 'Parent tag')!.node;
    expect(parent.breakdown.expertise).toBeGreaterThan(0);
    expect(parent.reasons.join(' ')).toContain('Related know-how: water (for hydrology)');
  });
});

describe('suggestPartners: pages', () => {
  it('covers the wanted kinds on the first page when candidates of those kinds exist', async () => {
    const full = await suggest();
    const topThreeByScore = full.edges.slice(0, 3).map((e) => e.node.stakeholder.kind);
    expect(new Set(topThreeByScore).size).toBeLessThan(3); // the raw ranking is all universities at the top
    const page = await suggest({ first: 3 });
    expect(new Set(page.edges.map((e) => e.node.stakeholder.kind))).toEqual(new Set([U, G, E]));
  });

  it('pages through every suggestion once, in a stable order', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const page = await suggest({ first: 3, after });
      seen.push(...page.edges.map((e) => e.node.stakeholder.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 20);
    const total = (await suggest()).totalCount;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('costs the same number of SQL statements whatever the page size and fields', async () => {
    const total = (await suggest()).totalCount;
    const count = async (first: number) => {
      t.db.resetQueries();
      const d = expectData(await t.request(SuggestPartnersDeepDocument, { challengeId, first }));
      expect(d.suggestPartners.edges.length).toBe(Math.min(first, total));
      return t.db.queries.length;
    };
    // The bound is the number of (loader, depth) pairs the document touches, whatever the rows:
    // 2 (challenge check, ranked candidates) + 4 at the match (SDGs and tags for reasons, challenge,
    // stakeholder) + 5 below it (school, region, SDGs, tags, memberships) + 2 deeper (parent region,
    // hubs). Loads of one loader at different depths may or may not share a batch, so the count
    // can fall below the bound but never grows with the page.
    const bound = 13;
    for (const first of [1, 2, 12, 100]) expect(await count(first)).toBeLessThanOrEqual(bound);
  });

  it('costs at most 3 statements for a portal’s usual selection (scores, reasons, partner)', async () => {
    await suggest({ first: 10 }); // the SDG titles are read once per process
    t.db.resetQueries();
    const page = await suggest({ first: 10 });
    expect(page.edges.length).toBeGreaterThan(0);
    expect(page.edges.every((e) => e.node.reasons.length > 0 && e.node.stakeholder.name)).toBe(true);
    expect(t.db.queries.length).toBeLessThanOrEqual(3);
  });

  it('refuses bad arguments with codes', async () => {
    const unknown = await t.request(SuggestPartnersDocument, { challengeId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const zero = await t.request(SuggestPartnersDocument, {
      challengeId,
      weights: { sdg: 0, expertise: 0, proximity: 0, kind: 0, inclusion: 0, track: 0 },
    });
    expect(zero.errors?.[0]).toMatchObject({
      message: 'weights must not all be zero',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const big = await t.request(SuggestPartnersDocument, { challengeId, first: 101 });
    expect(big.errors?.[0]).toMatchObject({
      message: 'first must be between 0 and 100, got 101',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('suggestTeam', () => {
  it('covers the needed expertise and wanted kinds, and reports the gaps', async () => {
    const team = expectData(await t.request(SuggestTeamDocument, { challengeId, size: 5 })).suggestTeam;
    expect(team.members.length).toBeLessThanOrEqual(5);
    expect(team.coveredExpertise.map((e) => e.slug).sort()).toEqual(['hydrology', 'sensors', 'water-management']);
    expect(team.missingExpertise).toEqual([]);
    expect(new Set(team.coveredKinds)).toEqual(new Set([U, G, E]));
    expect(team.missingKinds).toEqual([]);
    expect(new Set(team.members.map((m) => m.stakeholder.id)).size).toBe(team.members.length);
  });

  it('says what stays uncovered when the team is too small', async () => {
    const team = expectData(await t.request(SuggestTeamDocument, { challengeId, size: 1 })).suggestTeam;
    expect(team.members).toHaveLength(1);
    expect(team.missingKinds.length).toBe(2);
  });
});

describe('suggestChallenges', () => {
  it('finds the open challenges a stakeholder fits, with the same scores', async () => {
    const reverse = expectData(
      await t.request(SuggestChallengesDocument, { stakeholderId: ids['Uni both'] }),
    ).suggestChallenges;
    const hit = reverse.edges.find((e) => e.node.challenge.id === challengeId)!;
    const forward = (await suggest()).edges.find((e) => e.node.stakeholder.name === 'Uni both')!;
    expect(hit.node.score).toBeCloseTo(forward.node.score, 12);
    expect(hit.node.breakdown).toEqual(forward.node.breakdown);
    expect(hit.node.reasons).toEqual(forward.node.reasons);
  });

  it('leaves out unwanted kinds, full partners and completed challenges', async () => {
    const media = expectData(
      await t.request(SuggestChallengesDocument, { stakeholderId: ids['Newsroom'] }),
    ).suggestChallenges;
    expect(media.edges.map((e) => e.node.challenge.id)).not.toContain(challengeId);
    const busy = expectData(
      await t.request(SuggestChallengesDocument, { stakeholderId: ids['Busy startup'] }),
    ).suggestChallenges;
    expect(busy.totalCount).toBe(0);
    expectData(await t.admin(UpdateChallengeDocument, { id: challengeId, input: { phase: 'COMPLETED' } }));
    try {
      const after = expectData(
        await t.request(SuggestChallengesDocument, { stakeholderId: ids['Uni both'] }),
      ).suggestChallenges;
      expect(after.edges.map((e) => e.node.challenge.id)).not.toContain(challengeId);
    } finally {
      expectData(await t.admin(UpdateChallengeDocument, { id: challengeId, input: { phase: 'IDEA' } }));
    }
  });
});
