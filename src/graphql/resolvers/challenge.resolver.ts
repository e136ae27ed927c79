import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { createChallenge, listChallenges, updateChallenge } from '../../domain/challenge/challenge.service';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { GeoPoint, toGeoPoint } from '../../domain/geo/geo-point';
import { Hub } from '../../domain/hub/hub.entity';
import { Mission } from '../../domain/mission/mission.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Region } from '../../domain/region/region.entity';
import { Sdg } from '../../domain/sdg/sdg.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import * as v from '../../domain/validate';
import { MUTATION_ROLES, requireScope } from '../access';
import { connectionType } from '../connection';
import { Context } from '../context';
import { ChallengeFilter, CreateChallengeInput, UpdateChallengeInput } from '../inputs/challenge.input';
import { firstDescription, firstOf } from '../list-bounds';
import { loadExisting, loadOrNull } from '../loaders';
import { PageArgsInput } from './stakeholder.resolver';
import { hubsManagingChallenge } from '../../domain/challenge/managing-hubs';

export const ChallengeConnection = connectionType('Challenge', Challenge);

@Resolver(() => Challenge)
export class ChallengeResolver {
  @Query(() => Challenge, { nullable: true })
  challenge(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Challenge | null> {
    return loadOrNull(loaders.challenge, v.uuid('id', id));
  }

  @Query(() => ChallengeConnection)
  async challenges(
    @Ctx() { dataSource }: Context,
    @Args() page: PageArgsInput,
    @Arg('filter', () => ChallengeFilter, { nullable: true }) filter?: ChallengeFilter | null,
  ) {
    return ChallengeConnection.from(await listChallenges(dataSource.manager, filter, page));
  }

  @Authorized(MUTATION_ROLES.createChallenge)
  @Mutation(() => Challenge, {
    description: 'ADMIN, or a COORDINATOR for a school of its hubs (and, if given, a hub of its own)',
  })
  async createChallenge(@Arg('input', () => CreateChallengeInput) input: CreateChallengeInput, @Ctx() ctx: Context) {
    // The school must be one the caller manages, whatever hub the challenge is filed under.
    await requireScope(ctx, 'createChallenge', { stakeholderId: input.schoolId });
    if (input.hubId) await requireScope(ctx, 'createChallenge', { hubIds: [input.hubId] });
    const c = await createChallenge(ctx.dataSource.manager, input);
    return c;
  }

  @Authorized(MUTATION_ROLES.updateChallenge)
  @Mutation(() => Challenge, { description: 'ADMIN, or a COORDINATOR of its hub or of its school’s hubs' })
  async updateChallenge(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateChallengeInput) input: UpdateChallengeInput,
    @Ctx() ctx: Context,
  ) {
    await requireScope(ctx, 'updateChallenge', { challengeId: id });
    // Moving a challenge needs the right to the hub it goes to, and to every hub that manages it
    // now: its hub (whose coordinators own its shortlist and dismissals), or, for one filed under
    // no hub, each of its school's hubs — one of them may not take it from the others.
    if (input.hubId) await requireScope(ctx, 'updateChallenge', { hubIds: [input.hubId] });
    if (input.hubId !== undefined) {
      // A challenge that does not exist is reported by the service with the usual NOT_FOUND.
      const current = await loadOrNull(ctx.loaders.challenge, v.uuid('id', id));
      if (current && current.hubId !== input.hubId) {
        const managing = (await hubsManagingChallenge(ctx.dataSource.manager, current.id)) ?? [];
        if (managing.length) await requireScope(ctx, 'updateChallenge', { hubIds: managing });
      }
    }
    const c = await updateChallenge(ctx.dataSource.manager, id, input);
    return c;
  }

  @FieldResolver(() => Stakeholder, { description: 'The school that posed it' })
  school(@Root() c: Challenge, @Ctx() { loaders }: Context): Promise<Stakeholder> {
    return loaders.stakeholder.load(c.schoolId);
  }

  @FieldResolver(() => Hub, { nullable: true })
  hub(@Root() c: Challenge, @Ctx() { loaders }: Context): Promise<Hub> | null {
    return c.hubId ? loaders.hub.load(c.hubId) : null;
  }

  @FieldResolver(() => Mission, { nullable: true })
  mission(@Root() c: Challenge, @Ctx() { loaders }: Context): Promise<Mission> | null {
    return c.missionId ? loaders.mission.load(c.missionId) : null;
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() c: Challenge, @Ctx() { loaders }: Context): Promise<Region> | null {
    return c.regionCode ? loaders.region.load(c.regionCode) : null;
  }

  @FieldResolver(() => GeoPoint, { nullable: true })
  location(@Root() c: Challenge): GeoPoint | null {
    return toGeoPoint(c.latitude, c.longitude);
  }

  @FieldResolver(() => [Sdg])
  sdgs(@Root() c: Challenge, @Ctx() { loaders }: Context): Promise<Sdg[]> {
    return loadExisting(loaders.sdg, c.sdgIds);
  }

  @FieldResolver(() => [Expertise])
  expertiseNeeded(@Root() c: Challenge, @Ctx() { loaders }: Context): Promise<Expertise[]> {
    return loadExisting(loaders.expertise, c.expertiseNeededIds);
  }

  @FieldResolver(() => [Partnership], { description: 'Invitations, oldest first' })
  async partnerships(
    @Root() c: Challenge,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Challenge.partnerships') })
    first?: number | null,
  ): Promise<Partnership[]> {
    return firstOf('Challenge.partnerships', first, await loaders.partnershipsOfChallenge.load(c.id));
  }
}
