import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { GeoPoint, toGeoPoint } from '../../domain/geo/geo-point';
import { Hub } from '../../domain/hub/hub.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Region } from '../../domain/region/region.entity';
import { Sdg } from '../../domain/sdg/sdg.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { createStakeholder, listStakeholders, updateStakeholder } from '../../domain/stakeholder/stakeholder.service';
import * as v from '../../domain/validate';
import { connectionType } from '../connection';
import { afterCommit, Context } from '../context';
import { CreateStakeholderInput, StakeholderFilter, UpdateStakeholderInput } from '../inputs/stakeholder.input';
import { loadExisting } from '../loaders';

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
    return loaders.stakeholder.load(v.uuid('id', id)).catch(() => null);
  }

  @Query(() => StakeholderConnection)
  async stakeholders(
    @Ctx() { dataSource, viewer }: Context,
    @Args() page: PageArgsInput,
    @Arg('filter', () => StakeholderFilter, { nullable: true }) filter?: StakeholderFilter | null,
  ) {
    const familiesByName = viewer.role === 'ADMIN';
    return StakeholderConnection.from(await listStakeholders(dataSource.manager, filter, page, { familiesByName }));
  }

  @Mutation(() => Stakeholder)
  async createStakeholder(@Arg('input', () => CreateStakeholderInput) input: CreateStakeholderInput, @Ctx() ctx: Context) {
    const s = await createStakeholder(ctx.dataSource.manager, input);
    await afterCommit(ctx, 'match new stakeholder', () => ctx.live.stakeholderChanged(s.id, true));
    return s;
  }

  @Mutation(() => Stakeholder)
  async updateStakeholder(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateStakeholderInput) input: UpdateStakeholderInput,
    @Ctx() ctx: Context,
  ) {
    const s = await updateStakeholder(ctx.dataSource.manager, id, input);
    await afterCommit(ctx, 'match changed stakeholder', () => ctx.live.stakeholderChanged(s.id, false));
    return s;
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() s: Stakeholder, @Ctx() { loaders }: Context): Promise<Region> | null {
    return s.regionCode ? loaders.region.load(s.regionCode) : null;
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

  @FieldResolver(() => [Hub], { description: 'Hubs and networks it belongs to' })
  hubs(@Root() s: Stakeholder, @Ctx() { loaders }: Context): Promise<Hub[]> {
    return loaders.hubsOfStakeholder.load(s.id);
  }

  @FieldResolver(() => [Partnership], { description: 'Invitations to challenges, past and present' })
  partnerships(@Root() s: Stakeholder, @Ctx() { loaders }: Context): Promise<Partnership[]> {
    return loaders.partnershipsOfStakeholder.load(s.id);
  }
}
