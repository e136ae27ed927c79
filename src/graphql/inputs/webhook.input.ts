import { Field, Float, ID, InputType } from 'type-graphql';
import { WebhookEventType } from '../../domain/webhook/webhook.entity';

@InputType({ description: 'A URL to POST events to, signed with a secret shown once' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'https:// URL (plain http only where WEBHOOK_ALLOW_HTTP is on); no private addresses' })
  url: string;

  @Field(() => [WebhookEventType])
  events: WebhookEventType[];

  @Field(() => [ID], {
    nullable: true,
    description: 'Hubs to hear; default all of the key’s hubs (an ADMIN key: every hub, also when empty)',
  })
  hubIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'MATCH_FOUND from this score (0.3 to 1; default 0.5)' })
  minScore?: number | null;
}

@InputType({ description: 'What to change on an endpoint; an update re-enables it unless enabled is false' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  events?: WebhookEventType[] | null;

  @Field(() => [ID], { nullable: true })
  hubIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'null clears it (back to 0.5)' })
  minScore?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'false pauses it; anything else enables it' })
  enabled?: boolean | null;
}
