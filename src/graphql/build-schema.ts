import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema } from 'type-graphql';
import { ChallengeResolver } from './resolvers/challenge.resolver';
import { HubResolver, MissionResolver } from './resolvers/hub.resolver';
import { authChecker } from './access';
import { wrapPrivateFields } from './privacy.middleware';
import { wrapEntryFields } from './work-limiter';
import { ApiKeyResolver } from './resolvers/api-key.resolver';
import {
  ActivityResolver,
  BrokeringResolver,
  ChallengeBrokeringResolver,
  DismissalResolver,
  MatchBrokeringResolver,
  ShortlistEntryResolver,
} from './resolvers/brokering.resolver';
import { ImportResolver } from './resolvers/import.resolver';
import { InvitationResolver } from './resolvers/invitation.resolver';
import { LiveResolver } from './resolvers/live.resolver';
import { WebhookResolver } from './resolvers/webhook.resolver';
import { DigestResolver } from './resolvers/digest.resolver';
import { MatchConnectionResolver, MatchResolver } from './resolvers/match.resolver';
import { PartnershipResolver } from './resolvers/partnership.resolver';
import { ExpertiseResolver, LabelResolver, RegionResolver, SdgResolver } from './resolvers/reference.resolver';
import { StakeholderResolver } from './resolvers/stakeholder.resolver';
import { HubPolicyResolver, SafeguardingResolver, StakeholderChecksResolver } from './resolvers/safeguarding.resolver';

/** Where the committed SDL lives; a test fails when it drifts from the code. */
export const RESOLVERS = [
  SdgResolver,
  RegionResolver,
  ExpertiseResolver,
  LabelResolver,
  StakeholderResolver,
  ChallengeResolver,
  HubResolver,
  MissionResolver,
  PartnershipResolver,
  MatchResolver,
  MatchConnectionResolver,
  LiveResolver,
  ImportResolver,
  ApiKeyResolver,
  BrokeringResolver,
  ActivityResolver,
  ShortlistEntryResolver,
  DismissalResolver,
  ChallengeBrokeringResolver,
  MatchBrokeringResolver,
  InvitationResolver,
  WebhookResolver,
  DigestResolver,
  SafeguardingResolver,
  StakeholderChecksResolver,
  HubPolicyResolver,
] as const;

// type-graphql insists on a PubSub once there are subscriptions, but every subscription here
// brings its own `subscribe` (src/subscriptions/change-feed.ts): reaching this is a bug.
const NO_PUBSUB = {
  publish(): never {
    throw new Error('subscriptions publish through ChangeFeed, not the type-graphql PubSub');
  },
  subscribe(): never {
    throw new Error('subscriptions subscribe through ChangeFeed, not the type-graphql PubSub');
  },
};

/**
 * Builds the executable schema from the decorated classes, then wraps the few fields that need
 * more than their resolver: private fields in their privacy guard, root fields as the operation's
 * entry (budget, work share, deadline). No global middleware: with one, type-graphql would wrap
 * every field of every type in an async function, a promise per field of every answer.
 */
export async function buildSchema(): Promise<GraphQLSchema> {
  const schema = await buildTypeGraphQLSchema({
    resolvers: RESOLVERS,
    validate: false,
    pubSub: NO_PUBSUB,
    authChecker,
    // A field without @Authorized is public; one with it runs authChecker, which throws our own errors.
    authMode: 'error',
  });
  wrapPrivateFields(schema);
  wrapEntryFields(schema);
  return schema;
}
