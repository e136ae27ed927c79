/**
 * Which endpoints hear a relayed change: one set-based statement per event type, run in the relay
 * transaction that records the change's match events, so a delivery exists exactly when its event
 * does (unique per endpoint and event: a relay retried after a crash writes none twice).
 */
import { EntityManager } from 'typeorm';
import { managingHubsSql } from '../domain/challenge/managing-hubs';
import { WebhookEventType } from '../domain/webhook/webhook.entity';
import type { RelayedChange } from '../subscriptions/outbox-relay';
import { joinedBy } from '../subscriptions/outbox-relay';
import { DEFAULT_MIN_SCORE } from '../subscriptions/topics';
import { DeliveryJob, WebhookQueue } from './webhook-queue';

// An endpoint hears an event when it asked for its type and shares a hub with it (an ADMIN
// endpoint with no hubs hears every hub). `hubs` is the event's uuid[] of hubs.
const hears = (type: WebhookEventType, hubs: string) =>
  `w.enabled AND '${type}' = ANY(w.events) AND (cardinality(w.hub_ids) = 0 OR w.hub_ids && ${hubs})`;

const INSERT = `INSERT INTO webhook_delivery (endpoint_id, event_type, source, subject, message_id)`;
const MESSAGE_ID = `'msg_' || replace(gen_random_uuid()::text, '-', '')`;
const DONE = `ON CONFLICT (endpoint_id, source) DO NOTHING RETURNING id`;

/** Writes the deliveries a relayed change causes and queues their first attempts. */
export async function enqueueWebhooks(m: EntityManager, queue: WebhookQueue, relayed: RelayedChange): Promise<number> {
  const { change, matches } = relayed;
  const ids: { id: string }[] = [];
  if (matches) {
    const minScore = `coalesce(w.min_score, ${DEFAULT_MIN_SCORE})`;
    ids.push(
      ...(await m.query<{ id: string }[]>(
        `${INSERT}
         SELECT w.id, 'MATCH_FOUND', 'match:' || e.seq,
                jsonb_build_object('seq', e.seq, 'challengeId', e.challenge_id), ${MESSAGE_ID}
         FROM match_event e JOIN challenge c ON c.id = e.challenge_id
         JOIN webhook_endpoint w ON ${hears(WebhookEventType.MATCH_FOUND, managingHubsSql('c'))}
           AND e.score >= ${minScore} AND (e.previous_score IS NULL OR e.previous_score < ${minScore})
         WHERE e.seq BETWEEN $1 AND $2
         ORDER BY e.seq
         ${DONE}`,
        [matches.from, matches.to],
      )),
    );
  }
  if (change) {
    const joined = joinedBy(change);
    if (joined.length)
      ids.push(
        ...(await m.query<{ id: string }[]>(
          `${INSERT}
           SELECT w.id, 'PARTNER_JOINED', 'partner:' || s.id, jsonb_build_object('stakeholderId', s.id), ${MESSAGE_ID}
           FROM stakeholder s
           JOIN webhook_endpoint w ON ${hears(
             WebhookEventType.PARTNER_JOINED,
             'ARRAY(SELECT hm.hub_id FROM hub_member hm WHERE hm.stakeholder_id = s.id)',
           )}
           WHERE s.id = ANY($1::uuid[]) AND s.erased_at IS NULL
           ${DONE}`,
          [joined],
        )),
      );
    const posted =
      change.kind === 'challenge' && change.created ? [change.id] : change.kind === 'challenges' ? change.created : [];
    if (posted.length)
      ids.push(
        ...(await m.query<{ id: string }[]>(
          `${INSERT}
           SELECT w.id, 'CHALLENGE_POSTED', 'challenge:' || c.id, jsonb_build_object('challengeId', c.id), ${MESSAGE_ID}
           FROM challenge c JOIN webhook_endpoint w ON ${hears(WebhookEventType.CHALLENGE_POSTED, managingHubsSql('c'))}
           WHERE c.id = ANY($1::uuid[])
           ${DONE}`,
          [posted],
        )),
      );
    if (change.kind === 'partnership' && change.partnershipId)
      ids.push(
        ...(await m.query<{ id: string }[]>(
          `${INSERT}
           SELECT w.id, 'PARTNERSHIP_CHANGED', 'partnership:' || $2::text,
                  jsonb_build_object('partnershipId', p.id, 'status', $3::text), ${MESSAGE_ID}
           FROM partnership p JOIN challenge c ON c.id = p.challenge_id
           JOIN webhook_endpoint w ON ${hears(WebhookEventType.PARTNERSHIP_CHANGED, managingHubsSql('c'))}
           WHERE p.id = $1
           ${DONE}`,
          [change.partnershipId, String(relayed.relayedSeq), change.status ?? null],
        )),
      );
  }
  const jobs: DeliveryJob[] = ids.map(({ id }) => ({ deliveryId: id, attempt: 1 }));
  await queue.enqueue(m, jobs);
  return jobs.length;
}
