/**
 * A delivery's body: the event as the endpoint's key would read it through the API, built by
 * executing a fixed selection (documented in the README) with a context of the one pipeline, so
 * the privacy rules that mask a family for that key mask it here too.
 */
import { execute, GraphQLError, GraphQLSchema, parse } from 'graphql';
import { DataSource } from 'typeorm';
import type { Context } from '../graphql/context';
import { Viewer } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { isDatabaseUnavailable } from '../graphql/to-graphql-error';
import { Partnership } from '../domain/partnership/partnership.entity';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { WebhookEventType, WIRE_TYPES } from '../domain/webhook/webhook.entity';
import { toEventRow, TOLD_SQL } from '../subscriptions/match-events';
import { viewKey } from '../subscriptions/shared-execution';
import { Language } from '../domain/language';
import { LRUCache } from 'lru-cache';

const PARTNER = `fragment WebhookPartner on Stakeholder {
  id kind name description city countryCode website contactEmail contactPhone
  region { code name } sdgs { id } expertise { slug label }
}`;
const CHALLENGE = `fragment WebhookChallenge on Challenge {
  id title description phase wantedKinds school { id name } hub { id name } sdgs { id } expertiseNeeded { slug label }
}`;

/** The selection each event's `data` holds (the root field's value). */
export const WEBHOOK_DOCUMENTS: Readonly<Record<WebhookEventType, string>> = {
  [WebhookEventType.MATCH_FOUND]: `subscription WebhookMatch($challengeId: ID!) {
    matchFound(challengeId: $challengeId, minScore: 0.3) {
      score reasons eventCursor foundAt
      breakdown { sdg expertise proximity kind inclusion track distanceKm }
      challenge { ...WebhookChallenge } stakeholder { ...WebhookPartner }
    }
  } ${PARTNER} ${CHALLENGE}`,
  [WebhookEventType.PARTNER_JOINED]: `subscription WebhookPartnerJoined {
    partnerJoined { ...WebhookPartner }
  } ${PARTNER}`,
  [WebhookEventType.CHALLENGE_POSTED]: `query WebhookChallengePosted($id: ID!) {
    challenge(id: $id) { ...WebhookChallenge createdAt }
  } ${CHALLENGE}`,
  [WebhookEventType.PARTNERSHIP_CHANGED]: `subscription WebhookPartnershipChanged {
    partnershipChanged { id status message createdAt updatedAt answeredAt completedAt
      challenge { ...WebhookChallenge } stakeholder { ...WebhookPartner } }
  } ${PARTNER} ${CHALLENGE}`,
};

const ROOT_FIELD: Readonly<Record<WebhookEventType, string>> = {
  [WebhookEventType.MATCH_FOUND]: 'matchFound',
  [WebhookEventType.PARTNER_JOINED]: 'partnerJoined',
  [WebhookEventType.CHALLENGE_POSTED]: 'challenge',
  [WebhookEventType.PARTNERSHIP_CHANGED]: 'partnershipChanged',
};

/**
 * Bodies kept, per event and view, while an event's deliveries go out.
 * @default 1000
 */
export const PAYLOAD_CACHE_SIZE = 1000;

/** What a body is built from (a delivery's stored facts). */
export interface PayloadSource {
  eventType: WebhookEventType;
  subject: Record<string, unknown>;
}

/** A body, or why none can be built (the event's row is gone): the delivery then fails for good. */
export type BuiltPayload = { body: string } | { gone: string };

/** Thrown when a body could not be built for a passing reason (the database away): try again later. */
export class PayloadUnavailable extends Error {
  override name = 'PayloadUnavailable';
}

const uuidOf = (subject: Record<string, unknown>, key: string): string => {
  const value = subject[key];
  if (typeof value !== 'string') throw new Error(`webhook subject has no ${key}`);
  return value;
};

/** Builds bodies with contexts of the one pipeline (`contextOf`, for the endpoint's key). */
export function createPayloadBuilder(
  schema: GraphQLSchema,
  dataSource: DataSource,
  contextOf: (viewer: Viewer) => Context,
): (source: PayloadSource, viewer: Viewer) => Promise<BuiltPayload> {
  const documents = new Map(
    Object.values(WebhookEventType).map((t) => [t, parse(WEBHOOK_DOCUMENTS[t], { noLocation: true })]),
  );
  const rootOf = async (source: PayloadSource): Promise<{ value: unknown; variables: Record<string, unknown> }> => {
    const s = source.subject;
    switch (source.eventType) {
      case WebhookEventType.MATCH_FOUND: {
        const rows: Parameters<typeof toEventRow>[0][] = await dataSource.query(
          `SELECT * FROM match_event e WHERE seq = $1 AND ${TOLD_SQL('e')}`,
          [Number(s.seq)],
        );
        return { value: rows[0] && toEventRow(rows[0]), variables: { challengeId: uuidOf(s, 'challengeId') } };
      }
      case WebhookEventType.PARTNER_JOINED:
        return {
          value: await dataSource.getRepository(Stakeholder).findOneBy({ id: uuidOf(s, 'stakeholderId') }),
          variables: {},
        };
      case WebhookEventType.CHALLENGE_POSTED:
        return { value: {}, variables: { id: uuidOf(s, 'challengeId') } };
      case WebhookEventType.PARTNERSHIP_CHANGED: {
        const p = await dataSource.getRepository(Partnership).findOneBy({ id: uuidOf(s, 'partnershipId') });
        // As this change set it, though a later one may be stored by now.
        if (p && typeof s.status === 'string') p.status = s.status as Partnership['status'];
        return { value: p, variables: {} };
      }
    }
  };
  // One event reaches many endpoints, most of whose keys read it alike (same role, same hubs):
  // its body is built once per view, as a subscription event's execution is shared.
  const built = new LRUCache<string, Promise<BuiltPayload>>({ max: PAYLOAD_CACHE_SIZE, ttl: 60_000 });
  const build = async (source: PayloadSource, viewer: Viewer): Promise<BuiltPayload> => {
    const root = await rootOf(source);
    if (root.value === null || root.value === undefined) return { gone: 'the event’s record no longer exists' };
    const ctx = contextOf(viewer);
    const result = await execute({
      schema,
      document: documents.get(source.eventType)!,
      rootValue: { value: root.value, loaders: ctx.loaders },
      contextValue: ctx,
      variableValues: root.variables,
    });
    const errors: readonly GraphQLError[] = result.errors ?? [];
    // A passing failure is tried again later; anything else says the record is gone or hidden.
    const passing = (e: GraphQLError) =>
      isDatabaseUnavailable(e.originalError) ||
      (e.originalError instanceof DomainError &&
        [DomainErrorCode.ServiceUnavailable, DomainErrorCode.DeadlineExceeded].includes(e.originalError.code));
    if (errors.some(passing)) throw new PayloadUnavailable('the database is unavailable');
    const data = (result.data as Record<string, unknown> | null | undefined)?.[ROOT_FIELD[source.eventType]];
    if (data === null || data === undefined) {
      const cause = errors[0]?.originalError;
      // Our own errors say what is wrong in words fit for the endpoint's owner; anything else stays inside.
      return {
        gone: cause instanceof DomainError ? cause.message : 'the event could not be rendered for this endpoint’s key',
      };
    }
    return { body: JSON.stringify({ type: WIRE_TYPES[source.eventType], timestamp: new Date().toISOString(), data }) };
  };
  return (source, viewer) => {
    const key = `${source.eventType}|${JSON.stringify(source.subject)}|${viewKey(viewer, Language.EN)}`;
    let body = built.get(key);
    if (!body) {
      body = build(source, viewer);
      built.set(key, body);
      // A passing failure is tried again by the next attempt, not answered from here.
      body.catch(() => built.delete(key));
    }
    return body;
  };
}
