/**
 * One attempt of one delivery, as a queued job runs it: build the body once (then resend it
 * unchanged), sign it (Standard Webhooks), POST it through the outbound guard, and record what
 * happened — the next attempt by the schedule, the endpoint disabled on 410 or too many failures.
 */
import { DataSource, EntityManager } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import { Viewer } from '../domain/access/role';
import { WebhookDeliveryStatus, WebhookEventType } from '../domain/webhook/webhook.entity';
import { Logger } from '../log/logger';
import { OutboundPolicy } from './outbound-policy';
import { safePost } from './safe-post';
import { BuiltPayload, PayloadSource } from './webhook-payload';
import { DeliveryJob, WebhookQueue } from './webhook-queue';
import { MAX_RESPONSE_BYTES, WebhookSettings } from './webhook-settings';

/** What the sender needs. */
export interface SenderDeps {
  dataSource: DataSource;
  queue: WebhookQueue;
  settings: WebhookSettings;
  log: Logger;
  buildPayload(source: PayloadSource, viewer: Viewer): Promise<BuiltPayload>;
  /** The viewer an endpoint's owner key speaks for; undefined once the key is revoked. */
  viewerOf(ownerKey: string): Promise<Viewer | undefined>;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: WebhookEventType;
  subject: Record<string, unknown>;
  message_id: string;
  payload: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  created_at: Date;
  url: string;
  secret: string;
  enabled: boolean;
  disabled_reason: string | null;
  owner_key: string;
}

/** What an attempt came to. */
type Outcome =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; gone?: boolean; final?: boolean };

/** Stops an endpoint and fails what it still had waiting (in the caller's transaction). */
export async function disableEndpoint(m: EntityManager, endpointId: string, reason: string): Promise<void> {
  await m.query(`UPDATE webhook_endpoint SET enabled = false, disabled_reason = $2 WHERE id = $1 AND enabled`, [
    endpointId,
    reason,
  ]);
  await m.query(
    `UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL,
       last_error = coalesce(last_error || '; ', '') || 'endpoint disabled: ' || $2
     WHERE endpoint_id = $1 AND status = 'PENDING'`,
    [endpointId, reason],
  );
}

const excerpt = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 200);

/** The job handler: runs one attempt of the delivery a job names. */
export function createSender(deps: SenderDeps): (job: DeliveryJob) => Promise<void> {
  const { dataSource, settings, log } = deps;
  const policy: OutboundPolicy = {
    allowHttp: settings.allowHttp,
    allowedPrivateHosts: settings.allowedPrivateHosts,
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: MAX_RESPONSE_BYTES,
  };

  const record = async (d: DeliveryRow, outcome: Outcome) =>
    dataSource.transaction(async (m) => {
      const attempts = d.attempts + 1;
      if (outcome.ok) {
        await m.query(
          `UPDATE webhook_delivery SET status = 'DELIVERED', attempts = $2, last_status_code = $3, last_error = NULL,
             next_attempt_at = NULL, delivered_at = now() WHERE id = $1 AND attempts = $4`,
          [d.id, attempts, outcome.status, d.attempts],
        );
        await m.query('UPDATE webhook_endpoint SET consecutive_failures = 0 WHERE id = $1', [d.endpoint_id]);
        return;
      }
      const [endpoint]: { consecutive_failures: number }[] = await m.query(
        `WITH u AS (UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + 1 WHERE id = $1
           RETURNING consecutive_failures) SELECT consecutive_failures FROM u`,
        [d.endpoint_id],
      );
      const retryIn = settings.retrySchedule[attempts - 1];
      const last = outcome.final || retryIn === undefined;
      const next = last ? null : new Date(Date.now() + retryIn * 1000);
      await m.query(
        `UPDATE webhook_delivery SET status = $2, attempts = $3, last_status_code = $4, last_error = $5,
           next_attempt_at = $6 WHERE id = $1 AND attempts = $7`,
        [d.id, last ? 'FAILED' : 'PENDING', attempts, outcome.status, outcome.error, next, d.attempts],
      );
      if (outcome.gone) await disableEndpoint(m, d.endpoint_id, 'the endpoint answered 410 Gone');
      else if ((endpoint?.consecutive_failures ?? 0) >= settings.disableAfterFailures)
        await disableEndpoint(
          m,
          d.endpoint_id,
          `${settings.disableAfterFailures} failed attempts in a row (the last: ${outcome.error})`,
        );
      else if (next) await deps.queue.enqueue(m, [{ deliveryId: d.id, attempt: attempts + 1 }], next);
    });

  return async (job) => {
    const [d]: DeliveryRow[] = await dataSource.query(
      `SELECT d.id, d.endpoint_id, d.event_type, d.subject, d.message_id, d.payload, d.status, d.attempts,
              d.created_at, w.url, w.secret, w.enabled, w.disabled_reason, w.owner_key
       FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE d.id = $1`,
      [job.deliveryId],
    );
    // Deleted with its endpoint, answered already, or an older job of a delivery tried since.
    if (!d || d.status !== WebhookDeliveryStatus.PENDING || d.attempts + 1 !== job.attempt) return;
    if (!d.enabled) {
      await dataSource.transaction((m) => disableEndpoint(m, d.endpoint_id, d.disabled_reason ?? 'disabled'));
      return;
    }
    const viewer = await deps.viewerOf(d.owner_key);
    if (!viewer) {
      await dataSource.transaction((m) => disableEndpoint(m, d.endpoint_id, 'its API key was revoked'));
      return;
    }
    let body = d.payload;
    if (body === null) {
      const built = await deps.buildPayload({ eventType: d.event_type, subject: d.subject }, viewer);
      if ('gone' in built) {
        await record(d, { ok: false, status: null, error: built.gone, final: true });
        return;
      }
      body = built.body;
      await dataSource.query('UPDATE webhook_delivery SET payload = $2 WHERE id = $1 AND payload IS NULL', [
        d.id,
        body,
      ]);
    }
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'open-schooling-matchmaker-webhooks',
      'webhook-id': d.message_id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(d.secret).sign(d.message_id, now, body),
    };
    let outcome: Outcome;
    try {
      const response = await safePost(d.url, headers, body, policy);
      outcome =
        response.status >= 200 && response.status < 300
          ? { ok: true, status: response.status }
          : {
              ok: false,
              status: response.status,
              error: `HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`,
              gone: response.status === 410,
              final: response.status === 410,
            };
    } catch (error) {
      outcome = { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
    }
    await record(d, outcome);
    const ms = Date.now() - new Date(d.created_at).getTime();
    if (outcome.ok) log.info('webhook delivered', { delivery: d.id, attempt: job.attempt, ms });
    else log.warn('webhook attempt failed', { delivery: d.id, attempt: job.attempt, error: outcome.error });
  };
}
