/**
 * Safeguarding as a rule of matching, as a table: each pupil-contact level × hub policy × check
 * state (none, unverified, valid, expired at the planned end, a type the policy does not take)
 * gives the same eligibility in every ranking path — suggestPartners, suggestTeam,
 * suggestChallenges — and in pushed matches (stored match events); `filter.includeUnchecked` shows
 * the held-back partners, marked and explained, to the challenge's coordinators and ADMIN only.
 */
import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  RecordSafeguardingCheckDocument,
  SafeguardedChallengesDocument,
  SafeguardedPartnersDocument,
  SafeguardedTeamDocument,
  UpdateHubDocument,
  VerifySafeguardingCheckDocument,
  InvitePartnerDocument,
  RespondToInvitationDocument,
  SafeguardingBoardDocument,
} from '../generated/graphql';
import { addMonths, todayIso } from '../../src/matching/safeguarding';
import { CheckScope, CheckType, PupilContact } from '../../src/domain/enums';
import { Language } from '../../src/domain/language';
import { bearer, expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/until';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

const STATES = ['none', 'unverified', 'valid', 'expiredAtEnd', 'wrongType'] as const;
type State = (typeof STATES)[number];
const CONTACTS = Object.values(PupilContact);

/** The policies of the table: an NL hub's defaults, and a strict hub's own rule. */
const POLICIES = {
  nlDefault: { levels: [PupilContact.UNSUPERVISED, PupilContact.REGULAR] },
  strict: {
    levels: [PupilContact.SUPERVISED, PupilContact.UNSUPERVISED, PupilContact.REGULAR],
    input: {
      contactLevels: [PupilContact.SUPERVISED, PupilContact.UNSUPERVISED, PupilContact.REGULAR],
      checkTypes: [CheckType.VOG, CheckType.BE_CRIMINAL_RECORD_MODEL_2],
      maxAgeMonths: 24,
    },
  },
} as const;
type PolicyName = keyof typeof POLICIES;

/**
 * The oracle, written from the rule's words: a check is needed where the policy names the
 * contact; then only a verified check of a taken type, valid at the planned end, lets a partner in.
 */
const eligible = (policy: PolicyName, contact: PupilContact, state: State) =>
  !(POLICIES[policy].levels as readonly PupilContact[]).includes(contact) || state === 'valid';

const today = todayIso();
const PLANNED_END = addMonths(today, 12);

interface Scene {
  hubs: Record<PolicyName, string>;
  partners: Record<State, string>;
  /** By policy and contact. */
  challenges: Record<PolicyName, Record<PupilContact, string>>;
  keys: {
    coordinator: Record<string, string>;
    otherCoordinator: Record<string, string>;
    portal: Record<string, string>;
  };
}

async function scene(): Promise<Scene> {
  const hub = async (name: string) =>
    expectData(await t.admin(CreateHubDocument, { input: { name, regionCode: 'NL-UT' } })).createHub.id;
  const hubs = { nlDefault: await hub('Utrecht science hub'), strict: await hub('Strict hub') };
  expectData(
    await t.admin(UpdateHubDocument, {
      id: hubs.strict,
      input: { safeguarding: structuredClone(POLICIES.strict.input) as never },
    }),
  );
  const make = async (kind: string, name: string) =>
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: kind as never,
          name,
          sdgs: [6, 13],
          expertise: [],
          countryCode: 'NL',
          hubIds: [hubs.nlDefault, hubs.strict],
        },
      }),
    ).createStakeholder.id;
  const school = await make('SCHOOL', 'Utrecht college');
  const partners = {} as Record<State, string>;
  for (const state of STATES) partners[state] = await make('UNIVERSITY', `Lab ${state}`);
  const record = async (who: string, type: CheckType, issuedOn: string, verify: boolean) => {
    const input = { stakeholderId: who, type, scope: CheckScope.ORGANISATION, issuedOn };
    const id = expectData(await t.admin(RecordSafeguardingCheckDocument, { input })).recordSafeguardingCheck.id;
    if (verify) expectData(await t.admin(VerifySafeguardingCheckDocument, { id }));
  };
  await record(partners.unverified, CheckType.VOG, addMonths(today, -2), false);
  await record(partners.valid, CheckType.VOG, addMonths(today, -2), true);
  // Valid today under either policy, no longer at the planned end a year from now.
  await record(partners.expiredAtEnd, CheckType.VOG, addMonths(today, -30), true);
  await record(partners.wrongType, CheckType.UK_DBS_ENHANCED, addMonths(today, -2), true);
  const challenges = {} as Scene['challenges'];
  for (const policy of Object.keys(POLICIES) as PolicyName[]) {
    challenges[policy] = {} as Record<PupilContact, string>;
    for (const pupilContact of CONTACTS) {
      const input = {
        schoolId: school,
        hubId: hubs[policy],
        title: `River water ${policy} ${pupilContact}`,
        sdgs: [6, 13],
        expertiseNeeded: [],
        pupilContact,
        plannedEndOn: PLANNED_END,
      };
      challenges[policy][pupilContact] = expectData(
        await t.admin(CreateChallengeDocument, { input }),
      ).createChallenge.id;
    }
  }
  const key = async (role: string, hubId: string) =>
    bearer(
      expectData(
        await t.admin(CreateApiKeyDocument, {
          input: { name: `${role} ${hubId}`, role: role as never, hubIds: [hubId] },
        }),
      ).createApiKey.secret,
    );
  const other = expectData(await t.admin(CreateHubDocument, { input: { name: 'Another hub' } })).createHub.id;
  return {
    hubs,
    partners,
    challenges,
    keys: {
      coordinator: await key('COORDINATOR', hubs.nlDefault),
      otherCoordinator: await key('COORDINATOR', other),
      portal: await key('PORTAL', hubs.nlDefault),
    },
  };
}

let s: Scene;
beforeAll(async () => {
  s = await scene();
});

const cases = (Object.keys(POLICIES) as PolicyName[]).flatMap((policy) =>
  CONTACTS.map((contact) => ({ policy, contact })),
);

describe('safeguarding in every ranking path', () => {
  it.each(cases)(
    '$policy, $contact: suggestPartners, suggestTeam and pushed matches hold back the unchecked',
    async (c) => {
      const challengeId = s.challenges[c.policy][c.contact];
      const expected = STATES.filter((state) => eligible(c.policy, c.contact, state)).map((st) => s.partners[st]);
      const ours = new Set(Object.values(s.partners));
      const page = expectData(await t.request(SafeguardedPartnersDocument, { challengeId })).suggestPartners;
      const suggested = page.edges.map((e) => e.node.stakeholder.id).filter((id) => ours.has(id));
      expect(suggested.sort()).toEqual([...expected].sort());
      expect(page.edges.every((e) => !e.node.needsSafeguardingCheck)).toBe(true);
      const team = expectData(await t.request(SafeguardedTeamDocument, { challengeId })).suggestTeam.members;
      for (const m of team) if (ours.has(m.stakeholder.id)) expect(expected).toContain(m.stakeholder.id);
      // Pushed: the matches stored when the challenge was posted (after every check was in place).
      await until(async () => (await pushed(challengeId)).length > 0 || expected.length === 0, 30_000);
      expect((await pushed(challengeId)).filter((id) => ours.has(id)).sort()).toEqual([...expected].sort());
    },
  );

  it.each(STATES)('%s: suggestChallenges shows exactly the challenges the partner may join', async (state) => {
    const page = expectData(
      await t.request(SafeguardedChallengesDocument, { stakeholderId: s.partners[state] }),
    ).suggestChallenges;
    const ours = new Map(cases.map((c) => [s.challenges[c.policy][c.contact], c]));
    const got = page.edges.map((e) => e.node.challenge.id).filter((id) => ours.has(id));
    const expected = cases
      .filter((c) => eligible(c.policy, c.contact, state))
      .map((c) => s.challenges[c.policy][c.contact]);
    expect(got.sort()).toEqual(expected.sort());
  });
});

async function pushed(challengeId: string): Promise<string[]> {
  const rows: { id: string }[] = await t.db.dataSource.query(
    'SELECT DISTINCT stakeholder_id AS id FROM match_event WHERE challenge_id = $1',
    [challengeId],
  );
  return rows.map((r) => r.id);
}

describe('filter.includeUnchecked', () => {
  const filter = { includeUnchecked: true };

  it('shows every partner to the coordinator, each marked and explained in the asked language', async () => {
    const challengeId = s.challenges.nlDefault[PupilContact.UNSUPERVISED];
    const page = expectData(
      await t.request(SafeguardedPartnersDocument, { challengeId, filter, lang: Language.NL }, s.keys.coordinator),
    ).suggestPartners;
    const byId = new Map(page.edges.map((e) => [e.node.stakeholder.id, e.node]));
    for (const state of STATES) {
      const node = byId.get(s.partners[state])!;
      expect([state, node.needsSafeguardingCheck]).toEqual([state, state !== 'valid']);
      if (state === 'valid') {
        expect(node.safeguarding).toBe(
          `VOG geverifieerd, geldig tot ${addMonths(addMonths(today, -2), 36).slice(0, 7)}`,
        );
        expect(node.reasons[0]).not.toMatch(/VOG/);
      } else {
        expect(node.safeguarding).toBe('Heeft een VOG nodig voor het werk met leerlingen');
        expect(node.reasons[0]).toBe('Heeft een VOG nodig voor het werk met leerlingen');
      }
    }
    const english = expectData(
      await t.request(SafeguardedPartnersDocument, { challengeId, filter, lang: Language.EN }, s.keys.coordinator),
    ).suggestPartners.edges.find((e) => e.node.stakeholder.id === s.partners.none)!;
    expect(english.node.reasons[0]).toBe('Needs a VOG (Dutch certificate of conduct) before working with pupils');
  });

  it.each([
    ['no key', {}, 'UNAUTHENTICATED'],
    ['a PORTAL key of the hub', 'portal', 'FORBIDDEN'],
    ["another hub's COORDINATOR", 'otherCoordinator', 'FORBIDDEN'],
  ] as const)('is refused for %s', async (_who, key, code) => {
    const headers = typeof key === 'string' ? s.keys[key as keyof Scene['keys']] : key;
    const challengeId = s.challenges.nlDefault[PupilContact.REGULAR];
    const errors = expectErrors(await t.request(SafeguardedPartnersDocument, { challengeId, filter }, headers));
    expect(errors[0].extensions?.code).toBe(code);
    expect(errors[0].message).toMatch(/includeUnchecked/);
  });

  it('tells no one else what a check says: the explanation is null without the right', async () => {
    const challengeId = s.challenges.nlDefault[PupilContact.REGULAR];
    for (const headers of [{}, s.keys.portal, s.keys.otherCoordinator]) {
      const page = expectData(await t.request(SafeguardedPartnersDocument, { challengeId }, headers)).suggestPartners;
      const valid = page.edges.find((e) => e.node.stakeholder.id === s.partners.valid)!;
      expect(valid.node.safeguarding).toBeNull();
    }
  });
});

describe('a check verified later', () => {
  it('lets the partner in on every instance path at once, and pushes the new match', async () => {
    const challengeId = s.challenges.nlDefault[PupilContact.REGULAR];
    const id = expectData(
      await t.admin(RecordSafeguardingCheckDocument, {
        input: { stakeholderId: s.partners.none, type: CheckType.VOG, scope: CheckScope.PERSON, issuedOn: today },
      }),
    ).recordSafeguardingCheck.id;
    const ids = async () =>
      expectData(await t.request(SafeguardedPartnersDocument, { challengeId })).suggestPartners.edges.map(
        (e) => e.node.stakeholder.id,
      );
    // Recorded but unverified: still held back.
    expect(await ids()).not.toContain(s.partners.none);
    expectData(await t.request(VerifySafeguardingCheckDocument, { id }, s.keys.coordinator));
    await until(async () => (await ids()).includes(s.partners.none), 30_000);
    await until(async () => (await pushed(challengeId)).includes(s.partners.none), 30_000);
  });
});

describe("on the coordinator's board", () => {
  it('lists checks ending within 30 days and accepted partners without the check their challenge needs', async () => {
    const challengeId = s.challenges.nlDefault[PupilContact.REGULAR];
    const hubIds = [s.hubs.nlDefault];
    const make = async (name: string) =>
      expectData(
        await t.admin(CreateStakeholderDocument, {
          input: { kind: 'UNIVERSITY' as never, name, sdgs: [6], expertise: [], countryCode: 'NL', hubIds },
        }),
      ).createStakeholder.id;
    const soon = await make('Lab whose VOG ends soon');
    const later = await make('Lab whose VOG ends later');
    // 36 months is the NL hub's default: one ends in 10 days, the other in 40.
    const issued: Record<string, string> = {};
    issued[soon] = new Date(Date.parse(addMonths(today, -36)) + 10 * 86_400_000).toISOString().slice(0, 10);
    issued[later] = new Date(Date.parse(addMonths(today, -36)) + 40 * 86_400_000).toISOString().slice(0, 10);
    for (const who of [soon, later]) {
      const input = { stakeholderId: who, type: CheckType.VOG, scope: CheckScope.PERSON, issuedOn: issued[who] };
      const id = expectData(await t.admin(RecordSafeguardingCheckDocument, { input })).recordSafeguardingCheck.id;
      expectData(await t.admin(VerifySafeguardingCheckDocument, { id }));
      expectData(await t.admin(InvitePartnerDocument, { challengeId, stakeholderId: who }));
    }
    // Accepted on a challenge with regular contact: one without a taken check, one with.
    const accepted: Record<string, string> = {};
    for (const who of [s.partners.wrongType, s.partners.valid]) {
      const p = expectData(await t.admin(InvitePartnerDocument, { challengeId, stakeholderId: who })).invitePartner.id;
      expectData(await t.admin(RespondToInvitationDocument, { partnershipId: p, accept: true }));
      accepted[who] = p;
    }
    const board = expectData(
      await t.request(SafeguardingBoardDocument, { hubId: s.hubs.nlDefault }, s.keys.coordinator),
    ).hubBoard;
    expect(board.checksExpiring.map((k) => [k.stakeholder.id, k.type, k.validUntil])).toEqual([
      [soon, 'VOG', addMonths(issued[soon], 36)],
    ]);
    expect(board.uncheckedPartnerships.map((u) => [u.partnership.id, u.challenge.id])).toEqual([
      [accepted[s.partners.wrongType], challengeId],
    ]);
  });
});
