import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { GeoPoint, toGeoPoint } from '../../domain/geo/geo-point';
import { Hub } from '../../domain/hub/hub.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Region } from '../../domain/region/region.entity';
import { Sdg } from '../../domain/sdg/sdg.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { Role } from '../../domain/access/role';
import { ServiceArea } from '../../domain/enums';
import { serviceAreaOf } from '../../matching/reach';
import {
  createStakeholder,
  eraseStakeholder,
  listStakeholders,
  updateStakeholder,
} from '../../domain/stakeholder/stakeholder.service';
import { MUTATION_ROLES, requireScope } from '../access';
import * as v from '../../domain/validate';
import { connectionType } from '../connection';
import { Context } from '../context';
import { CreateStakeholderInput, StakeholderFilter, UpdateStakeholderInput } from '../inputs/stakeholder.input';
import { firstDescription, firstOf } from '../list-bounds';
import { loadExisting, loadOrNull } from '../loaders';

export const StakeholderConnection = connectionType('Stakeholder', Stakeholder);

/** Relay forward-pagination arguments. */
@ArgsType()
export class PageArgsInput {
  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page' })
  after?: string | null;
}

@Resolver(() => Stakeholder)
export class StakeholderResolver {
  @Query(() => Stakeholder, { nullable: true })
  stakeholder(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Stakeholder | null> {
    return loadOrNull(loaders.stakeholder, v.uuid('id', id));
  }

  @Query(() => StakeholderConnection)
  async stakeholders(
    @Ctx() { dataSource, viewer }: Context,
    @Args() page: PageArgsInput,
    @Arg('filter', () => StakeholderFilter, { nullable: true }) filter?: StakeholderFilter | null,
  ) {
    // Families are found by name only by those who may see their names.
    const familiesByName =
      viewer.role === Role.ADMIN ? 'all' : viewer.role === Role.COORDINATOR ? viewer.hubIds : 'none';
    return StakeholderConnection.from(await listStakeholders(dataSource.manager, filter, page, { familiesByName }));
  }

  @Authorized(MUTATION_ROLES.createStakeholder)
  @Mutation(() => Stakeholder, {
    description:
      'ADMIN, or a COORDINATOR for its own hubs (input.hubIds). A likely duplicate of a stored stakeholder ' +
      '(same normalised name within 5 km, or same website host) is refused with CONFLICT and ' +
      '`extensions.existingIds`, unless `input.allowDuplicate` is true',
  })
  async createStakeholder(
    @Arg('input', () => CreateStakeholderInput) input: CreateStakeholderInput,
    @Ctx() ctx: Context,
  ) {
    await requireScope(ctx, 'createStakeholder', { hubIds: input.hubIds ?? [] });
    // A likely duplicate is named only to whom may see it: a family, to its hubs' coordinators.
    const families = ctx.viewer.role === Role.ADMIN ? 'all' : ctx.viewer.hubIds;
    const s = await createStakeholder(ctx.dataSource.manager, input, { families });
    return s;
  }

  @Authorized(MUTATION_ROLES.updateStakeholder)
  @Mutation(() => Stakeholder, { description: 'ADMIN, or a COORDINATOR of a hub it belongs to' })
  async updateStakeholder(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateStakeholderInput) input: UpdateStakeholderInput,
    @Ctx() ctx: Context,
  ) {
    await requireScope(ctx, 'updateStakeholder', { stakeholderId: id });
    const s = await updateStakeholder(ctx.dataSource.manager, id, input);
    return s;
  }

  @Authorized(MUTATION_ROLES.eraseStakeholder)
  @Mutation(() => Stakeholder, {
    description:
      'ADMIN, or a COORDINATOR of a hub it belongs to: removes its personal data for good; ' +
      'its partnerships stay, anonymous',
  })
  async eraseStakeholder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await requireScope(ctx, 'eraseStakeholder', { stakeholderId: id });
    const erased = await eraseStakeholder(ctx.dataSource.manager, id);
    return erased;
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() s: Stakeholder, @Ctx() { loaders }: Context): Promise<Region> | null {
    return s.regionCode ? loaders.region.load(s.regionCode) : null;
  }

  @FieldResolver(() => ServiceArea, { description: 'How far it reaches: its own choice, or the default of its kind' })
  serviceArea(@Root() s: Stakeholder): ServiceArea {
    return serviceAreaOf(s.kind, s.serviceArea);
  }

  @FieldResolver(() => GeoPoint, { nullable: true })
  location(@Root() s: Stakeholder): GeoPoint | null {
    return toGeoPoint(s.latitude, s.longitude);
  }

  @FieldResolver(() => [Sdg])
  sdgs(@Root() s: Stakeholder, @Ctx() { loaders }: Context): Promise<Sdg[]> {
    return loadExisting(loaders.sdg, s.sdgIds);
  }

  @FieldResolver(() => [Expertise])
  expertise(@Root() s: Stakeholder, @Ctx() { loaders }: Context): Promise<Expertise[]> {
    return loadExisting(loaders.expertise, s.expertiseIds);
  }

  @FieldResolver(() => [Hub], { description: 'Hubs and networks it belongs to, by name' })
  async hubs(
    @Root() s: Stakeholder,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Stakeholder.hubs') })
    first?: number | null,
  ): Promise<Hub[]> {
    return firstOf('Stakeholder.hubs', first, await loaders.hubsOfStakeholder.load(s.id));
  }

  @FieldResolver(() => [Partnership], { description: 'Invitations to challenges, past and present, oldest first' })
  async partnerships(
    @Root() s: Stakeholder,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Stakeholder.partnerships') })
    first?: number | null,
  ): Promise<Partnership[]> {
    return firstOf('Stakeholder.partnerships', first, await loaders.partnershipsOfStakeholder.load(s.id));
  }
}
