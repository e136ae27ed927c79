import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { CheckType, PupilContact } from '../../domain/enums';
import { notFound } from '../../domain/errors';
import { Hub } from '../../domain/hub/hub.entity';
import { SafeguardingCheck } from '../../domain/safeguarding/safeguarding-check.entity';
import { recordCheck, verifyCheck, withdrawCheck } from '../../domain/safeguarding/safeguarding.service';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import * as v from '../../domain/validate';
import { defaultCheckTypes } from '../../matching/safeguarding';
import { actorOf, MUTATION_ROLES, requireScope } from '../access';
import { Context } from '../context';
import { RecordSafeguardingCheckInput } from '../inputs/safeguarding.input';

@ObjectType({ description: "A hub's safeguarding policy: the rule its challenges' suggestions follow" })
export class SafeguardingPolicy {
  @Field(() => [PupilContact], { description: 'Contact levels whose partners need a check' })
  contactLevels: PupilContact[];

  @Field(() => [CheckType], { description: 'Check types that count' })
  checkTypes: CheckType[];

  @Field({ description: "Whether checkTypes are the defaults of the hub's country (none were set)" })
  checkTypesFromCountry: boolean;

  @Field(() => Int, { description: 'How old a check may be, in months (judged at the planned end)' })
  maxAgeMonths: number;
}

/** The check a write is about, or NOT_FOUND naming `id`. */
async function stakeholderOfCheck(ctx: Context, id: string): Promise<string> {
  const [row]: { stakeholderId: string }[] = await ctx.dataSource.query(
    'SELECT stakeholder_id AS "stakeholderId" FROM safeguarding_check WHERE id = $1',
    [v.uuid('id', id)],
  );
  if (!row) throw notFound('SafeguardingCheck', id, 'id');
  return row.stakeholderId;
}

@Resolver(() => SafeguardingCheck)
export class SafeguardingResolver {
  @Authorized(MUTATION_ROLES.recordSafeguardingCheck)
  @Mutation(() => SafeguardingCheck, {
    description:
      'Records a safeguarding check (unverified: it counts once a coordinator verifies it). ADMIN, or a ' +
      "COORDINATOR or PORTAL key of one of the stakeholder's hubs",
  })
  async recordSafeguardingCheck(
    @Arg('input', () => RecordSafeguardingCheckInput) input: RecordSafeguardingCheckInput,
    @Ctx() ctx: Context,
  ): Promise<SafeguardingCheck> {
    await requireScope(ctx, 'recordSafeguardingCheck', {
      stakeholderId: v.uuid('input.stakeholderId', input.stakeholderId),
    });
    return recordCheck(ctx.dataSource.manager, input, actorOf(ctx));
  }

  @Authorized(MUTATION_ROLES.verifySafeguardingCheck)
  @Mutation(() => SafeguardingCheck, {
    description: "Verifies a check, under the verifier's name: ADMIN, or a COORDINATOR of one of the holder's hubs",
  })
  async verifySafeguardingCheck(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SafeguardingCheck> {
    await requireScope(ctx, 'verifySafeguardingCheck', { stakeholderId: await stakeholderOfCheck(ctx, id) });
    return verifyCheck(ctx.dataSource.manager, id, actorOf(ctx));
  }

  @Authorized(MUTATION_ROLES.withdrawSafeguardingCheck)
  @Mutation(() => SafeguardingCheck, {
    description: "Withdraws a check: ADMIN, or a COORDINATOR of one of the holder's hubs",
  })
  async withdrawSafeguardingCheck(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SafeguardingCheck> {
    await requireScope(ctx, 'withdrawSafeguardingCheck', { stakeholderId: await stakeholderOfCheck(ctx, id) });
    return withdrawCheck(ctx.dataSource.manager, id, actorOf(ctx));
  }
}

@Resolver(() => Stakeholder)
export class StakeholderChecksResolver {
  @FieldResolver(() => [SafeguardingCheck], {
    nullable: true,
    description:
      'Its safeguarding checks, newest first: ADMIN and the coordinators of its hubs; null for everyone ' +
      'else, whether or not it holds one',
  })
  safeguardingChecks(@Root() s: Stakeholder, @Ctx() ctx: Context): Promise<SafeguardingCheck[]> {
    return ctx.loaders.checksOfStakeholder.load(s.id);
  }
}

@Resolver(() => Hub)
export class HubPolicyResolver {
  @FieldResolver(() => SafeguardingPolicy, { description: 'Which partners need a safeguarding check, and which count' })
  safeguardingPolicy(@Root() hub: Hub): SafeguardingPolicy {
    const country = hub.regionCode ? hub.regionCode.slice(0, 2) : null;
    return Object.assign(new SafeguardingPolicy(), {
      contactLevels: hub.checkContactLevels,
      checkTypes: hub.checkTypes?.length ? hub.checkTypes : defaultCheckTypes(country),
      checkTypesFromCountry: !hub.checkTypes?.length,
      maxAgeMonths: hub.checkMaxAgeMonths,
    });
  }
}
