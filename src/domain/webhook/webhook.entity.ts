import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a webhook endpoint can hear: the four live events, as the subscriptions deliver them. */
export enum WebhookEventType {
  MATCH_FOUND = 'MATCH_FOUND',
  PARTNER_JOINED = 'PARTNER_JOINED',
  CHALLENGE_POSTED = 'CHALLENGE_POSTED',
  PARTNERSHIP_CHANGED = 'PARTNERSHIP_CHANGED',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'An event a webhook endpoint hears (its body says `match.found`, `partner.joined`, …)',
});

/** Where a delivery stands. */
export enum WebhookDeliveryStatus {
  /** Not sent yet, or failed and waiting for its next attempt. */
  PENDING = 'PENDING',
  /** The endpoint answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** Out of attempts, or its endpoint was disabled or deleted while it waited. */
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

/** The `type` in a webhook's body, per event. */
export const WIRE_TYPES: Readonly<Record<WebhookEventType, string>> = {
  [WebhookEventType.MATCH_FOUND]: 'match.found',
  [WebhookEventType.PARTNER_JOINED]: 'partner.joined',
  [WebhookEventType.CHALLENGE_POSTED]: 'challenge.posted',
  [WebhookEventType.PARTNERSHIP_CHANGED]: 'partnership.changed',
};

@ObjectType({
  description:
    'A portal’s URL that gets a signed POST (Standard Webhooks) for each event it asked for, in the hubs it names',
})
@Entity('webhook_endpoint')
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The API key that registered it (`env:ADMIN_API_KEY` for the bootstrap key): payloads show what it may read. */
  @Column('text', { name: 'owner_key' })
  ownerKey: string;

  @Field({ description: 'Where events are POSTed (https; checked against private addresses at registration)' })
  @Column('text')
  url: string;

  @Field(() => [WebhookEventType])
  @Column('text', { array: true })
  events: WebhookEventType[];

  @Field(() => [ID], { description: 'Hubs whose events it hears; empty for an ADMIN endpoint that hears every hub' })
  @Column('uuid', { name: 'hub_ids', array: true })
  hubIds: string[];

  @Field(() => Float, {
    nullable: true,
    description: 'MATCH_FOUND only for pairs that reach this score and had not before (default 0.5)',
  })
  @Column('float8', { name: 'min_score', nullable: true })
  minScore: number | null;

  /** Signs each delivery (`whsec_…`); shown once, at creation and rotation. */
  @Column('text')
  secret: string;

  @Field()
  @Column('boolean')
  enabled: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why it stopped (410 Gone, too many failures in a row, its key revoked); updating it re-enables it',
  })
  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  @Column('int', { name: 'consecutive_failures' })
  consecutiveFailures: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

@ObjectType({ description: 'One event sent (or being sent) to one endpoint, with its attempts' })
@Entity('webhook_delivery')
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @Field(() => WebhookEventType)
  @Column('text', { name: 'event_type' })
  eventType: WebhookEventType;

  /** What it is about, unique per endpoint (`match:<seq>`, `partner:<id>`…): one delivery per event. */
  @Column('text')
  source: string;

  /** The facts its body is built from (ids, the status a partnership change set). */
  @Column('jsonb')
  subject: Record<string, unknown>;

  @Field({ description: 'The webhook-id header: the same on every attempt and redelivery (deduplicate on it)' })
  @Column('text', { name: 'message_id' })
  messageId: string;

  /** The body as first sent; every later attempt sends it again unchanged. */
  @Column('text', { nullable: true })
  payload: string | null;

  @Field(() => WebhookDeliveryStatus)
  @Column('text')
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column('int')
  attempts: number;

  @Field(() => Int, { nullable: true })
  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'next_attempt_at', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'delivered_at', precision: 3, nullable: true })
  deliveredAt: Date | null;
}
