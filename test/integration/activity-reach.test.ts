/**
 * Every brokering action lands in a log its challenge's coordinators can read: the challenge's
 * hub, or, for a challenge filed under no hub, each of its school's hubs (the rule access.ts
 * applies to who may act on it). A table over every action × both kinds of challenge.
 */
import {
  ActivityDocument,
  ApproveInvitationDocument,
  CompletePartnershipDocument,
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  DismissSuggestionDocument,
  InviteOnceDocument,
  RemoveFromShortlistDocument,
  RespondOnceDocument,
  ShortlistPartnerDocument,
  UndoDismissalDocument,
  UpdateHubDocument,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { bearer, expectData, GraphQLResult, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const hubs = {} as Record<'a' | 'b' | 'c', string>;
const keys = {} as Record<'coordA' | 'coordB' | 'coordC' | 'portalA', Record<string, string>>;
const challenges = {} as Record<'withHub' | 'withoutHub', string>;
let school: string;

const send = <T, V>(
  doc: import('@graphql-typed-document-node/core').TypedDocumentNode<T, V>,
  variables: V,
  who?: keyof typeof keys,
): Promise<GraphQLResult<T>> => (who ? t.request(doc, variables, keys[who]) : t.admin(doc, variables));

let partners = 0;
async function partner(): Promise<string> {
  return expectData(
    await t.admin(CreateStakeholderDocument, {
      input: {
        kind: 'UNIVERSITY',
        name: `University ${++partners}`,
        sdgs: [6],
        expertise: ['Hydrology'],
        city: 'Leuven',
        countryCode: 'BE',
        hubIds: [hubs.a],
        capacity: 5,
      },
    }),
  ).createStakeholder.id;
}

const invite = async (challengeId: string, stakeholderId: string, who?: keyof typeof keys) =>
  expectData(await send(InviteOnceDocument, { challengeId, stakeholderId }, who)).invitePartner.id;

/** Each action, done by the challenge's coordinator (or the portal, for what portals do), after its preconditions. */
const ACTIONS: Record<string, (challengeId: string, stakeholderId: string) => Promise<unknown>> = {
  SHORTLIST: async (challengeId, stakeholderId) =>
    expectData(await send(ShortlistPartnerDocument, { challengeId, stakeholderId }, 'coordA')),
  UNSHORTLIST: async (challengeId, stakeholderId) => {
    expectData(await send(ShortlistPartnerDocument, { challengeId, stakeholderId }, 'coordA'));
    expectData(await send(RemoveFromShortlistDocument, { challengeId, stakeholderId }, 'coordA'));
  },
  DISMISS: async (challengeId, stakeholderId) =>
    expectData(await send(DismissSuggestionDocument, { challengeId, stakeholderId, reason: 'NOT_RELEVANT' }, 'coordA')),
  UNDISMISS: async (challengeId, stakeholderId) => {
    expectData(await send(DismissSuggestionDocument, { challengeId, stakeholderId, reason: 'NOT_RELEVANT' }, 'coordA'));
    expectData(await send(UndoDismissalDocument, { challengeId, stakeholderId }, 'coordA'));
  },
  INVITE: (challengeId, stakeholderId) => invite(challengeId, stakeholderId, 'coordA'),
  PROPOSE: (challengeId, stakeholderId) => invite(challengeId, stakeholderId, 'portalA'),
  APPROVE: async (challengeId, stakeholderId) => {
    const partnershipId = await invite(challengeId, stakeholderId, 'portalA');
    expectData(await send(ApproveInvitationDocument, { partnershipId }, 'coordA'));
  },
  WITHDRAW: async (challengeId, stakeholderId) => {
    const partnershipId = await invite(challengeId, stakeholderId, 'coordA');
    expectData(await send(WithdrawInvitationDocument, { partnershipId }, 'coordA'));
  },
  ACCEPT: async (challengeId, stakeholderId) => {
    const partnershipId = await invite(challengeId, stakeholderId, 'coordA');
    expectData(await send(RespondOnceDocument, { partnershipId, accept: true }, 'portalA'));
  },
  DECLINE: async (challengeId, stakeholderId) => {
    const partnershipId = await invite(challengeId, stakeholderId, 'coordA');
    expectData(await send(RespondOnceDocument, { partnershipId, accept: false }, 'portalA'));
  },
  COMPLETE: async (challengeId, stakeholderId) => {
    const partnershipId = await invite(challengeId, stakeholderId, 'coordA');
    expectData(await send(RespondOnceDocument, { partnershipId, accept: true }, 'portalA'));
    expectData(await send(CompletePartnershipDocument, { partnershipId, rating: 4 }, 'coordA'));
  },
};

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  hubs.a = await hub('Hub A');
  hubs.b = await hub('Hub B');
  hubs.c = await hub('Hub C');
  // Portals' introductions wait for a coordinator here: the PROPOSE and APPROVE rows need it.
  expectData(await t.admin(UpdateHubDocument, { id: hubs.a, input: { requiresApproval: true } }));
  const key = async (role: 'COORDINATOR' | 'PORTAL', hubId: string) =>
    bearer(
      expectData(await t.admin(CreateApiKeyDocument, { input: { name: `${role} ${hubId}`, role, hubIds: [hubId] } }))
        .createApiKey.secret,
    );
  keys.coordA = await key('COORDINATOR', hubs.a);
  keys.coordB = await key('COORDINATOR', hubs.b);
  keys.coordC = await key('COORDINATOR', hubs.c);
  keys.portalA = await key('PORTAL', hubs.a);
  school = expectData(
    await t.admin(CreateStakeholderDocument, {
      input: {
        kind: 'SCHOOL',
        name: 'School of two hubs',
        sdgs: [6],
        expertise: [],
        city: 'Leuven',
        countryCode: 'BE',
        hubIds: [hubs.a, hubs.b],
      },
    }),
  ).createStakeholder.id;
  const challenge = async (hubId: string | null) =>
    expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: school, hubId, title: `Floods ${hubId ?? 'no hub'}`, sdgs: [6], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
  challenges.withHub = await challenge(hubs.a);
  challenges.withoutHub = await challenge(null);
}, 60_000);
afterAll(() => t?.stop());

/** The entries a hub's coordinator reads in its log, as `ACTION challenge stakeholder`. */
async function logOf(who: 'coordA' | 'coordB' | 'coordC', hubId: string): Promise<string[]> {
  const page = expectData(await send(ActivityDocument, { hubId, first: 100 }, who)).activity;
  return page.edges.map((e) => `${e.node.action} ${e.node.challenge?.id} ${e.node.stakeholder?.id}`);
}

// Filed under hub A: A's coordinators answer for it. Filed under none: A and B, the school's hubs.
const RESPONSIBLE = {
  withHub: [['coordA', 'a']],
  withoutHub: [
    ['coordA', 'a'],
    ['coordB', 'b'],
  ],
} as const;

describe.each(['withHub', 'withoutHub'] as const)('a challenge %s', (kind) => {
  it.each(Object.keys(ACTIONS))('puts %s in the log of each hub that manages the challenge', async (action) => {
    const stakeholderId = await partner();
    await ACTIONS[action](challenges[kind], stakeholderId);
    const entry = `${action} ${challenges[kind]} ${stakeholderId}`;
    for (const [who, hub] of RESPONSIBLE[kind])
      expect([who, await logOf(who, hubs[hub])]).toEqual([who, expect.arrayContaining([entry])]);
    // A hub that does not manage the challenge does not read its brokering.
    expect(await logOf('coordC', hubs.c)).not.toContain(entry);
    if (kind === 'withHub') expect(await logOf('coordB', hubs.b)).not.toContain(entry);
  });
});
