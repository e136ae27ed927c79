import { Arg, Ctx, Float, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Role } from '../../domain/access/role';
import { requireScope } from '../access';
import { badInput, notFound } from '../../domain/errors';
import { slugify } from '../../domain/text';
import * as v from '../../domain/validate';
import { Delivery } from '../../subscriptions/fan-out';
import { MatchEventRow, readEvents } from '../../subscriptions/match-events';
import { DEFAULT_MIN_SCORE, EVENT_FLOOR } from '../../subscriptions/topics';
import { Context } from '../context';
import { packCursor, unpackCursor } from '../../domain/cursor';
import { PartnerFilter } from '../inputs/match.input';
import { pageSize } from '../list-bounds';
import { Loaders } from '../loaders';
import { Match } from '../types/match.type';

/** Cursor of a stored match event. */
export function encodeEventCursor(seq: number): string {
  return packCursor('e', [seq]);
}

export function decodeEventCursor(cursor: string, field = 'after'): number {
  return unpackCursor(field, cursor, 'e', 1, 'an eventCursor returned by this API').int(0, Number.MAX_SAFE_INTEGER);
}

function minScore(value: number | null | undefined): number {
  return v.numberInRange('minScore', value ?? DEFAULT_MIN_SCORE, EVENT_FLOOR, 1);
}

async function requireRow(
  ctx: Context,
  table: 'challenge' | 'stakeholder',
  id: string,
  field: string,
): Promise<string> {
  const uuid = v.uuid(field, id);
  // Not through the request's loaders: a subscription's context lives as long as it does, and a
  // loader set (with the row cached in it) would stay with it (~16 kB per subscriber).
  const entity = table === 'challenge' ? Challenge : Stakeholder;
  if (!(await ctx.dataSource.getRepository<{ id: string }>(entity).existsBy({ id: uuid })))
    throw notFound(table === 'challenge' ? 'Challenge' : 'Stakeholder', id, field);
  return uuid;
}

function toMatch(e: MatchEventRow): Match {
  return Match.from(e.data, { cursor: encodeEventCursor(e.seq), at: new Date(e.createdAt) });
}

// graphql-ws builds the context once per subscription: each event brings fresh loaders (shared
// by all subscribers of that event), so it is never answered from data cached for an earlier one.
function fresh(ctx: Context, delivery: Delivery<unknown, Loaders>): void {
  ctx.loaders = delivery.loaders;
}

interface MatchFoundArgs {
  challengeId: string;
  minScore?: number | null;
  after?: string | null;
}

interface PartnershipChangedArgs {
  hubId?: string | null;
  challengeId?: string | null;
}

interface ChallengePostedArgs {
  stakeholderId: string;
  minScore?: number | null;
  after?: string | null;
}

/**
 * This instance's change feed once the relay that follows its writes so far has run. A write is
 * answered before its relay stores its events and hands them out: what starts after the answer (a
 * subscription, a read of stored events) must find the write's events already on the other side.
 */
async function feedAfterOwnWrites(context: Context): Promise<Context['live']> {
  await context.live.relayedOwn();
  return context.live;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => Match, {
    description:
      `A stakeholder now fits an open challenge (score ≥ minScore, default ${DEFAULT_MIN_SCORE}) and did not before. ` +
      'Pass `after` (an eventCursor) to replay what was missed first.',
    subscribe: async ({ args, context }: { args: MatchFoundArgs; context: Context }) => {
      const challengeId = await requireRow(context, 'challenge', args.challengeId, 'challengeId');
      return (await feedAfterOwnWrites(context)).matches({
        challengeId,
        minScore: minScore(args.minScore),
        afterSeq: args.after ? decodeEventCursor(args.after) : undefined,
        turn: () => context.work.hold(context.caller),
        bound: context.stream,
      });
    },
  })
  matchFound(
    @Root() delivery: Delivery<MatchEventRow, Loaders>,
    @Ctx() ctx: Context,
    @Arg('challengeId', () => ID) _challengeId: string,
    @Arg('minScore', () => Float, { nullable: true }) _minScore?: number,
    @Arg('after', () => String, { nullable: true }) _after?: string,
  ): Match {
    fresh(ctx, delivery);
    return toMatch(delivery.value);
  }

  @Subscription(() => Match, {
    description: 'A new challenge fits this stakeholder (the reverse of matchFound).',
    subscribe: async ({ args, context }: { args: ChallengePostedArgs; context: Context }) => {
      const stakeholderId = await requireRow(context, 'stakeholder', args.stakeholderId, 'stakeholderId');
      return (await feedAfterOwnWrites(context)).matches({
        stakeholderId,
        origin: 'CHALLENGE_POSTED',
        minScore: minScore(args.minScore),
        afterSeq: args.after ? decodeEventCursor(args.after) : undefined,
        turn: () => context.work.hold(context.caller),
        bound: context.stream,
      });
    },
  })
  challengePosted(
    @Root() delivery: Delivery<MatchEventRow, Loaders>,
    @Ctx() ctx: Context,
    @Arg('stakeholderId', () => ID) _stakeholderId: string,
    @Arg('minScore', () => Float, { nullable: true }) _minScore?: number,
    @Arg('after', () => String, { nullable: true }) _after?: string,
  ): Match {
    fresh(ctx, delivery);
    return toMatch(delivery.value);
  }

  @Subscription(() => Stakeholder, {
    description: 'Each new stakeholder that passes the filter: a saved search that pushes.',
    subscribe: async ({ args, context }: { args: { filter?: PartnerFilter | null }; context: Context }) => {
      const f = args.filter ?? {};
      // maxDistanceKm measures from a challenge; a new partner has none to measure from.
      if (f.maxDistanceKm != null)
        throw badInput('filter.maxDistanceKm', 'does not apply to partnerJoined: use filter.near with its radiusKm');
      if (f.includeUnchecked != null)
        throw badInput('filter.includeUnchecked', 'does not apply to partnerJoined: it concerns a challenge');
      const near = f.near
        ? {
            ...v.geoPoint('filter.near', f.near),
            radiusKm: v.numberInRange('filter.near.radiusKm', f.near.radiusKm, 0, 20040),
          }
        : null;
      return (await feedAfterOwnWrites(context)).partners(
        {
          kinds: f.kinds,
          regionCode: f.regionCode?.trim().toUpperCase(),
          sdgs: f.sdgs ? v.sdgList('filter.sdgs', f.sdgs, { nonEmpty: false }) : null,
          expertiseSlugs: f.expertise?.map(slugify),
          near,
        },
        context.stream,
      );
    },
  })
  partnerJoined(
    @Root() delivery: Delivery<Stakeholder, Loaders>,
    @Ctx() ctx: Context,
    @Arg('filter', () => PartnerFilter, { nullable: true }) _filter?: PartnerFilter,
  ): Stakeholder {
    fresh(ctx, delivery);
    return delivery.value;
  }

  @Subscription(() => Partnership, {
    description:
      'Every status change of a partnership (proposed, invited, approved, answered, withdrawn, completed) ' +
      "of a hub's challenges: ADMIN, or a COORDINATOR or PORTAL key for its own hubs. Without `hubId`, " +
      'all of the caller’s hubs; `challengeId` narrows to one challenge.',
    subscribe: async ({ args, context }: { args: PartnershipChangedArgs; context: Context }) => {
      const { viewer } = context;
      let challengeId: string | undefined;
      if (args.challengeId) {
        challengeId = await requireRow(context, 'challenge', args.challengeId, 'challengeId');
        await requireScope(context, 'partnershipChanged', { challengeId });
      }
      const hubId = args.hubId ? v.uuid('hubId', args.hubId) : undefined;
      const hubIds = hubId ? [hubId] : viewer.role === Role.ADMIN ? ('all' as const) : viewer.hubIds;
      if (hubIds !== 'all') await requireScope(context, 'partnershipChanged', { hubIds });
      return (await feedAfterOwnWrites(context)).partnerships({ hubIds, challengeId }, context.stream);
    },
  })
  partnershipChanged(
    @Root() delivery: Delivery<Partnership, Loaders>,
    @Ctx() ctx: Context,
    @Arg('hubId', () => ID, { nullable: true }) _hubId?: string,
    @Arg('challengeId', () => ID, { nullable: true }) _challengeId?: string,
  ): Partnership {
    fresh(ctx, delivery);
    return delivery.value;
  }

  @Query(() => [Match], {
    description:
      'Stored new matches of a challenge, oldest first: the catch-up path for clients that were offline. ' +
      'Give `since` (a time) or `after` (an eventCursor).',
  })
  async matchesSince(
    @Ctx() ctx: Context,
    @Arg('challengeId', () => ID) challengeId: string,
    @Arg('since', () => Date, { nullable: true }) since?: Date | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('minScore', () => Float, { nullable: true }) min?: number | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
  ): Promise<Match[]> {
    const id = await requireRow(ctx, 'challenge', challengeId, 'challengeId');
    if (!since && !after) throw badInput('since', 'or after must be given');
    await feedAfterOwnWrites(ctx);
    const events = await readEvents(ctx.dataSource, {
      challengeId: id,
      since: since ?? undefined,
      afterSeq: after ? decodeEventCursor(after) : 0,
      minScore: minScore(min),
      limit: pageSize('Query.matchesSince', first, 1),
    });
    return events.map(toMatch);
  }
}
