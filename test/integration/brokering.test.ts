/**
 * The coordinator's brokering loop: shortlist and dismissal, introductions with approval,
 * outcomes, the board and the audit trail — each rule with the roles that may and may not.
 */
import {
  ActivityDocument,
  ApproveInvitationDocument,
  ChallengeWorkingListsDocument,
  CompletePartnershipDocument,
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  DismissSuggestionDocument,
  HubBoardDocument,
  InviteOnceDocument,
  RemoveFromShortlistDocument,
  RespondOnceDocument,
  ShortlistPartnerDocument,
  SuggestShortlistedDocument,
  UndoDismissalDocument,
  UpdateChallengeDocument,
  UpdateHubDocument,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { bearer, expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const ids = {} as Record<'hub' | 'otherHub' | 'school' | 'uni' | 'ngo' | 'firm' | 'challenge', string>;
const keys = {} as Record<'coord' | 'otherCoord' | 'portal', Record<string, string>>;
type Who = keyof typeof keys | 'public' | 'admin';

const as = (who: Who) => ({
  send: <T, V>(doc: import('@graphql-typed-document-node/core').TypedDocumentNode<T, V>, variables: V) =>
    who === 'admin' ? t.admin(doc, variables) : t.request(doc, variables, who === 'public' ? {} : keys[who]),
});
const codeOf = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  ids.hub = await hub('Twente science hub');
  ids.otherHub = await hub('Leuven makers');
  const key = async (name: string, role: 'COORDINATOR' | 'PORTAL', hubIds: string[]) =>
    bearer(expectData(await t.admin(CreateApiKeyDocument, { input: { name, role, hubIds } })).createApiKey.secret);
  keys.coord = await key('Anna (Twente coordinator)', 'COORDINATOR', [ids.hub]);
  keys.otherCoord = await key('Leuven coordinator', 'COORDINATOR', [ids.otherHub]);
  keys.portal = await key('UT outreach portal', 'PORTAL', [ids.hub]);
  const make = async (kind: string, name: string, extra: Record<string, unknown> = {}) =>
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: kind as never,
          name,
          sdgs: [6],
          expertise: ['Hydrology'],
          city: 'Enschede',
          countryCode: 'NL',
          hubIds: [ids.hub],
          ...extra,
        },
      }),
    ).createStakeholder.id;
  ids.school = await make('SCHOOL', 'Het Stedelijk Lyceum');
  ids.uni = await make('UNIVERSITY', 'University of Twente', { capacity: 2 });
  ids.ngo = await make('CIVIL_SOCIETY', 'Water NGO');
  ids.firm = await make('INDUSTRY', 'Sensor firm', { expertise: ['Sensors'] });
  ids.challenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: {
        schoolId: ids.school,
        hubId: ids.hub,
        title: 'Our river floods',
        sdgs: [6],
        expertiseNeeded: ['Hydrology', 'Sensors'],
        wantedKinds: ['UNIVERSITY', 'GOVERNMENT'],
      },
    }),
  ).createChallenge.id;
});
afterAll(() => t?.stop());

describe('shortlist and dismissal', () => {
  it.each<[Who, string]>([
    ['public', 'UNAUTHENTICATED'],
    ['portal', 'FORBIDDEN'],
    ['otherCoord', 'FORBIDDEN'],
  ])('refuses %s (%s), writing nothing', async (who, code) => {
    const pair = { challengeId: ids.challenge, stakeholderId: ids.uni };
    expect(codeOf(await as(who).send(ShortlistPartnerDocument, pair))).toBe(code);
    expect(codeOf(await as(who).send(DismissSuggestionDocument, { ...pair, reason: 'TOO_FAR' }))).toBe(code);
    const lists = expectData(await t.admin(ChallengeWorkingListsDocument, { id: ids.challenge })).challenge!;
    expect(lists).toMatchObject({ shortlist: [], dismissals: [] });
  });

  it('keeps a shortlist that only the challenge’s coordinators see, marked in suggestions', async () => {
    const entry = expectData(
      await as('coord').send(ShortlistPartnerDocument, {
        challengeId: ids.challenge,
        stakeholderId: ids.uni,
        note: 'Water lab',
      }),
    ).shortlistPartner;
    expect(entry).toMatchObject({
      note: 'Water lab',
      createdBy: 'Anna (Twente coordinator)',
      stakeholder: { id: ids.uni },
    });
    expect(
      expectData(await as('coord').send(ChallengeWorkingListsDocument, { id: ids.challenge })).challenge!.shortlist,
    ).toHaveLength(1);
    for (const who of ['public', 'portal', 'otherCoord'] as const) {
      expect(
        expectData(await as(who).send(ChallengeWorkingListsDocument, { id: ids.challenge })).challenge!.shortlist,
      ).toEqual([]);
    }
    const marked = async (who: Who) =>
      expectData(
        await as(who).send(SuggestShortlistedDocument, { challengeId: ids.challenge, first: 20 }),
      ).suggestPartners.edges.find((e) => e.node.stakeholder.id === ids.uni)!.node.shortlisted;
    expect(await marked('coord')).toBe(true);
    expect(await marked('public')).toBe(false);
  });

  it('takes a dismissed partner off the shortlist, refuses to shortlist it again, and undoes', async () => {
    const pair = { challengeId: ids.challenge, stakeholderId: ids.uni };
    const d = expectData(
      await as('coord').send(DismissSuggestionDocument, {
        ...pair,
        reason: 'ALREADY_IN_CONTACT',
        note: 'Said no in May',
      }),
    );
    expect(d.dismissSuggestion).toMatchObject({ reason: 'ALREADY_IN_CONTACT', note: 'Said no in May' });
    const lists = expectData(await as('coord').send(ChallengeWorkingListsDocument, { id: ids.challenge })).challenge!;
    expect(lists.shortlist).toEqual([]);
    expect(lists.dismissals.map((x) => x.stakeholder.id)).toEqual([ids.uni]);
    const again = await as('coord').send(ShortlistPartnerDocument, pair);
    expect(again.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringContaining('undo the dismissal first'),
    });
    expect(expectData(await as('coord').send(UndoDismissalDocument, pair)).undoDismissal).toBe(true);
    expect(expectData(await as('coord').send(UndoDismissalDocument, pair)).undoDismissal).toBe(false);
    expect(expectData(await as('coord').send(RemoveFromShortlistDocument, pair)).removeFromShortlist).toBe(false);
  });
});

describe('introductions with approval', () => {
  it('lets a hub require approval: a portal proposes, a coordinator approves or withdraws', async () => {
    expect(codeOf(await as('portal').send(UpdateHubDocument, { id: ids.hub, input: { requiresApproval: true } }))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(await as('otherCoord').send(UpdateHubDocument, { id: ids.hub, input: { requiresApproval: true } })),
    ).toBe('FORBIDDEN');
    expect(
      expectData(await as('coord').send(UpdateHubDocument, { id: ids.hub, input: { requiresApproval: true } }))
        .updateHub,
    ).toMatchObject({ requiresApproval: true, name: 'Twente science hub' });

    const proposed = expectData(
      await as('portal').send(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.ngo }),
    ).invitePartner;
    expect(proposed.status).toBe('PROPOSED');
    // Nobody answers an introduction that has not gone out.
    expect(codeOf(await as('portal').send(RespondOnceDocument, { partnershipId: proposed.id, accept: true }))).toBe(
      'CONFLICT',
    );
    expect(codeOf(await as('portal').send(ApproveInvitationDocument, { partnershipId: proposed.id }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await as('otherCoord').send(ApproveInvitationDocument, { partnershipId: proposed.id }))).toBe(
      'FORBIDDEN',
    );
    expect(
      expectData(await as('coord').send(ApproveInvitationDocument, { partnershipId: proposed.id })).approveInvitation
        .status,
    ).toBe('INVITED');
    expect(codeOf(await as('coord').send(ApproveInvitationDocument, { partnershipId: proposed.id }))).toBe('CONFLICT');
    expect(
      expectData(
        await as('coord').send(WithdrawInvitationDocument, { partnershipId: proposed.id, note: 'Found another' }),
      ).withdrawInvitation.status,
    ).toBe('WITHDRAWN');

    // A coordinator's own invitation goes out at once.
    const direct = expectData(
      await as('coord').send(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.firm }),
    ).invitePartner;
    expect(direct.status).toBe('INVITED');
  });
});

describe('outcomes', () => {
  it('completes an accepted partnership with a rating, and only that', async () => {
    const p = expectData(
      await t.admin(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.uni }),
    ).invitePartner;
    expect(codeOf(await as('coord').send(CompletePartnershipDocument, { partnershipId: p.id, rating: 5 }))).toBe(
      'CONFLICT',
    );
    expectData(await t.admin(RespondOnceDocument, { partnershipId: p.id, accept: true }));
    const bad = await as('coord').send(CompletePartnershipDocument, { partnershipId: p.id, rating: 6 });
    expect(bad.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'rating' },
      message: 'rating must be between 1 and 5, got 6',
    });
    expect(codeOf(await as('portal').send(CompletePartnershipDocument, { partnershipId: p.id }))).toBe('FORBIDDEN');
    const done = expectData(
      await as('coord').send(CompletePartnershipDocument, { partnershipId: p.id, rating: 4, note: 'Great lab visits' }),
    ).completePartnership;
    expect(done).toMatchObject({ status: 'COMPLETED', rating: 4 });
    expect(done.completedAt).toBeTruthy();
    expect(done.history.map((h) => h.status)).toEqual(['INVITED', 'ACCEPTED', 'COMPLETED']);
  });
});

describe('the board and the audit trail', () => {
  it('shows the hub’s open challenges, waiting invitations and gaps to its coordinators only', async () => {
    for (const who of ['portal', 'otherCoord'] as const)
      expect(codeOf(await as(who).send(HubBoardDocument, { hubId: ids.hub }))).toBe('FORBIDDEN');
    expect(codeOf(await as('public').send(HubBoardDocument, { hubId: ids.hub }))).toBe('UNAUTHENTICATED');
    const board = expectData(await as('coord').send(HubBoardDocument, { hubId: ids.hub })).hubBoard;
    const open = board.openChallenges.find((c) => c.challenge.id === ids.challenge)!;
    expect(open.invitations).toEqual(
      expect.arrayContaining([
        { status: 'COMPLETED', count: 1 },
        { status: 'INVITED', count: 1 },
        { status: 'WITHDRAWN', count: 1 },
      ]),
    );
    expect(board.waitingLongest.map((w) => w.partnership.status)).toEqual(['INVITED']);
    expect(board.waitingLongest[0].daysWaiting).toBe(0);
    // The firm (invited) brings sensors; hydrology came from the university, whose partnership is completed.
    const gap = board.teamGaps.find((g) => g.challenge.id === ids.challenge)!;
    expect(gap.missingExpertise.map((e) => e.slug)).toEqual(['hydrology']);
    expect(gap.missingKinds.sort()).toEqual(['GOVERNMENT', 'UNIVERSITY']);
    expect(board.quietChallenges).toEqual([]);
  });

  it('records who did what, newest first, for the hub’s coordinators and administrators', async () => {
    expect(codeOf(await as('otherCoord').send(ActivityDocument, { hubId: ids.hub }))).toBe('FORBIDDEN');
    expect(codeOf(await as('portal').send(ActivityDocument, { hubId: ids.hub }))).toBe('FORBIDDEN');
    const all = expectData(await as('coord').send(ActivityDocument, { hubId: ids.hub, first: 100 })).activity;
    const seen = [...all.edges].reverse().map((e) => `${e.node.action} by ${e.node.actorName}`);
    expect(seen).toEqual([
      'SHORTLIST by Anna (Twente coordinator)',
      'DISMISS by Anna (Twente coordinator)',
      'UNDISMISS by Anna (Twente coordinator)',
      'UPDATE_HUB by Anna (Twente coordinator)',
      'PROPOSE by UT outreach portal',
      'APPROVE by Anna (Twente coordinator)',
      'WITHDRAW by Anna (Twente coordinator)',
      'INVITE by Anna (Twente coordinator)',
      'INVITE by Administrator (ADMIN_API_KEY)',
      'ACCEPT by Administrator (ADMIN_API_KEY)',
      'COMPLETE by Anna (Twente coordinator)',
    ]);
    expect(all.totalCount).toBe(seen.length);
    const dismissal = all.edges.find((e) => e.node.action === 'DISMISS')!.node;
    expect(dismissal).toMatchObject({
      reason: 'ALREADY_IN_CONTACT',
      stakeholder: { id: ids.uni },
      challenge: { id: ids.challenge },
    });
    expect(all.edges.find((e) => e.node.action === 'COMPLETE')!.node.rating).toBe(4);
    const page = expectData(await as('coord').send(ActivityDocument, { hubId: ids.hub, first: 4 })).activity;
    const next = expectData(
      await as('coord').send(ActivityDocument, { hubId: ids.hub, first: 4, after: page.pageInfo.endCursor }),
    ).activity;
    expect([...page.edges, ...next.edges].map((e) => e.node.action)).toEqual(
      all.edges.slice(0, 8).map((e) => e.node.action),
    );
  });
});

describe('found from outside', () => {
  it('logs the same shortlisting or dismissal once, however often and however at once it is sent', async () => {
    const logged = async (stakeholderId: string) =>
      Object.fromEntries(
        (
          (await t.db.dataSource.query(
            `SELECT action, count(*)::int AS n FROM activity WHERE challenge_id = $1 AND stakeholder_id = $2
             GROUP BY action`,
            [ids.challenge, stakeholderId],
          )) as { action: string; n: number }[]
        ).map((r) => [r.action, r.n]),
      );
    const shortlist = { challengeId: ids.challenge, stakeholderId: ids.ngo, note: 'Call in May' };
    const before = (await logged(ids.ngo)).SHORTLIST ?? 0;
    const sent = await Promise.all(
      Array.from({ length: 5 }, () => as('coord').send(ShortlistPartnerDocument, shortlist)),
    );
    for (const r of sent) expect(r.errors).toBeUndefined();
    await as('coord').send(ShortlistPartnerDocument, shortlist);
    expect((await logged(ids.ngo)).SHORTLIST).toBe(before + 1);
    // A new note is a change, and is logged.
    expectData(await as('coord').send(ShortlistPartnerDocument, { ...shortlist, note: 'Call in June' }));
    expect((await logged(ids.ngo)).SHORTLIST).toBe(before + 2);

    const dismiss = { challengeId: ids.challenge, stakeholderId: ids.firm, reason: 'NO_CAPACITY' as never };
    const dismissedBefore = (await logged(ids.firm)).DISMISS ?? 0;
    const dismissed = await Promise.all(
      Array.from({ length: 5 }, () => as('coord').send(DismissSuggestionDocument, dismiss)),
    );
    for (const r of dismissed) expect(r.errors).toBeUndefined();
    expect((await logged(ids.firm)).DISMISS).toBe(dismissedBefore + 1);
    expectData(await as('coord').send(DismissSuggestionDocument, { ...dismiss, reason: 'TOO_FAR' as never }));
    expect((await logged(ids.firm)).DISMISS).toBe(dismissedBefore + 2);
    expectData(await as('coord').send(UndoDismissalDocument, { challengeId: ids.challenge, stakeholderId: ids.firm }));
  });

  it('never names a family in a refusal, only by its public label', async () => {
    const family = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'FAMILY',
          name: 'Familie Geheimnaam',
          consentGiven: true,
          sdgs: [6],
          expertise: [],
          city: 'Enschede',
          countryCode: 'NL',
        },
      }),
    ).createStakeholder.id;
    const pair = { challengeId: ids.challenge, stakeholderId: family };
    expectData(await as('coord').send(DismissSuggestionDocument, { ...pair, reason: 'OTHER' }));
    const refused = await as('coord').send(ShortlistPartnerDocument, pair);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain('Family in Enschede');
    expect(JSON.stringify(refused)).not.toContain('Geheimnaam');
  });

  it('does not let another hub move a challenge out of its hub (and its working lists with it)', async () => {
    const shared = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'SCHOOL',
          name: 'Shared school',
          sdgs: [6],
          expertise: [],
          city: 'Enschede',
          countryCode: 'NL',
          hubIds: [ids.hub, ids.otherHub],
        },
      }),
    ).createStakeholder.id;
    const c = expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: shared, hubId: ids.hub, title: 'Ours', sdgs: [6], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
    for (const hubId of [ids.otherHub, null]) {
      const moved = await as('otherCoord').send(UpdateChallengeDocument, { id: c, input: { hubId } });
      expect(moved.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(
      codeOf(await as('otherCoord').send(RemoveFromShortlistDocument, { challengeId: c, stakeholderId: ids.uni })),
    ).toBe('FORBIDDEN');
  });

  const noHubTitle =
    'asks approval for a portal’s introduction to a challenge filed under no hub when its school’s hub requires it';
  it(noHubTitle, async () => {
    const c = expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: ids.school, title: 'Hubless', sdgs: [6], expertiseNeeded: [] },
      }),
    ).createChallenge.id;
    const p = expectData(
      await as('portal').send(InviteOnceDocument, { challengeId: c, stakeholderId: ids.ngo }),
    ).invitePartner;
    expect(p.status).toBe('PROPOSED');
  });
});
