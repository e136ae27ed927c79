import type { JobQueue } from '../jobs/job-queue';

/** The queue's name in pg-boss. */
export const DELIVERY_QUEUE = 'webhook-delivery';

/** What a queued job says: which delivery, and which of its attempts (a stale job is skipped). */
export interface DeliveryJob {
  deliveryId: string;
  attempt: number;
}

/** The durable queue of webhook attempts. */
export type WebhookQueue = JobQueue<DeliveryJob>;
