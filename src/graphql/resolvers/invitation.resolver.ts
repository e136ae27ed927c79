import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { draftInvitation } from '../../domain/brokering/invitation-template';
import { Language } from '../../domain/language';
import { DomainError, DomainErrorCode, notFound } from '../../domain/errors';
import { publicName } from '../../domain/stakeholder/privacy';
import * as v from '../../domain/validate';
import { matchOfPairOnIndex } from '../../matching/suggest.service';
import { QUERY_ROLES, requireScope } from '../access';
import { Context } from '../context';
import { loadExisting } from '../loaders';
import { argumentsOf } from '../match-reasons';

@Resolver()
export class InvitationResolver {
  @Authorized(QUERY_ROLES.invitationDraft)
  @Query(() => String, {
    description:
      'ADMIN, or a COORDINATOR or PORTAL key of the challenge’s hub: a first draft of an invitation’s message ' +
      '(EN, NL or FR; default the request’s Accept-Language) naming the challenge, the school and the reasons ' +
      'of the match — to edit, then send as invitePartner’s message',
  })
  async invitationDraft(
    @Ctx() ctx: Context,
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Arg('lang', () => Language, { nullable: true }) lang?: Language | null,
  ): Promise<string> {
    const ids = {
      challengeId: v.uuid('challengeId', challengeId),
      stakeholderId: v.uuid('stakeholderId', stakeholderId),
    };
    await requireScope(ctx, 'invitationDraft', { challengeId: ids.challengeId });
    if (!ctx.index.loaded)
      throw new DomainError(DomainErrorCode.ServiceUnavailable, 'The match index is still loading; retry shortly');
    const [challenge] = await loadExisting(ctx.loaders.challenge, [ids.challengeId]);
    if (!challenge) throw notFound('Challenge', challengeId, 'challengeId');
    const [partner] = await loadExisting(ctx.loaders.stakeholder, [ids.stakeholderId]);
    if (!partner) throw notFound('Stakeholder', stakeholderId, 'stakeholderId');
    const school = await ctx.loaders.stakeholder.load(challenge.schoolId);
    const hub = challenge.hubId ? await ctx.loaders.hub.load(challenge.hubId) : null;
    const match = await matchOfPairOnIndex(ctx.index, ids.challengeId, ids.stakeholderId, (wanted) =>
      loadExisting(ctx.loaders.stakeholder, wanted),
    );
    const language = lang ?? ctx.lang;
    return draftInvitation(
      {
        // A family is addressed by the label everyone may see; its coordinators write its name in.
        partnerName: publicName(partner),
        schoolName: school.name,
        challengeTitle: challenge.title,
        reasons: match ? await argumentsOf(match, ctx.loaders, language) : [],
        hubName: hub?.name ?? null,
      },
      language,
    );
  }
}
