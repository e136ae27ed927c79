import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { countActivity, listActivity } from '../../domain/brokering/activity.service';
import { hubBoard } from '../../domain/brokering/board.service';
import { safeguardingBoard } from '../../domain/safeguarding/safeguarding-board';
import { Activity, Dismissal, ShortlistEntry } from '../../domain/brokering/brokering.entity';
import {
  approveInvitation,
  completePartnership,
  updateHub,
  withdrawInvitation,
} from '../../domain/brokering/outcome.service';
import {
  dismissSuggestion,
  removeFromShortlist,
  shortlistPartner,
  undoDismissal,
} from '../../domain/brokering/shortlist.service';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { CheckType, DismissReason } from '../../domain/enums';
import { Hub } from '../../domain/hub/hub.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import * as v from '../../domain/validate';
import { actorOf, MUTATION_ROLES, QUERY_ROLES, requireScope } from '../access';
import { DomainError, DomainErrorCode } from '../../domain/errors';
import { Role } from '../../domain/access/role';
import { connectionType } from '../connection';
import { Context } from '../context';
import { UpdateHubInput } from '../inputs/hub.input';
import { firstDescription, firstOf, pageSize } from '../list-bounds';
import { loadExisting, loadOrNull } from '../loaders';
import { HubBoard } from '../types/board.type';
import { Match } from '../types/match.type';
import { managedThroughSchool, managingHubs } from '../../domain/challenge/managing-hubs';
import { nextBestPartners } from '../../matching/next-best';

export const ActivityConnection = connectionType('Activity', Activity);

const pair = (challengeId: string, stakeholderId: string, ctx: Context) => ({
  challengeId,
  stakeholderId,
  actor: actorOf(ctx),
});

/** Rights over a partnership's challenge decide who approves, withdraws and completes it. */
async function requirePartnershipScope(ctx: Context, operation: string, partnershipId: string): Promise<void> {
  const p = await loadOrNull(ctx.loaders.partnership, v.uuid('partnershipId', partnershipId));
  // An unknown id is reported by the service, inside its transaction, with the usual NOT_FOUND.
  if (p) await requireScope(ctx, operation, { challengeId: p.challengeId });
}

/** After a status change commits: who is free for the challenge changed (match index, other instances). */
async function changed(ctx: Context, p: Partnership): Promise<Partnership> {
  return p;
}

/** Refuses a viewer who does not coordinate the challenge: the same rule that shows its working lists. */
async function requireCoordinates(ctx: Context, operation: string, challengeId: string): Promise<void> {
  await requireScope(ctx, operation, { challengeId });
  const c = await loadOrNull(ctx.loaders.challenge, v.uuid('challengeId', challengeId));
  if (c && !(await coordinates(ctx, c))) {
    throw new DomainError(
      DomainErrorCode.Forbidden,
      `${operation}: this ${ctx.viewer.role} key does not act for the hub of that challenge`,
    );
  }
}

/** Whether the viewer coordinates the challenge (or is ADMIN): shortlists and dismissals are theirs. */
async function coordinates(ctx: Context, c: Challenge): Promise<boolean> {
  if (ctx.viewer.role === Role.ADMIN) return true;
  if (ctx.viewer.role !== Role.COORDINATOR) return false;
  if (!managedThroughSchool(c)) return managingHubs(c, []).some((h) => ctx.viewer.hubIds.includes(h));
  // Only a refusal means "not theirs": a failed read is a failure, never an empty list.
  return requireScope(ctx, 'shortlist', { challengeId: c.id }).then(
    () => true,
    (error) => {
      if (error instanceof DomainError && error.code === DomainErrorCode.Forbidden) return false;
      throw error;
    },
  );
}

@Resolver()
export class BrokeringResolver {
  @Authorized(MUTATION_ROLES.shortlistPartner)
  @Mutation(() => ShortlistEntry, { description: 'ADMIN, or a COORDINATOR of the challenge: keep a partner in mind' })
  async shortlistPartner(
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ) {
    await requireCoordinates(ctx, 'shortlistPartner', challengeId);
    return shortlistPartner(ctx.dataSource.manager, { ...pair(challengeId, stakeholderId, ctx), note });
  }

  @Authorized(MUTATION_ROLES.removeFromShortlist)
  @Mutation(() => Boolean, {
    description: 'ADMIN, or a COORDINATOR of the challenge; false when it was not shortlisted',
  })
  async removeFromShortlist(
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Ctx() ctx: Context,
  ) {
    await requireCoordinates(ctx, 'removeFromShortlist', challengeId);
    return removeFromShortlist(ctx.dataSource.manager, pair(challengeId, stakeholderId, ctx));
  }

  @Authorized(MUTATION_ROLES.dismissSuggestion)
  @Mutation(() => Dismissal, {
    description:
      'ADMIN, or a COORDINATOR of the challenge: rule a partner out; it is not suggested for this challenge again',
  })
  async dismissSuggestion(
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Arg('reason', () => DismissReason) reason: DismissReason,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ) {
    await requireCoordinates(ctx, 'dismissSuggestion', challengeId);
    const d = await dismissSuggestion(ctx.dataSource.manager, {
      ...pair(challengeId, stakeholderId, ctx),
      reason,
      note,
    });
    return d;
  }

  @Authorized(MUTATION_ROLES.undoDismissal)
  @Mutation(() => Boolean, { description: 'ADMIN, or a COORDINATOR of the challenge; false when it was not dismissed' })
  async undoDismissal(
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Ctx() ctx: Context,
  ) {
    await requireCoordinates(ctx, 'undoDismissal', challengeId);
    const undone = await undoDismissal(ctx.dataSource.manager, pair(challengeId, stakeholderId, ctx));
    return undone;
  }

  @Authorized(MUTATION_ROLES.approveInvitation)
  @Mutation(() => Partnership, {
    description: "ADMIN, or a COORDINATOR of the challenge: a portal's PROPOSED introduction goes out",
  })
  async approveInvitation(@Arg('partnershipId', () => ID) partnershipId: string, @Ctx() ctx: Context) {
    await requirePartnershipScope(ctx, 'approveInvitation', partnershipId);
    return changed(ctx, await approveInvitation(ctx.dataSource.manager, { partnershipId, actor: actorOf(ctx) }));
  }

  @Authorized(MUTATION_ROLES.withdrawInvitation)
  @Mutation(() => Partnership, {
    description: 'ADMIN, or a COORDINATOR of the challenge: take back an unanswered introduction',
  })
  async withdrawInvitation(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ) {
    await requirePartnershipScope(ctx, 'withdrawInvitation', partnershipId);
    return changed(ctx, await withdrawInvitation(ctx.dataSource.manager, { partnershipId, note, actor: actorOf(ctx) }));
  }

  @Authorized(MUTATION_ROLES.completePartnership)
  @Mutation(() => Partnership, {
    description:
      "ADMIN, or a COORDINATOR of the challenge (the school's side): an ACCEPTED partnership is done; rating 1 to 5",
  })
  async completePartnership(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Ctx() ctx: Context,
    @Arg('rating', () => Int, { nullable: true }) rating?: number | null,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ) {
    await requirePartnershipScope(ctx, 'completePartnership', partnershipId);
    return changed(
      ctx,
      await completePartnership(ctx.dataSource.manager, { partnershipId, rating, note, actor: actorOf(ctx) }),
    );
  }

  @Authorized(MUTATION_ROLES.updateHub)
  @Mutation(() => Hub, { description: 'ADMIN, or a COORDINATOR of that hub' })
  async updateHub(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateHubInput) input: UpdateHubInput,
    @Ctx() ctx: Context,
  ) {
    await requireScope(ctx, 'updateHub', { hubIds: [id] });
    return updateHub(ctx.dataSource.manager, id, input, actorOf(ctx));
  }

  @Authorized(QUERY_ROLES.hubBoard)
  @Query(() => HubBoard, { description: "ADMIN, or a COORDINATOR of the hub: the coordinator's board" })
  async hubBoard(@Arg('hubId', () => ID) hubId: string, @Ctx() ctx: Context): Promise<HubBoard> {
    await requireScope(ctx, 'hubBoard', { hubIds: [hubId] });
    const board = await hubBoard(ctx.dataSource.manager, hubId);
    const safeguarding = await safeguardingBoard(ctx.dataSource.manager, v.uuid('hubId', hubId));
    const { loaders } = ctx;
    const challenge = (id: string) => loaders.challenge.load(id);
    return Object.assign(new HubBoard(), {
      hub: await loaders.hub.load(v.uuid('hubId', hubId)),
      openChallenges: await Promise.all(
        board.openChallenges.map(async (c) => ({ ...c, challenge: await challenge(c.challengeId) })),
      ),
      waitingLongest: await Promise.all(
        board.waitingLongest.map(async (w) => ({ ...w, partnership: await loaders.partnership.load(w.partnershipId) })),
      ),
      teamGaps: await Promise.all(
        board.teamGaps.map(async (g) => ({
          challenge: await challenge(g.challengeId),
          missingExpertise: await loadExisting(loaders.expertise, g.missingExpertiseIds),
          missingKinds: g.missingKinds,
        })),
      ),
      nearCapacity: await Promise.all(
        board.nearCapacity.map(async (n) => ({ ...n, stakeholder: await loaders.stakeholder.load(n.stakeholderId) })),
      ),
      quietChallenges: await Promise.all(
        board.quietChallenges.map(async (q) => ({ ...q, challenge: await challenge(q.challengeId) })),
      ),
      needsNextPartner: await Promise.all(
        board.needsNextPartner.map(async (n) => ({
          challenge: await challenge(n.challengeId),
          partnership: await loaders.partnership.load(n.partnershipId),
          suggestions: (await nextBestPartners(ctx.index, ctx.dataSource, n.challengeId)).map((m) => Match.from(m)),
        })),
      ),
      checksExpiring: await Promise.all(
        safeguarding.checksExpiring.map(async (k) => ({
          ...k,
          stakeholder: await loaders.stakeholder.load(k.stakeholderId),
        })),
      ),
      uncheckedPartnerships: await Promise.all(
        safeguarding.uncheckedPartnerships.map(async (u) => ({
          challenge: await challenge(u.challengeId),
          partnership: await loaders.partnership.load(u.partnershipId),
        })),
      ),
    });
  }

  @Authorized(QUERY_ROLES.activity)
  @Query(() => ActivityConnection, {
    description: "ADMIN, or a COORDINATOR of the hub: the hub's audit trail, newest first",
  })
  async activity(
    @Arg('hubId', () => ID) hubId: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Query.activity') }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    await requireScope(ctx, 'activity', { hubIds: [hubId] });
    const page = await listActivity(ctx.dataSource.manager, hubId, { first: pageSize('Query.activity', first), after });
    return ActivityConnection.from({
      ...page,
      hasPreviousPage: Boolean(after),
      totalCount: () => countActivity(ctx.dataSource.manager, hubId),
    });
  }
}

@Resolver(() => Activity)
export class ActivityResolver {
  @FieldResolver(() => Challenge, { nullable: true })
  challenge(@Root() a: Activity, @Ctx() { loaders }: Context) {
    return a.challengeId ? loaders.challenge.load(a.challengeId) : null;
  }

  @FieldResolver(() => Stakeholder, { nullable: true })
  stakeholder(@Root() a: Activity, @Ctx() { loaders }: Context) {
    return a.stakeholderId ? loaders.stakeholder.load(a.stakeholderId) : null;
  }

  @FieldResolver(() => Partnership, { nullable: true })
  partnership(@Root() a: Activity, @Ctx() { loaders }: Context) {
    return a.partnershipId ? loaders.partnership.load(a.partnershipId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why, for a dismissal' })
  reason(@Root() a: Activity) {
    return a.detail?.reason ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'The rating, for a completion' })
  rating(@Root() a: Activity) {
    return a.detail?.rating ?? null;
  }

  @FieldResolver(() => CheckType, {
    nullable: true,
    description: "The check's type, for a safeguarding check recorded, verified or withdrawn",
  })
  checkType(@Root() a: Activity) {
    return a.detail?.checkType ?? null;
  }
}

@Resolver(() => ShortlistEntry)
export class ShortlistEntryResolver {
  @FieldResolver(() => Stakeholder)
  stakeholder(@Root() e: ShortlistEntry, @Ctx() { loaders }: Context) {
    return loaders.stakeholder.load(e.stakeholderId);
  }

  @FieldResolver(() => Challenge)
  challenge(@Root() e: ShortlistEntry, @Ctx() { loaders }: Context) {
    return loaders.challenge.load(e.challengeId);
  }
}

@Resolver(() => Dismissal)
export class DismissalResolver {
  @FieldResolver(() => Stakeholder)
  stakeholder(@Root() e: Dismissal, @Ctx() { loaders }: Context) {
    return loaders.stakeholder.load(e.stakeholderId);
  }

  @FieldResolver(() => Challenge)
  challenge(@Root() e: Dismissal, @Ctx() { loaders }: Context) {
    return loaders.challenge.load(e.challengeId);
  }
}

/** A challenge's shortlist and dismissals: its coordinators' working lists, empty for anyone else. */
@Resolver(() => Challenge)
export class ChallengeBrokeringResolver {
  @FieldResolver(() => [ShortlistEntry], { description: "Its coordinators' shortlist (empty for other viewers)" })
  async shortlist(
    @Root() c: Challenge,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Challenge.shortlist') })
    first?: number | null,
  ) {
    if (!(await coordinates(ctx, c))) return [];
    return firstOf('Challenge.shortlist', first, await ctx.loaders.shortlistOfChallenge.load(c.id));
  }

  @FieldResolver(() => [Dismissal], { description: 'Partners its coordinators ruled out (empty for other viewers)' })
  async dismissals(
    @Root() c: Challenge,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Challenge.dismissals') })
    first?: number | null,
  ) {
    if (!(await coordinates(ctx, c))) return [];
    return firstOf('Challenge.dismissals', first, await ctx.loaders.dismissalsOfChallenge.load(c.id));
  }
}

/** Marks shortlisted partners in suggestions, for the coordinators who keep the shortlist. */
@Resolver(() => Match)
export class MatchBrokeringResolver {
  @FieldResolver(() => Boolean, {
    description: "On the challenge's shortlist (shown to its coordinators; false for others)",
  })
  async shortlisted(@Root() m: Match, @Ctx() ctx: Context): Promise<boolean> {
    const challenge = await ctx.loaders.challenge.load(m.data.challengeId);
    if (!(await coordinates(ctx, challenge))) return false;
    const entries = await ctx.loaders.shortlistOfChallenge.load(challenge.id);
    return entries.some((e) => e.stakeholderId === m.data.stakeholderId);
  }
}
