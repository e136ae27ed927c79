/**
 * Which endpoints hear a relayed change: one set-based statement for all its event types, run in the relay
 * transaction that records the change's match events, so a delivery exists exactly when its event
 * does (unique per endpoint and event: a relay retried after a crash writes none twice).
 */
import { EntityManager } from 'typeorm';
import { preparedQuery } from '../db/prepared-query';
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

/**
 * Writes the deliveries a relayed change causes, in one statement (a part per event type, in the
 * order below, match events by seq), and queues their first attempts.
 */
export async function enqueueWebhooks(m: EntityManager, queue: WebhookQueue, relayed: RelayedChange): Promise<number> {
  const { change, matches } = relayed;
  const params: unknown[] = [];
  const $ = (value: unknown) => `$${params.push(value)}`;
  const parts: string[] = [];
  const part = (ord: string, select: string) =>
    parts.push(`(SELECT ${parts.length} AS part, ${ord} AS ord, ${select})`);
  if (matches) {
    const minScore = `coalesce(w.min_score, ${DEFAULT_MIN_SCORE})`;
    part(
      'e.seq',
      `w.id, 'MATCH_FOUND', 'match:' || e.seq, jsonb_build_object('seq', e.seq, 'challengeId', e.challenge_id)
       FROM match_event e JOIN challenge c ON c.id = e.challenge_id
       JOIN webhook_endpoint w ON ${hears(WebhookEventType.MATCH_FOUND, managingHubsSql('c'))}
         AND e.score >= ${minScore} AND (e.previous_score IS NULL OR e.previous_score < ${minScore})
       WHERE e.seq BETWEEN ${$(matches.from)} AND ${$(matches.to)}`,
    );
  }
  const joined = change ? joinedBy(change) : [];
  if (joined.length)
    part(
      '0',
      `w.id, 'PARTNER_JOINED', 'partner:' || s.id, jsonb_build_object('stakeholderId', s.id)
       FROM stakeholder s
       JOIN webhook_endpoint w ON ${hears(
         WebhookEventType.PARTNER_JOINED,
         'ARRAY(SELECT hm.hub_id FROM hub_member hm WHERE hm.stakeholder_id = s.id)',
       )}
       WHERE s.id = ANY(${$(joined)}::uuid[]) AND s.erased_at IS NULL`,
    );
  const posted =
    change?.kind === 'challenge' && change.created ? [change.id] : change?.kind === 'challenges' ? change.created : [];
  if (posted.length)
    part(
      '0',
      `w.id, 'CHALLENGE_POSTED', 'challenge:' || c.id, jsonb_build_object('challengeId', c.id)
       FROM challenge c JOIN webhook_endpoint w ON ${hears(WebhookEventType.CHALLENGE_POSTED, managingHubsSql('c'))}
       WHERE c.id = ANY(${$(posted)}::uuid[])`,
    );
  if (change?.kind === 'partnership' && change.partnershipId)
    part(
      '0',
      `w.id, 'PARTNERSHIP_CHANGED', 'partnership:' || ${$(String(relayed.relayedSeq))}::text,
       jsonb_build_object('partnershipId', p.id, 'status', ${$(change.status ?? null)}::text)
       FROM partnership p JOIN challenge c ON c.id = p.challenge_id
       JOIN webhook_endpoint w ON ${hears(WebhookEventType.PARTNERSHIP_CHANGED, managingHubsSql('c'))}
       WHERE p.id = ${$(change.partnershipId)}`,
    );
  if (!parts.length) return 0;
  const ids = await preparedQuery<{ id: string }>(
    m,
    `${INSERT}
     SELECT d.endpoint_id, d.event_type, d.source, d.subject, ${MESSAGE_ID}
     FROM (${parts.join(' UNION ALL ')}) AS d(part, ord, endpoint_id, event_type, source, subject)
     ORDER BY d.part, d.ord
     ${DONE}`,
    params,
  );
  const jobs: DeliveryJob[] = ids.map(({ id }) => ({ deliveryId: id, attempt: 1 }));
  await queue.enqueue(m, jobs);
  return jobs.length;
}
