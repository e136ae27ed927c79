/**
 * Webhook endpoints: registered, changed, rotated and deleted by the key that owns them (or an
 * administrator), each in one transaction. An endpoint hears only hubs its key acts for; its URL
 * is checked against private addresses here and again before every attempt (src/webhooks/).
 */
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Role, Viewer } from '../access/role';
import { badInput, DomainError, DomainErrorCode, notFound } from '../errors';
import { requireHubs } from '../hub/hub.service';
import { DEFAULT_PAGE_SIZE, PageArgs, pageSize } from '../pagination';
import { packCursor, unpackCursor } from '../cursor';
import { inTransaction } from '../unit-of-work';
import * as v from '../validate';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from './webhook.entity';

/** What a caller may set on an endpoint (absent fields keep their value on update). */
export interface WebhookEndpointCommand {
  url?: string | null;
  events?: readonly WebhookEventType[] | null;
  hubIds?: readonly string[] | null;
  minScore?: number | null;
  enabled?: boolean | null;
}

/** What the domain needs from the outbound guard and the settings. */
export interface WebhookRules {
  /** Refuses a URL the service may not call (scheme, private addresses), naming `field`. */
  checkUrl(url: string, field: string): Promise<URL>;
  maxEndpointsPerKey: number;
  /** Lowest `minScore` an endpoint may ask for (the score matches are stored from). */
  scoreFloor: number;
}

/** Queues an attempt in the caller's transaction (see src/webhooks/webhook-queue.ts). */
export type EnqueueAttempt = (m: EntityManager, deliveryId: string, attempt: number) => Promise<void>;

/** A new signing secret, as Standard Webhooks libraries take it (`whsec_` + base64 of 24 random bytes). */
export const newSecret = (): string => 'whsec_' + randomBytes(24).toString('base64');

function ownerOf(viewer: Viewer): string {
  if (!viewer.keyId) throw new DomainError(DomainErrorCode.Unauthenticated, 'webhooks need an API key');
  return viewer.keyId;
}

function events(list: readonly WebhookEventType[] | null | undefined, field: string): WebhookEventType[] {
  const unique = [...new Set(list ?? [])];
  if (!unique.length) throw badInput(field, 'must name at least one event type');
  return unique;
}

async function hubs(m: EntityManager, viewer: Viewer, list: readonly string[] | null | undefined): Promise<string[]> {
  if (list == null) return viewer.role === Role.ADMIN ? [] : [...viewer.hubIds];
  if (list.length > 50) throw badInput('input.hubIds', 'may list at most 50 hubs');
  const ids = [...new Set(list.map((id, i) => v.uuid(`input.hubIds[${i}]`, id)))];
  if (viewer.role !== Role.ADMIN) {
    if (!ids.length) throw badInput('input.hubIds', `must name at least one of this ${viewer.role} key's hubs`);
    ids.forEach((id, i) => {
      if (!viewer.hubIds.includes(id))
        throw new DomainError(
          DomainErrorCode.Forbidden,
          `input.hubIds[${i}] is not a hub this key acts for: an endpoint hears only its key's hubs`,
          `input.hubIds[${i}]`,
        );
    });
  }
  await requireHubs(m, ids, 'input.hubIds');
  return ids;
}

/** Who may manage an endpoint: the key that registered it, or an administrator. */
export const mayManage = (viewer: Viewer, endpoint: WebhookEndpoint | null): endpoint is WebhookEndpoint =>
  endpoint !== null && (viewer.role === Role.ADMIN || endpoint.ownerKey === viewer.keyId);

/** The endpoint `id` if the viewer may manage it; another key's is as absent as a missing one. */
async function owned(m: EntityManager, viewer: Viewer, id: string): Promise<WebhookEndpoint> {
  const endpoint = await m.findOneBy(WebhookEndpoint, { id: v.uuid('id', id) });
  if (!mayManage(viewer, endpoint)) throw notFound('WebhookEndpoint', id, 'id');
  return endpoint;
}

/** Registers an endpoint; its secret is returned here and at rotation only. */
export async function createWebhookEndpoint(
  db: EntityManager,
  viewer: Viewer,
  input: WebhookEndpointCommand,
  rules: WebhookRules,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const owner = ownerOf(viewer);
  const url = await rules.checkUrl(v.requireText('input.url', input.url ?? '', 2048), 'input.url');
  const wanted = events(input.events, 'input.events');
  const minScore =
    input.minScore == null ? null : v.numberInRange('input.minScore', input.minScore, rules.scoreFloor, 1);
  return inTransaction(db, async (m) => {
    const hubIds = await hubs(m, viewer, input.hubIds);
    // Counted under a lock on the key's endpoints: two registrations at once cannot both pass.
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${owner}`]);
    const count = await m.countBy(WebhookEndpoint, { ownerKey: owner });
    if (count >= rules.maxEndpointsPerKey)
      throw badInput(
        'input.url',
        `cannot be registered: this key has ${count} endpoints, the most one key may have (WEBHOOK_MAX_ENDPOINTS)`,
      );
    const secret = newSecret();
    const endpoint = await m.save(
      m.create(WebhookEndpoint, {
        ownerKey: owner,
        url: url.href,
        events: wanted,
        hubIds,
        minScore,
        secret,
        enabled: true,
        disabledReason: null,
        consecutiveFailures: 0,
      }),
    );
    return { endpoint, secret };
  });
}

/** Changes an endpoint; an update re-enables it unless `enabled: false` is given. */
export async function updateWebhookEndpoint(
  db: EntityManager,
  viewer: Viewer,
  id: string,
  input: WebhookEndpointCommand,
  rules: WebhookRules,
): Promise<WebhookEndpoint> {
  const url =
    input.url == null ? undefined : await rules.checkUrl(v.requireText('input.url', input.url, 2048), 'input.url');
  return inTransaction(db, async (m) => {
    const endpoint = await owned(m, viewer, id);
    if (url) endpoint.url = url.href;
    if (input.events != null) endpoint.events = events(input.events, 'input.events');
    if (input.hubIds != null) endpoint.hubIds = await hubs(m, viewer, input.hubIds);
    if (input.minScore !== undefined)
      endpoint.minScore =
        input.minScore === null ? null : v.numberInRange('input.minScore', input.minScore, rules.scoreFloor, 1);
    endpoint.enabled = input.enabled !== false;
    endpoint.disabledReason = endpoint.enabled ? null : 'disabled by its owner';
    endpoint.consecutiveFailures = 0;
    return m.save(endpoint);
  });
}

/** A new secret for an endpoint, effective for the next attempt; returned here only. */
export async function rotateWebhookSecret(
  db: EntityManager,
  viewer: Viewer,
  id: string,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  return inTransaction(db, async (m) => {
    const endpoint = await owned(m, viewer, id);
    endpoint.secret = newSecret();
    return { endpoint: await m.save(endpoint), secret: endpoint.secret };
  });
}

/** Deletes an endpoint with its deliveries (queued attempts find nothing and end). */
export async function deleteWebhookEndpoint(db: EntityManager, viewer: Viewer, id: string): Promise<boolean> {
  return inTransaction(db, async (m) => {
    const endpoint = await owned(m, viewer, id);
    await m.delete(WebhookEndpoint, { id: endpoint.id });
    return true;
  });
}

/** Sends a delivery again, with the same `webhook-id`, as its next attempt. */
export async function redeliverWebhook(
  db: EntityManager,
  viewer: Viewer,
  deliveryId: string,
  enqueue: EnqueueAttempt,
): Promise<WebhookDelivery> {
  return inTransaction(db, async (m) => {
    const delivery = await m.findOneBy(WebhookDelivery, { id: v.uuid('deliveryId', deliveryId) });
    if (!delivery) throw notFound('WebhookDelivery', deliveryId, 'deliveryId');
    const endpoint = await m.findOneBy(WebhookEndpoint, { id: delivery.endpointId });
    if (!mayManage(viewer, endpoint)) throw notFound('WebhookDelivery', deliveryId, 'deliveryId');
    if (!endpoint.enabled)
      throw new DomainError(
        DomainErrorCode.Conflict,
        `deliveryId belongs to a disabled endpoint (${endpoint.disabledReason ?? 'disabled'}): ` +
          'update the endpoint to enable it first',
        'deliveryId',
      );
    delivery.status = WebhookDeliveryStatus.PENDING;
    delivery.nextAttemptAt = new Date();
    const saved = await m.save(delivery);
    await enqueue(m, delivery.id, delivery.attempts + 1);
    return saved;
  });
}

/** A page of (created_at, id) rows, newest first. */
export interface NewestFirst<T> {
  rows: T[];
  hasNextPage: boolean;
  cursorOf(row: T): string;
  /** Every row of the list, across pages (counted only when asked). */
  totalCount(): Promise<number>;
}

async function newestFirst<T extends { createdAt: Date; id: string }>(
  m: EntityManager,
  entity: new () => T,
  where: { column: string; value: string } | undefined,
  page: PageArgs,
): Promise<NewestFirst<T>> {
  const limit = pageSize(page.first ?? DEFAULT_PAGE_SIZE);
  const qb = m.getRepository(entity).createQueryBuilder('x');
  if (where) qb.where(`x.${where.column} = :value`, { value: where.value });
  const all = qb.clone();
  if (page.after) {
    const c = unpackCursor('after', page.after, 'n', 2, 'a cursor returned by this API');
    qb.andWhere('(x.createdAt, x.id) < (:at, :id)', { at: c.time(0), id: c.uuid(1) });
  }
  const rows = await qb
    .orderBy('x.createdAt', 'DESC')
    .addOrderBy('x.id', 'DESC')
    .limit(limit + 1)
    .getMany();
  return {
    rows: rows.slice(0, limit),
    hasNextPage: rows.length > limit,
    cursorOf: (r) => packCursor('n', [r.createdAt.toISOString(), r.id]),
    totalCount: () => all.getCount(),
  };
}

/** The viewer's endpoints (an administrator's: every endpoint), newest first. */
export async function listWebhookEndpoints(m: EntityManager, viewer: Viewer, page: PageArgs) {
  const where = viewer.role === Role.ADMIN ? undefined : { column: 'ownerKey', value: ownerOf(viewer) };
  return newestFirst(m, WebhookEndpoint, where, page);
}

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(m: EntityManager, endpointId: string, page: PageArgs) {
  return newestFirst(m, WebhookDelivery, { column: 'endpointId', value: endpointId }, page);
}

/** How webhook delivery is going, across every endpoint (an administrator's view). */
export interface WebhookHealthFacts {
  pending: number;
  oldestPendingSeconds: number | null;
  deliveredLastHour: number;
  failedLastHour: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  disabledEndpoints: number;
}

/** Counts and latencies of the last hour's deliveries, and what waits now. */
export async function webhookHealth(m: EntityManager): Promise<WebhookHealthFacts> {
  const [row]: Record<keyof WebhookHealthFacts, number | string | null>[] = await m.query(
    `WITH hour AS (SELECT * FROM webhook_delivery WHERE created_at > now() - interval '1 hour'),
          delivered AS (SELECT extract(epoch FROM delivered_at - created_at) * 1000 AS ms FROM hour
                        WHERE status = 'DELIVERED')
     SELECT (SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING') AS "pending",
            (SELECT extract(epoch FROM now() - min(created_at)) FROM webhook_delivery WHERE status = 'PENDING')
              AS "oldestPendingSeconds",
            (SELECT count(*) FROM delivered) AS "deliveredLastHour",
            (SELECT count(*) FROM hour WHERE status = 'FAILED') AS "failedLastHour",
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM delivered) AS "latencyP50Ms",
            (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM delivered) AS "latencyP99Ms",
            (SELECT count(*) FROM webhook_endpoint WHERE NOT enabled) AS "disabledEndpoints"`,
  );
  const n = (x: number | string | null) => (x === null ? null : Number(x));
  return {
    pending: Number(row.pending),
    oldestPendingSeconds: n(row.oldestPendingSeconds),
    deliveredLastHour: Number(row.deliveredLastHour),
    failedLastHour: Number(row.failedLastHour),
    latencyP50Ms: n(row.latencyP50Ms),
    latencyP99Ms: n(row.latencyP99Ms),
    disabledEndpoints: Number(row.disabledEndpoints),
  };
}
