import { Arg, Ctx, FieldResolver, Float, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { Page } from '../../domain/pagination';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { DEFAULT_MIN_SCORE, encodeMatchCursor, MatchPage, resolveWeights } from '../../matching/match.service';
import { MatchIndex } from '../../matching/index/match-index';
import { suggestChallengesOnIndex, suggestPartnersOnIndex, suggestTeamOnIndex } from '../../matching/suggest.service';
import { DomainError, DomainErrorCode } from '../../domain/errors';
import { challengeContext } from '../../matching/reasons';
import { reasonsOf } from '../match-reasons';
import { Language } from '../../domain/language';
import { connectionType } from '../connection';
import { Context } from '../context';
import { MatchWeightsInput, MatchWeightsValue, PartnerFilter } from '../inputs/match.input';
import { loadExisting } from '../loaders';
import { Match, TeamSuggestion } from '../types/match.type';
import { expertiseIdsOfSlugs } from '../../domain/expertise/expertise.service';
import { Role } from '../../domain/access/role';
import { managesChallenge } from '../privacy.middleware';
import { safeguardingSentence } from '../../matching/safeguarding-words';
import { refusal, requireScope } from '../access';

export const MatchConnection = connectionType('Match', Match);
export const ChallengeMatchConnection = connectionType('ChallengeMatch', Match);

const MIN_SCORE_DOC =
  `Leave out pairs scoring less, 0 to 1 (default ${DEFAULT_MIN_SCORE}); ` + 'totalCount counts what is left';

/** The match index, once loaded: until then suggestions are unavailable (and /readyz says 503). */
function readyIndex(ctx: Context): MatchIndex {
  if (!ctx.index.loaded)
    throw new DomainError(DomainErrorCode.ServiceUnavailable, 'The match index is still loading; retry shortly');
  return ctx.index;
}

/**
 * Page rows (partners and their schools) come from the index's page rows, kept current by the
 * relayed changes; the ones not in memory through the request's loader, in one batched statement.
 * Each is primed into the request's loader, so the page's own fields read it from there.
 */
const loadStakeholders = (ctx: Context) => async (ids: string[]) => {
  const rows = await ctx.index.pageRows.load(ids, (missing) => loadExisting(ctx.loaders.stakeholder, missing));
  for (const row of rows) ctx.loaders.stakeholder.prime(row.id, row);
  return rows;
};

const tagIdsOfSlugs = (ctx: Context) => (slugs: string[]) => expertiseIdsOfSlugs(ctx.dataSource.manager, slugs);

function toPage(result: MatchPage): Page<Match> {
  const rows = result.matches.map((m) => Match.from(m));
  const position = new Map(rows.map((m, i) => [m, result.offset + i + 1]));
  return {
    rows,
    hasNextPage: result.hasNextPage,
    hasPreviousPage: result.offset > 0,
    cursorOf: (m) => encodeMatchCursor(position.get(m)!, result.window),
    totalCount: async () => result.total,
  };
}

@Resolver(() => Match)
export class MatchResolver {
  @Query(() => MatchConnection, {
    description: 'Partners worth asking for a challenge, best first, with scores and reasons',
  })
  async suggestPartners(
    @Arg('challengeId', () => ID) challengeId: string,
    @Ctx() ctx: Context,
    @Arg('filter', () => PartnerFilter, { nullable: true }) filter?: PartnerFilter | null,
    @Arg('weights', () => MatchWeightsInput, { nullable: true }) weights?: MatchWeightsValue | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('minScore', () => Float, { nullable: true, description: MIN_SCORE_DOC }) minScore?: number | null,
  ) {
    const index = readyIndex(ctx);
    if (filter?.includeUnchecked) await requireUncheckedRight(ctx, challengeId);
    const page = await suggestPartnersOnIndex(
      index,
      { challengeId, filter, weights: resolveWeights(weights), first, after, minScore },
      loadStakeholders(ctx),
      tagIdsOfSlugs(ctx),
    );
    return Object.assign(MatchConnection.from(toPage(page)), { challengeId });
  }

  @Query(() => ChallengeMatchConnection, { description: 'Open challenges a stakeholder fits best (the reverse view)' })
  async suggestChallenges(
    @Arg('stakeholderId', () => ID) stakeholderId: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('minScore', () => Float, { nullable: true, description: MIN_SCORE_DOC }) minScore?: number | null,
  ) {
    const page = await suggestChallengesOnIndex(
      readyIndex(ctx),
      { stakeholderId, first, after, minScore },
      loadStakeholders(ctx),
    );
    return ChallengeMatchConnection.from(toPage(page));
  }

  @Query(() => TeamSuggestion, { description: "Up to `size` partners that together cover the challenge's needs" })
  async suggestTeam(
    @Arg('challengeId', () => ID) challengeId: string,
    @Ctx() ctx: Context,
    @Arg('size', () => Int, { nullable: true, defaultValue: 5 }) size = 5,
  ): Promise<TeamSuggestion> {
    const team = await suggestTeamOnIndex(readyIndex(ctx), challengeId, size, loadStakeholders(ctx));
    const { loaders } = ctx;
    return Object.assign(new TeamSuggestion(), {
      members: team.members.map((m) => Match.from(m)),
      coveredExpertise: await loadExisting(loaders.expertise, team.coveredNeeds),
      missingExpertise: await loadExisting(loaders.expertise, team.missingNeeds),
      coveredKinds: team.coveredKinds,
      missingKinds: team.missingKinds,
    });
  }

  @FieldResolver(() => Stakeholder)
  stakeholder(@Root() m: Match, @Ctx() { loaders }: Context): Promise<Stakeholder> {
    return loaders.stakeholder.load(m.data.stakeholderId);
  }

  @FieldResolver(() => Challenge)
  challenge(@Root() m: Match, @Ctx() { loaders }: Context): Promise<Challenge> {
    return loaders.challenge.load(m.data.challengeId);
  }

  @FieldResolver(() => [String], {
    description:
      'Short sentences explaining why this partner fits this challenge ' +
      "(default: the request's Accept-Language, else EN)",
  })
  async reasons(
    @Root() m: Match,
    @Ctx() { loaders, lang: asked }: Context,
    @Arg('lang', () => Language, { nullable: true }) lang?: Language | null,
  ): Promise<string[]> {
    const reasons = await reasonsOf(m.data, loaders, lang ?? asked);
    // A partner held back by safeguarding says so first (only a coordinator's explicit request shows one).
    const held = m.data.safeguarding?.needsCheck ? safeguardingSentence(m.data.safeguarding, lang ?? asked) : null;
    return held ? [held, ...reasons] : reasons;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'What the safeguarding rule says of this pair ("VOG verified, valid until 2028-03", or that a check is ' +
      "needed), for ADMIN and the challenge's coordinators; null for everyone else, or when the challenge needs none",
  })
  async safeguarding(
    @Root() m: Match,
    @Ctx() ctx: Context,
    @Arg('lang', () => Language, { nullable: true }) lang?: Language | null,
  ): Promise<string | null> {
    if (!m.data.safeguarding || !(await coordinatesChallenge(ctx, m.data.challengeId))) return null;
    return safeguardingSentence(m.data.safeguarding, lang ?? ctx.lang);
  }
}

/** Whether the viewer is ADMIN or a coordinator of a hub that manages the challenge. */
async function coordinatesChallenge(ctx: Context, challengeId: string): Promise<boolean> {
  if (ctx.viewer.role === Role.ADMIN) return true;
  return ctx.viewer.role === Role.COORDINATOR && managesChallenge(ctx, challengeId);
}

/** `filter.includeUnchecked` is a coordinator's explicit request: ADMIN, or a coordinator of the challenge. */
async function requireUncheckedRight(ctx: Context, challengeId: string): Promise<void> {
  const roles = [Role.ADMIN, Role.COORDINATOR];
  if (!roles.includes(ctx.viewer.role as Role))
    throw refusal(ctx.viewer, 'suggestPartners(filter.includeUnchecked)', roles);
  await requireScope(ctx, 'suggestPartners(filter.includeUnchecked)', { challengeId });
}

/** What the school brings to every suggestion for a challenge, said once per list. */
@Resolver(() => MatchConnection)
export class MatchConnectionResolver {
  @FieldResolver(() => [String], {
    description: "Facts about the challenge's school that hold for every partner (e.g. the community it serves)",
  })
  async context(
    @Root() connection: { challengeId?: string },
    @Ctx() { loaders, lang: asked }: Context,
    @Arg('lang', () => Language, { nullable: true }) lang?: Language | null,
  ): Promise<string[]> {
    if (!connection.challengeId) return [];
    const challenge = await loaders.challenge.load(connection.challengeId);
    const school = await loaders.stakeholder.load(challenge.schoolId);
    return challengeContext(school.underservedContexts, lang ?? asked);
  }
}
