import {
  Arg,
  Authorized,
  Ctx,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
} from 'type-graphql';
import { Language } from '../../domain/language';
import * as v from '../../domain/validate';
import { subscribeToDigest } from '../../notify/digests';
import { notifyRuntimeOf } from '../../notify/start-notify';
import { MUTATION_ROLES, QUERY_ROLES, requireScope } from '../access';
import { Context } from '../context';

/** How often a digest comes. */
export enum DigestFrequency {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
}

registerEnumType(DigestFrequency, { name: 'DigestFrequency', description: 'Every morning, or every Monday morning' });

@InputType({ description: "An address to get a hub's digest, once it confirms by the link mailed to it" })
export class DigestSubscriptionInput {
  @Field(() => ID)
  hubId: string;

  @Field()
  email: string;

  @Field(() => Language, { defaultValue: Language.EN })
  lang: Language;

  @Field(() => DigestFrequency, { defaultValue: DigestFrequency.DAILY })
  frequency: DigestFrequency;
}

@ObjectType({ description: "An address that gets (or, unconfirmed, will get) a hub's digest" })
export class DigestSubscription {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  hubId: string;

  @Field(() => String, { nullable: true, description: 'Shown to ADMIN and the hub’s coordinators only' })
  email: string | null;

  @Field(() => Language)
  lang: Language;

  @Field(() => DigestFrequency)
  frequency: DigestFrequency;

  @Field({ description: 'Whether the address confirmed by the mailed link; only then do digests go out' })
  confirmed: boolean;
}

@Resolver()
export class DigestResolver {
  @Authorized(MUTATION_ROLES.subscribeToDigest)
  @Mutation(() => DigestSubscription, {
    description:
      "ADMIN, or a COORDINATOR of the hub: subscribes an address to the hub's digest (daily at 07:00 or weekly " +
      "on Monday, in the hub's time zone); a confirmation link is mailed to it first (double opt-in)",
  })
  async subscribeToDigest(
    @Arg('input', () => DigestSubscriptionInput) input: DigestSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<DigestSubscription> {
    await requireScope(ctx, 'subscribeToDigest', { hubIds: [v.uuid('input.hubId', input.hubId)] });
    const { queues } = notifyRuntimeOf(ctx.dataSource);
    const row = await subscribeToDigest(ctx.dataSource.manager, ctx.viewer, input, queues.confirm);
    return Object.assign(new DigestSubscription(), row);
  }

  @Authorized(QUERY_ROLES.digestSubscriptions)
  @Query(() => [DigestSubscription], {
    description: "ADMIN, or a COORDINATOR of the hub: the addresses subscribed to the hub's digest",
  })
  async digestSubscriptions(@Arg('hubId', () => ID) hubId: string, @Ctx() ctx: Context): Promise<DigestSubscription[]> {
    const id = v.uuid('hubId', hubId);
    await requireScope(ctx, 'digestSubscriptions', { hubIds: [id] });
    const rows: { id: string; email: string; lang: Language; frequency: DigestFrequency; confirmed: boolean }[] =
      await ctx.dataSource.query(
        `SELECT id, email, lang, frequency, confirmed_at IS NOT NULL AS confirmed FROM digest_subscription
         WHERE hub_id = $1 ORDER BY created_at, id LIMIT 100`,
        [id],
      );
    return rows.map((r) => Object.assign(new DigestSubscription(), { ...r, hubId: id }));
  }
}
