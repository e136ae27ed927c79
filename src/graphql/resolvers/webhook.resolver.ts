import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { WebhookDelivery, WebhookEndpoint } from '../../domain/webhook/webhook.entity';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  webhookHealth,
} from '../../domain/webhook/webhook.service';
import { webhookRuntimeOf } from '../../webhooks/start-webhooks';
import { MUTATION_ROLES, QUERY_ROLES } from '../access';
import { connectionType } from '../connection';
import { Context } from '../context';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from '../inputs/webhook.input';
import { firstDescription, pageSize } from '../list-bounds';

export const WebhookEndpointConnection = connectionType('WebhookEndpoint', WebhookEndpoint);
export const WebhookDeliveryConnection = connectionType('WebhookDelivery', WebhookDelivery);

@ObjectType({ description: 'An endpoint and its signing secret: store the secret now, it is not shown again' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field({ description: 'whsec_…: verify each delivery with it (any Standard Webhooks library)' })
  secret: string;
}

@ObjectType({ description: 'How webhook delivery is going, across every endpoint' })
export class WebhookHealth {
  @Field(() => Int, { description: 'Deliveries waiting for an attempt (new, or between retries)' })
  pending: number;

  @Field(() => Float, { nullable: true, description: 'Age of the oldest pending delivery, in seconds' })
  oldestPendingSeconds: number | null;

  @Field(() => Int, { description: 'Attempts queued in pg-boss on this service’s database' })
  queuedAttempts: number;

  @Field(() => Int, { description: 'Of the deliveries created in the last hour: delivered' })
  deliveredLastHour: number;

  @Field(() => Int, { description: 'Of the deliveries created in the last hour: failed for good' })
  failedLastHour: number;

  @Field(() => Float, { nullable: true, description: 'From the event to its delivery (retries included), median' })
  latencyP50Ms: number | null;

  @Field(() => Float, { nullable: true, description: 'From the event to its delivery (retries included), 99th' })
  latencyP99Ms: number | null;

  @Field(() => Int, { description: 'Endpoints disabled (410 Gone, failures in a row, revoked key, paused)' })
  disabledEndpoints: number;
}

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized(QUERY_ROLES.webhookEndpoints)
  @Query(() => WebhookEndpointConnection, {
    description: "The key's webhook endpoints, newest first (an ADMIN key: every endpoint)",
  })
  async webhookEndpoints(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('Query.webhookEndpoints') })
    first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const m = ctx.dataSource.manager;
    const page = await listWebhookEndpoints(m, ctx.viewer, { first: pageSize('Query.webhookEndpoints', first), after });
    return WebhookEndpointConnection.from({ ...page, hasPreviousPage: Boolean(after) });
  }

  @Authorized(QUERY_ROLES.webhookHealth)
  @Query(() => WebhookHealth, { description: "ADMIN: the webhook queue's depth, the last hour's latency and failures" })
  async webhookHealth(@Ctx() ctx: Context): Promise<WebhookHealth> {
    const { queue } = webhookRuntimeOf(ctx.dataSource);
    await ctx.live.relayedOwn(); // deliveries are queued by the relay, after this instance's writes are answered
    const [facts, queuedAttempts] = await Promise.all([webhookHealth(ctx.dataSource.manager), queue.depth()]);
    return Object.assign(new WebhookHealth(), facts, { queuedAttempts });
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'What was sent to it, newest first' })
  async deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: firstDescription('WebhookEndpoint.deliveries') })
    first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const m = ctx.dataSource.manager;
    const size = pageSize('WebhookEndpoint.deliveries', first);
    await ctx.live.relayedOwn(); // queued by the relay, after this instance's writes are answered
    const page = await listDeliveries(m, endpoint.id, { first: size, after });
    return WebhookDeliveryConnection.from({ ...page, hasPreviousPage: Boolean(after) });
  }

  @Authorized(MUTATION_ROLES.createWebhookEndpoint)
  @Mutation(() => CreatedWebhookEndpoint, {
    description: 'ADMIN, or a COORDINATOR or PORTAL key for its own hubs: registers a URL for signed events',
  })
  createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ) {
    return createWebhookEndpoint(ctx.dataSource.manager, ctx.viewer, input, webhookRuntimeOf(ctx.dataSource).rules);
  }

  @Authorized(MUTATION_ROLES.updateWebhookEndpoint)
  @Mutation(() => WebhookEndpoint, {
    description:
      'ADMIN, or the COORDINATOR or PORTAL key that registered it: changes an endpoint; also re-enables a disabled one',
  })
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ) {
    const rules = webhookRuntimeOf(ctx.dataSource).rules;
    return updateWebhookEndpoint(ctx.dataSource.manager, ctx.viewer, id, input, rules);
  }

  @Authorized(MUTATION_ROLES.rotateWebhookSecret)
  @Mutation(() => CreatedWebhookEndpoint, {
    description:
      'ADMIN, or the COORDINATOR or PORTAL key that registered it: a new signing secret, used from the next attempt on',
  })
  rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return rotateWebhookSecret(ctx.dataSource.manager, ctx.viewer, id);
  }

  @Authorized(MUTATION_ROLES.deleteWebhookEndpoint)
  @Mutation(() => Boolean, {
    description: 'ADMIN, or the COORDINATOR or PORTAL key that registered it: deletes an endpoint with its deliveries',
  })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteWebhookEndpoint(ctx.dataSource.manager, ctx.viewer, id);
  }

  @Authorized(MUTATION_ROLES.redeliverWebhook)
  @Mutation(() => WebhookDelivery, {
    description:
      'ADMIN, or the COORDINATOR or PORTAL key that registered it: sends a delivery again, with the same webhook-id',
  })
  redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: Context) {
    const { enqueue } = webhookRuntimeOf(ctx.dataSource);
    return redeliverWebhook(ctx.dataSource.manager, ctx.viewer, deliveryId, enqueue);
  }
}
