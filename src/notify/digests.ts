/**
 * Coordinators' digests: an address subscribed to a hub's digest (daily or weekly, in a language)
 * once it confirmed by the link mailed to it (double opt-in), gets what changed in the hub since
 * the last one — new matches of its open challenges, invitations waiting longest or expiring soon,
 * declined or expired ones with the next best partners, partners near capacity — at 07:00 in the
 * hub's time zone. A family is named as anyone may see it. Unsubscribing takes one click (RFC 8058).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Viewer } from '../domain/access/role';
import { badInput, DomainError, DomainErrorCode } from '../domain/errors';
import { Language } from '../domain/language';
import * as v from '../domain/validate';
import { inTransaction } from '../domain/unit-of-work';
import { requireHubs } from '../domain/hub/hub.service';
import { JobQueue } from '../jobs/job-queue';
import type { DigestJob } from './notify-sweep';

/** How often a digest comes. */
export type DigestFrequency = 'DAILY' | 'WEEKLY';

/** A subscription's period in SQL: a local day, or a local week (Monday to Sunday). */
const PERIOD = `CASE d.frequency WHEN 'WEEKLY' THEN 'week' ELSE 'day' END`;

/** Local hour (in the hub's time zone) from which the day's digest is due. @default 7 */
export const DIGEST_HOUR = 7;

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();
const newToken = () => randomBytes(32).toString('base64url');

/** A subscription as its coordinator sees it. */
export interface DigestSubscriptionRow {
  id: string;
  hubId: string;
  email: string;
  lang: Language;
  frequency: DigestFrequency;
  confirmed: boolean;
}

/** A job to mail a subscription its confirmation link. */
export interface ConfirmJob {
  subscriptionId: string;
}

/**
 * Subscribes an address to a hub's digest, unconfirmed until the link mailed to it is followed
 * (the confirmation mail is queued in the same transaction); subscribing it again renews the link.
 */
export async function subscribeToDigest(
  db: EntityManager,
  viewer: Viewer,
  input: { hubId: string; email: string; lang: Language; frequency: DigestFrequency },
  confirmations: JobQueue<ConfirmJob>,
): Promise<DigestSubscriptionRow> {
  const hubId = v.uuid('input.hubId', input.hubId);
  const email = v.optionalEmail('input.email', input.email);
  if (!email) throw badInput('input.email', 'must be an e-mail address');
  if (!viewer.keyId) throw new DomainError(DomainErrorCode.Unauthenticated, 'subscribing needs an API key');
  return inTransaction(db, async (m) => {
    await requireHubs(m, [hubId], 'input.hubId');
    const [row]: { id: string; confirmed_at: Date | null }[] = await m.query(
      `INSERT INTO digest_subscription (hub_id, email, lang, frequency, owner_key, confirm_hash, unsubscribe_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (hub_id, email) DO UPDATE SET lang = EXCLUDED.lang, frequency = EXCLUDED.frequency,
         owner_key = EXCLUDED.owner_key
       RETURNING id, confirmed_at`,
      [hubId, email, input.lang, input.frequency, viewer.keyId, hashOf(newToken()), hashOf(newToken())],
    );
    if (!row.confirmed_at) await confirmations.enqueue(m, [{ subscriptionId: row.id }]);
    return { id: row.id, hubId, email, lang: input.lang, frequency: input.frequency, confirmed: !!row.confirmed_at };
  });
}

/** Issues a fresh confirmation token (the mailed link), replacing the last one. */
export async function renewConfirmToken(m: EntityManager, subscriptionId: string): Promise<string> {
  const token = newToken();
  await m.query('UPDATE digest_subscription SET confirm_hash = $2 WHERE id = $1', [subscriptionId, hashOf(token)]);
  return token;
}

/** Issues a fresh unsubscribe token for a subscription (each digest carries its own link). */
export async function renewUnsubscribeToken(m: EntityManager, subscriptionId: string): Promise<string> {
  const token = newToken();
  await m.query('UPDATE digest_subscription SET unsubscribe_hash = $2 WHERE id = $1', [subscriptionId, hashOf(token)]);
  return token;
}

/** What a digest link does. */
export type DigestLinkAction = 'confirm' | 'unsubscribe';

/** The subscription a link names, or undefined for a link never issued. */
export async function readDigestLink(
  m: EntityManager,
  action: DigestLinkAction,
  token: string,
): Promise<{ id: string; email: string; hubName: string; lang: Language } | undefined> {
  if (token.length > 64 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const column = action === 'confirm' ? 'confirm_hash' : 'unsubscribe_hash';
  const [row]: { id: string; email: string; hub_name: string; lang: Language }[] = await m.query(
    `SELECT d.id, d.email, h.name AS hub_name, d.lang FROM digest_subscription d JOIN hub h ON h.id = d.hub_id
     WHERE d.${column} = $1`,
    [hashOf(token)],
  );
  return row && { id: row.id, email: row.email, hubName: row.hub_name, lang: row.lang };
}

/** Follows a digest link: confirms the subscription, or ends it. Returns whether the link was valid. */
export async function followDigestLink(db: EntityManager, action: DigestLinkAction, token: string): Promise<boolean> {
  const link = await readDigestLink(db, action, token);
  if (!link) return false;
  if (action === 'confirm')
    await db.query('UPDATE digest_subscription SET confirmed_at = coalesce(confirmed_at, now()) WHERE id = $1', [
      link.id,
    ]);
  else await db.query('DELETE FROM digest_subscription WHERE id = $1', [link.id]);
  return true;
}

/**
 * Queues every confirmed digest due at `now` (once per local day, or per local week from Monday,
 * from {@link DIGEST_HOUR} in the hub's time zone), marking it sent in the same transaction.
 */
export async function queueDueDigests(db: DataSource, queue: JobQueue<DigestJob>, now: Date): Promise<number> {
  return db.transaction(async (m) => {
    const due: { id: string; since: Date }[] = await m.query(
      `WITH due AS (
         SELECT d.id, coalesce(d.last_sent_at, d.confirmed_at) AS since FROM digest_subscription d
         JOIN hub h ON h.id = d.hub_id
         WHERE d.confirmed_at IS NOT NULL
           AND extract(hour FROM $1::timestamptz AT TIME ZONE h.time_zone) >= ${DIGEST_HOUR}
           AND (d.last_sent_at IS NULL
             OR date_trunc(${PERIOD}, d.last_sent_at AT TIME ZONE h.time_zone)
               < date_trunc(${PERIOD}, $1::timestamptz AT TIME ZONE h.time_zone))
         ORDER BY d.id LIMIT 1000 FOR UPDATE OF d SKIP LOCKED),
       u AS (UPDATE digest_subscription s SET last_sent_at = $1 FROM due WHERE s.id = due.id RETURNING s.id)
       SELECT due.id, due.since FROM due JOIN u ON u.id = due.id`,
      [now],
    );
    await queue.enqueue(
      m,
      due.map((d) => ({ subscriptionId: d.id, since: new Date(d.since).toISOString(), until: now.toISOString() })),
    );
    return due.length;
  });
}
