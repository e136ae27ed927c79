/**
 * Evidence only from the party it is about, as a property: one key — a hub's PORTAL or
 * COORDINATOR, or another hub's COORDINATOR — makes any sequence of calls through the API
 * (invite, answer, approve, withdraw, complete with a rating, new challenges, repeated), with time
 * passing in between; no other partner's track moves by more than TRACK_MOVE_BOUND, at any prior.
 * Then the rules one by one: whose answer counts, and what it records.
 */
import fc from 'fast-check';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { trackRecords } from '../../src/matching/index/load-index';
import { EMPTY_RECORD, evidence, trackOf, TRACK_MOVE_BOUND, UNANSWERED_AFTER_DAYS } from '../../src/matching/track';
import {
  ApproveInvitationDocument,
  CompletePartnershipDocument,
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  InvitePartnerDocument,
  RespondToInvitationDocument,
  UpdateHubDocument,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { bearer, expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

type Attacker = 'portalH' | 'coordH' | 'coordK';
/** Who the attacker may aim at: two partners of its hub H, one of hub K, one of no hub, K's school. */
const TARGETS = ['rival', 'favourite', 'kPartner', 'loner', 'kSchool'] as const;
type Target = (typeof TARGETS)[number];

type Step =
  | { op: 'invite'; target: Target; challenge: number; then: 'accept' | 'decline' | 'none'; rating: number | null }
  | { op: 'respond'; target: Target; accept: boolean }
  | { op: 'approve' | 'withdraw'; target: Target }
  | { op: 'complete'; target: Target; rating: number | null }
  | { op: 'newChallenge' }
  /** Not a call: fifteen days pass (past UNANSWERED_AFTER_DAYS), so open invitations come due. */
  | { op: 'age' };

const target = fc.constantFrom(...TARGETS);
const rating = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('invite' as const),
      target,
      challenge: fc.nat(6),
      then: fc.constantFrom('accept' as const, 'decline' as const, 'none' as const),
      rating,
    }),
  },
  fc.record({ op: fc.constant('respond' as const), target, accept: fc.boolean() }),
  fc.record({ op: fc.constantFrom('approve' as const, 'withdraw' as const), target }),
  fc.record({ op: fc.constant('complete' as const), target, rating }),
  fc.constant({ op: 'newChallenge' as const }),
  fc.constant({ op: 'age' as const }),
);

interface World {
  ids: Record<Target | 'school', string>;
  challenges: string[];
  key: Record<string, string>;
  attackerSchool: string;
  attackerHub: string;
}

let run = 0;
async function world(attacker: Attacker, approval: boolean): Promise<World> {
  run++;
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  const h = await hub(`Hub H ${run}`);
  const k = await hub(`Hub K ${run}`);
  if (approval) expectData(await t.admin(UpdateHubDocument, { id: h, input: { requiresApproval: true } }));
  const make = async (kind: string, name: string, hubIds: string[]) =>
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: { kind: kind as never, name: `${name} ${run}`, sdgs: [6], expertise: [], countryCode: 'BE', hubIds },
      }),
    ).createStakeholder.id;
  const ids = {
    school: await make('SCHOOL', 'School H', [h]),
    kSchool: await make('SCHOOL', 'School K', [k]),
    rival: await make('UNIVERSITY', 'Rival lab', [h]),
    favourite: await make('UNIVERSITY', 'Favourite lab', [h]),
    kPartner: await make('INDUSTRY', 'K firm', [k]),
    loner: await make('CIVIL_SOCIETY', 'Loner NGO', []),
  };
  const challenge = async (schoolId: string, hubId: string, headers?: Record<string, string>) => {
    const input = { schoolId, hubId, title: 'Clean river', sdgs: [6], expertiseNeeded: [] };
    const r = headers
      ? await t.request(CreateChallengeDocument, { input }, headers)
      : await t.admin(CreateChallengeDocument, { input });
    return expectData(r).createChallenge.id;
  };
  const challenges = [await challenge(ids.school, h), await challenge(ids.school, h), await challenge(ids.kSchool, k)];
  // A history the attacker had no part in: answered and completed by the administrator, some of
  // it left ACCEPTED (the attacker's hub may complete and rate it), one silence long due.
  const past = await challenge(ids.school, h);
  for (const who of TARGETS) {
    const p = expectData(await t.admin(InvitePartnerDocument, { challengeId: past, stakeholderId: ids[who] }))
      .invitePartner.id;
    if (who === 'loner') continue;
    expectData(await t.admin(RespondToInvitationDocument, { partnershipId: p, accept: who !== 'kSchool' }));
    if (who === 'rival') expectData(await t.admin(CompletePartnershipDocument, { partnershipId: p, rating: 4 }));
  }
  await age([ids.loner]);
  const role = attacker === 'portalH' ? 'PORTAL' : 'COORDINATOR';
  const attackerHub = attacker === 'coordK' ? k : h;
  const created = expectData(
    await t.admin(CreateApiKeyDocument, { input: { name: `${attacker} ${run}`, role, hubIds: [attackerHub] } }),
  ).createApiKey;
  return {
    ids,
    challenges,
    key: bearer(created.secret),
    attackerSchool: attacker === 'coordK' ? ids.kSchool : ids.school,
    attackerHub,
  };
}

/** Time passes for these partners' partnerships: every timestamp column moves back 15 days. */
async function age(stakeholderIds: string[]): Promise<void> {
  const columns: { name: string }[] = await t.db.dataSource.query(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_name = 'partnership' AND data_type = 'timestamp with time zone'`,
  );
  const set = columns.map((c) => `${c.name} = ${c.name} - interval '${UNANSWERED_AFTER_DAYS + 1} days'`).join(', ');
  await t.db.dataSource.query(`UPDATE partnership SET ${set} WHERE stakeholder_id = ANY($1::uuid[])`, [stakeholderIds]);
}

async function latest(stakeholderId: string): Promise<string | undefined> {
  const [row]: ({ id: string } | undefined)[] = await t.db.dataSource.query(
    'SELECT id FROM partnership WHERE stakeholder_id = $1 ORDER BY created_at DESC, id LIMIT 1',
    [stakeholderId],
  );
  return row?.id;
}

/** Each partner's track at priors 0, ½ and 1 (the network's prior moves with all its evidence). */
async function tracks(w: World): Promise<Map<string, number[]>> {
  const ids = Object.values(w.ids);
  const records = await trackRecords(t.db.dataSource, ids, UNANSWERED_AFTER_DAYS);
  return new Map(
    ids.map((id) => {
      const { tenths, observations } = evidence(records.get(id) ?? EMPTY_RECORD);
      return [id, [0, 0.5, 1].map((prior) => trackOf(tenths, observations, prior))];
    }),
  );
}

async function play(w: World, steps: Step[]): Promise<void> {
  // The attacker tries everything; what the API refuses (FORBIDDEN, CONFLICT) simply does nothing.
  const send = <T, V>(doc: TypedDocumentNode<T, V>, variables: V) => t.request(doc, variables, w.key);
  for (const s of steps) {
    if (s.op === 'age') await age(Object.values(w.ids));
    else if (s.op === 'newChallenge') {
      const input = {
        schoolId: w.attackerSchool,
        hubId: w.attackerHub,
        title: 'Again',
        sdgs: [6],
        expertiseNeeded: [],
      };
      const r = await send(CreateChallengeDocument, { input });
      if (r.data) w.challenges.push(r.data.createChallenge.id);
    } else if (s.op === 'invite') {
      const challengeId = w.challenges[s.challenge % w.challenges.length];
      const r = await send(InvitePartnerDocument, { challengeId, stakeholderId: w.ids[s.target] });
      const id = r.data?.invitePartner.id;
      if (!id || s.then === 'none') continue;
      await send(RespondToInvitationDocument, { partnershipId: id, accept: s.then === 'accept' });
      if (s.then === 'accept') await send(CompletePartnershipDocument, { partnershipId: id, rating: s.rating });
    } else {
      const partnershipId = await latest(w.ids[s.target]);
      if (!partnershipId) continue;
      if (s.op === 'respond') await send(RespondToInvitationDocument, { partnershipId, accept: s.accept });
      else if (s.op === 'approve') await send(ApproveInvitationDocument, { partnershipId });
      else if (s.op === 'withdraw') await send(WithdrawInvitationDocument, { partnershipId });
      else if (s.op === 'complete') await send(CompletePartnershipDocument, { partnershipId, rating: s.rating });
    }
  }
}

const loop = (target: Target, then: 'accept' | 'decline' | 'none', n: number, rating: number | null = 5): Step[] =>
  Array.from({ length: n }, (_, i) => ({ op: 'invite' as const, target, challenge: i, then, rating }));

describe('no single key moves another partner’s track record by more than TRACK_MOVE_BOUND', () => {
  it('holds for any sequence of one key’s calls, with time passing', async () => {
    expect(TRACK_MOVE_BOUND).toBeLessThan(0.5);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Attacker>('portalH', 'coordH', 'coordK'),
        fc.boolean(),
        fc.array(step, { minLength: 1, maxLength: 14 }),
        async (attacker, approval, steps) => {
          const w = await world(attacker, approval);
          const before = await tracks(w);
          await play(w, steps);
          const after = await tracks(w);
          for (const [id, was] of before) {
            const moved = Math.max(...was.map((x, i) => Math.abs(after.get(id)![i] - x)));
            expect({ id, moved, within: moved <= TRACK_MOVE_BOUND + 1e-12 }).toEqual({ id, moved, within: true });
          }
        },
      ),
      {
        numRuns: 25,
        // The attacks found from outside, each one key's: a portal declining for a rival of its
        // hub again and again (a new challenge each time, and the same pair again); a coordinator's
        // invite → accept → complete(5) loop for a favourite; another hub's coordinator planting
        // silences on partners that are not its own; the hub's own coordinator doing the same.
        examples: [
          ['portalH', false, loop('rival', 'decline', 24)],
          ['coordH', false, loop('favourite', 'accept', 7)],
          [
            'coordK',
            false,
            [...[0, 1, 2, 3].map(() => ({ op: 'newChallenge' as const })), ...loop('rival', 'none', 7), { op: 'age' }],
          ],
          [
            'coordH',
            false,
            [{ op: 'newChallenge' }, { op: 'newChallenge' }, ...loop('rival', 'none', 5), { op: 'age' }],
          ],
        ],
      },
    );
  }, 600_000);
});

describe('whose answer counts, and what is recorded', () => {
  // Partner P belongs to hubs H and K; the challenge is H's (H requires approval where the case says).
  type Answerer = 'admin' | 'portalH' | 'coordH' | 'portalK';
  it.each<[string, 'portalH' | 'coordH' | 'admin', Answerer, boolean]>([
    ['the inviting key answering for the partner', 'portalH', 'portalH', false],
    ['the inviting coordinator answering for the partner', 'coordH', 'coordH', false],
    ['a key of another hub of the partner, not the inviting one', 'portalH', 'portalK', true],
    ['another key of the same hub, not the inviting one', 'coordH', 'portalH', true],
    ['an ADMIN key (the operator, answering as told by phone or mail)', 'portalH', 'admin', true],
  ])('%s (invited by %s, answered by %s): counts %s', async (_what, inviter, answerer, counts) => {
    run++;
    const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
    const [h, k] = [await hub(`Rule H ${run}`), await hub(`Rule K ${run}`)];
    const make = async (kind: string, hubIds: string[]) =>
      expectData(
        await t.admin(CreateStakeholderDocument, {
          input: { kind: kind as never, name: `${kind} ${run}`, sdgs: [6], expertise: [], countryCode: 'BE', hubIds },
        }),
      ).createStakeholder.id;
    const school = await make('SCHOOL', [h]);
    const partner = await make('UNIVERSITY', [h, k]);
    const input = { schoolId: school, hubId: h, title: 'River', sdgs: [6], expertiseNeeded: [] };
    const challengeId = expectData(await t.admin(CreateChallengeDocument, { input })).createChallenge.id;
    const key = async (role: 'PORTAL' | 'COORDINATOR', hubId: string) =>
      bearer(
        expectData(await t.admin(CreateApiKeyDocument, { input: { name: `${role} ${run}`, role, hubIds: [hubId] } }))
          .createApiKey.secret,
      );
    const keys: Record<Answerer, Record<string, string> | null> = {
      admin: null,
      portalH: await key('PORTAL', h),
      coordH: await key('COORDINATOR', h),
      portalK: await key('PORTAL', k),
    };
    const as = <T, V>(who: Answerer, doc: TypedDocumentNode<T, V>, variables: V) =>
      keys[who] ? t.request(doc, variables, keys[who]!) : t.admin(doc, variables);
    const id = expectData(await as(inviter, InvitePartnerDocument, { challengeId, stakeholderId: partner }))
      .invitePartner.id;
    const answered = expectData(await as(answerer, RespondToInvitationDocument, { partnershipId: id, accept: false }));
    // The status changes whoever answered; only the evidence depends on who.
    expect(answered.respondToInvitation.status).toBe('DECLINED');
    const record = (await trackRecords(t.db.dataSource, [partner], UNANSWERED_AFTER_DAYS)).get(partner);
    expect(record?.declines ?? 0).toBe(counts ? 1 : 0);
    const [row]: { by: string | null }[] = await t.db.dataSource.query(
      `SELECT p.answer_counts AS counts, p.answered_by AS by, e.counts AS "eventCounts", e.actor_key_id AS "eventBy"
       FROM partnership p JOIN partnership_event e ON e.partnership_id = p.id AND e.status = 'DECLINED'
       WHERE p.id = $1`,
      [id],
    );
    expect(row).toEqual({ counts, by: expect.any(String), eventCounts: counts, eventBy: row.by });
  });

  it('times an approved proposal from its approval, not from the proposal', async () => {
    run++;
    const h = expectData(await t.admin(CreateHubDocument, { input: { name: `Approval ${run}` } })).createHub.id;
    expectData(await t.admin(UpdateHubDocument, { id: h, input: { requiresApproval: true } }));
    const make = async (kind: string) =>
      expectData(
        await t.admin(CreateStakeholderDocument, {
          input: {
            kind: kind as never,
            name: `${kind} ${run}`,
            sdgs: [6],
            expertise: [],
            countryCode: 'BE',
            hubIds: [h],
          },
        }),
      ).createStakeholder.id;
    const [school, quick, waiting] = [await make('SCHOOL'), await make('UNIVERSITY'), await make('INDUSTRY')];
    const input = { schoolId: school, hubId: h, title: 'River', sdgs: [6], expertiseNeeded: [] };
    const challengeId = expectData(await t.admin(CreateChallengeDocument, { input })).createChallenge.id;
    const portal = bearer(
      expectData(await t.admin(CreateApiKeyDocument, { input: { name: `P ${run}`, role: 'PORTAL', hubIds: [h] } }))
        .createApiKey.secret,
    );
    const propose = async (stakeholderId: string) =>
      expectData(await t.request(InvitePartnerDocument, { challengeId, stakeholderId }, portal)).invitePartner.id;
    const [p1, p2] = [await propose(quick), await propose(waiting)];
    // Proposed three weeks ago; approved today.
    await t.db.dataSource.query(
      `UPDATE partnership SET created_at = now() - interval '21 days' WHERE id = ANY($1::uuid[])`,
      [[p1, p2]],
    );
    for (const p of [p1, p2]) expectData(await t.admin(ApproveInvitationDocument, { partnershipId: p }));
    expectData(await t.admin(RespondToInvitationDocument, { partnershipId: p1, accept: true }));
    const records = await trackRecords(t.db.dataSource, [quick, waiting], UNANSWERED_AFTER_DAYS);
    // Answered the day it went out: prompt. Not yet due: no silence.
    expect(records.get(quick)).toMatchObject({ promptAccepts: 1, lateAccepts: 0, promptAnswers: 1 });
    expect(records.get(waiting)?.unanswered ?? 0).toBe(0);
  });
});
