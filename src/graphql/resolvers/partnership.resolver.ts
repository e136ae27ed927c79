import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { Partnership, PartnershipEvent } from '../../domain/partnership/partnership.entity';
import { invitePartner, respondToInvitation } from '../../domain/partnership/partnership.service';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { idempotencyKey, IdempotencyScope } from '../../domain/idempotency';
import { actorOf, MUTATION_ROLES, requireScope } from '../access';
import { Context } from '../context';

const IDEMPOTENCY = {
  nullable: true,
  description:
    'Any unique string per intended call: a retry with the same key does the work once and returns the first result',
};

function scopeOf(
  ctx: Context,
  operation: string,
  key: string | null | undefined,
  args: Record<string, unknown>,
): IdempotencyScope | undefined {
  const k = idempotencyKey('idempotencyKey', key);
  return k === undefined ? undefined : { caller: ctx.viewer.keyId ?? 'public', operation, key: k, args };
}

@Resolver(() => Partnership)
export class PartnershipResolver {
  @Authorized(MUTATION_ROLES.invitePartner)
  @Mutation(() => Partnership, {
    description:
      'Invites a stakeholder to work on a challenge (ADMIN; COORDINATOR or PORTAL for a challenge of its hubs)',
  })
  async invitePartner(
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Ctx() ctx: Context,
    @Arg('message', () => String, { nullable: true }) message?: string | null,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) key?: string | null,
  ) {
    await requireScope(ctx, 'invitePartner', { challengeId });
    const p = await invitePartner(
      ctx.dataSource.manager,
      challengeId,
      stakeholderId,
      message,
      scopeOf(ctx, 'invitePartner', key, { challengeId, stakeholderId, message }),
      actorOf(ctx),
    );
    return p;
  }

  @Authorized(MUTATION_ROLES.respondToInvitation)
  @Mutation(() => Partnership, {
    description: 'Accepts or declines an invitation (ADMIN; COORDINATOR or PORTAL for an invitee of its hubs)',
  })
  async respondToInvitation(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('accept', () => Boolean) accept: boolean,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) key?: string | null,
  ) {
    await requireScope(ctx, 'respondToInvitation', { partnershipId });
    const p = await respondToInvitation(
      ctx.dataSource.manager,
      partnershipId,
      accept,
      scopeOf(ctx, 'respondToInvitation', key, { partnershipId, accept }),
      actorOf(ctx),
    );
    return p;
  }

  @FieldResolver(() => Challenge)
  challenge(@Root() p: Partnership, @Ctx() { loaders }: Context): Promise<Challenge> {
    return loaders.challenge.load(p.challengeId);
  }

  @FieldResolver(() => Stakeholder)
  stakeholder(@Root() p: Partnership, @Ctx() { loaders }: Context): Promise<Stakeholder> {
    return loaders.stakeholder.load(p.stakeholderId);
  }

  @FieldResolver(() => [PartnershipEvent], { description: 'Every status change, oldest first' })
  history(@Root() p: Partnership, @Ctx() { loaders }: Context): Promise<PartnershipEvent[]> {
    return loaders.historyOfPartnership.load(p.id);
  }
}
