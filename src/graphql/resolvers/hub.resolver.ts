import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { Hub, HubCoordinator } from '../../domain/hub/hub.entity';
import { addHubMembers, createHub } from '../../domain/hub/hub.service';
import { Mission } from '../../domain/mission/mission.entity';
import { createMission } from '../../domain/mission/mission.service';
import { Region } from '../../domain/region/region.entity';
import { Sdg } from '../../domain/sdg/sdg.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import * as v from '../../domain/validate';
import { MUTATION_ROLES, requireScope } from '../access';
import { Context } from '../context';
import { CreateHubInput, CreateMissionInput } from '../inputs/hub.input';
import { firstDescription, firstOf, pageSize } from '../list-bounds';
import { loadExisting, loadOrNull } from '../loaders';

@Resolver(() => Hub)
export class HubResolver {
  @Query(() => [Hub], { description: 'Hubs and networks, by name' })
  hubs(
    @Ctx() { dataSource }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Query.hubs') }) first?: number | null,
  ): Promise<Hub[]> {
    return dataSource
      .getRepository(Hub)
      .find({ order: { name: 'ASC', id: 'ASC' }, take: pageSize('Query.hubs', first) });
  }

  @Query(() => Hub, { nullable: true })
  hub(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Hub | null> {
    return loadOrNull(loaders.hub, v.uuid('id', id));
  }

  @Authorized(MUTATION_ROLES.createHub)
  @Mutation(() => Hub, { description: 'ADMIN: a new hub or network' })
  createHub(@Arg('input', () => CreateHubInput) input: CreateHubInput, @Ctx() { dataSource }: Context) {
    return createHub(dataSource.manager, input);
  }

  @Authorized(MUTATION_ROLES.addHubMembers)
  @Mutation(() => Hub, {
    description: 'ADMIN, or a COORDINATOR of that hub for stakeholders it already manages through its hubs',
  })
  async addHubMembers(
    @Arg('hubId', () => ID) hubId: string,
    @Arg('stakeholderIds', () => [ID]) stakeholderIds: string[],
    @Ctx() ctx: Context,
  ) {
    await requireScope(ctx, 'addHubMembers', { hubIds: [hubId] });
    // A membership grants the hub's coordinators rights over the member, so only someone who
    // already holds those rights may make one (never a way in to another hub's stakeholders).
    await requireScope(ctx, 'addHubMembers', { stakeholderIds });
    return addHubMembers(ctx.dataSource.manager, hubId, stakeholderIds);
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() h: Hub, @Ctx() { loaders }: Context): Promise<Region> | null {
    return h.regionCode ? loaders.region.load(h.regionCode) : null;
  }

  @FieldResolver(() => [Stakeholder], { description: 'Members by name (families last)' })
  async members(
    @Root() h: Hub,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Hub.members') }) first?: number | null,
  ): Promise<Stakeholder[]> {
    return firstOf('Hub.members', first, await loaders.membersOfHub.load(h.id));
  }

  @FieldResolver(() => [HubCoordinator])
  coordinators(@Root() h: Hub, @Ctx() { loaders }: Context): Promise<HubCoordinator[]> {
    return loaders.coordinatorsOfHub.load(h.id);
  }
}

@Resolver(() => Mission)
export class MissionResolver {
  @Query(() => [Mission])
  missions(
    @Ctx() { dataSource }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Query.missions') }) first?: number | null,
  ): Promise<Mission[]> {
    return dataSource
      .getRepository(Mission)
      .find({ order: { title: 'ASC', id: 'ASC' }, take: pageSize('Query.missions', first) });
  }

  @Query(() => Mission, { nullable: true })
  mission(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Mission | null> {
    return loadOrNull(loaders.mission, v.uuid('id', id));
  }

  @Authorized(MUTATION_ROLES.createMission)
  @Mutation(() => Mission, { description: 'ADMIN or COORDINATOR: a mission shared across hubs' })
  createMission(@Arg('input', () => CreateMissionInput) input: CreateMissionInput, @Ctx() { dataSource }: Context) {
    return createMission(dataSource.manager, input);
  }

  @FieldResolver(() => [Sdg])
  sdgs(@Root() m: Mission, @Ctx() { loaders }: Context): Promise<Sdg[]> {
    return loadExisting(loaders.sdg, m.sdgIds);
  }

  @FieldResolver(() => [Challenge], { description: 'Its challenges, oldest first' })
  async challenges(
    @Root() m: Mission,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Mission.challenges') })
    first?: number | null,
  ): Promise<Challenge[]> {
    return firstOf('Mission.challenges', first, await loaders.challengesOfMission.load(m.id));
  }
}
