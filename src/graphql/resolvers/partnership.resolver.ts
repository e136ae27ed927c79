import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { Partnership, PartnershipEvent } from '../../domain/partnership/partnership.entity';
import { invitePartner, respondToInvitation } from '../../domain/partnership/partnership.service';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { Context } from '../context';

@Resolver(() => Partnership)
export class PartnershipResolver {
  @Mutation(() => Partnership, { description: 'Invites a stakeholder to work on a challenge' })
  invitePartner(
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Ctx() { dataSource }: Context,
    @Arg('message', () => String, { nullable: true }) message?: string | null,
  ) {
    return invitePartner(dataSource.manager, challengeId, stakeholderId, message);
  }

  @Mutation(() => Partnership, { description: 'Accepts or declines an invitation' })
  respondToInvitation(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('accept', () => Boolean) accept: boolean,
    @Ctx() { dataSource }: Context,
  ) {
    return respondToInvitation(dataSource.manager, partnershipId, accept);
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
