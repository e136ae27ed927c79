/**
 * Webhooks, wired: the queue (pg-boss), the relay hook that writes deliveries, the senders, and
 * what mutations need (the URL rule, the queue). One start, one stop.
 */
import { DataSource, EntityManager } from 'typeorm';
import { GraphQLSchema } from 'graphql';
import { viewerOfKey } from '../domain/access/api-key.service';
import { runtimeRegistry } from '../jobs/runtime-registry';
import { EnqueueAttempt, WebhookRules } from '../domain/webhook/webhook.service';
import type { Pipeline } from '../graphql/pipeline';
import { Logger } from '../log/logger';
import { RelayedChange } from '../subscriptions/outbox-relay';
import { EVENT_FLOOR } from '../subscriptions/topics';
import { checkWebhookUrl } from './outbound-policy';
import { enqueueWebhooks } from './webhook-enqueue';
import { createPayloadBuilder } from './webhook-payload';
import { createSender } from './webhook-sender';
import { DELIVERY_QUEUE, DeliveryJob, WebhookQueue } from './webhook-queue';
import type { Jobs } from '../jobs/job-queue';
import { MAX_RESPONSE_BYTES, WebhookSettings } from './webhook-settings';

/** What a mutation needs from the running webhooks. */
export interface WebhookRuntime {
  rules: WebhookRules;
  enqueue: EnqueueAttempt;
  /** The queue's depth, for the administrator's view. */
  queue: Pick<WebhookQueue, 'depth'>;
}

const runtimes = runtimeRegistry<WebhookRuntime>('webhooks');

/** The webhooks running on `dataSource`'s service; refused as unavailable before they start. */
export const webhookRuntimeOf = (dataSource: DataSource): WebhookRuntime => runtimes.of(dataSource);

/** Running webhooks: the relay hook goes to the change feed, the senders start with {@link WebhookService.send}. */
export interface WebhookService {
  queue: WebhookQueue;
  /** For the change feed: writes a relayed change's deliveries in the relay's transaction. */
  onRelayed(m: EntityManager, relayed: RelayedChange): Promise<number>;
  /** Starts sending, with bodies built through the one pipeline; returns the way to stop sending. */
  send(schema: GraphQLSchema, pipeline: Pipeline): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

/** Options for {@link startWebhooks}. */
export interface StartWebhooksOptions {
  dataSource: DataSource;
  jobs: Jobs;
  log: Logger;
  settings: WebhookSettings;
}

/** Opens the queue and registers what mutations need; {@link WebhookService.send} starts the senders. */
export async function startWebhooks(options: StartWebhooksOptions): Promise<WebhookService> {
  const { dataSource, log, settings } = options;
  const queue = await options.jobs.queue<DeliveryJob>(DELIVERY_QUEUE);
  const policy = {
    allowHttp: settings.allowHttp,
    allowedPrivateHosts: settings.allowedPrivateHosts,
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: MAX_RESPONSE_BYTES,
  };
  runtimes.set(dataSource, {
    rules: {
      checkUrl: (url, field) => checkWebhookUrl(url, policy, field),
      maxEndpointsPerKey: settings.maxEndpointsPerKey,
      scoreFloor: EVENT_FLOOR,
    },
    enqueue: (m, deliveryId, attempt) => queue.enqueue(m, [{ deliveryId, attempt }]),
    queue,
  });
  const viewerOf = (ownerKey: string) => viewerOfKey(dataSource.manager, ownerKey);
  return {
    queue,
    onRelayed: (m, relayed) => enqueueWebhooks(m, queue, relayed),
    async send(schema, pipeline) {
      const buildPayload = createPayloadBuilder(schema, dataSource, (viewer) =>
        pipeline.context(viewer, { transport: 'webhook' }),
      );
      const sender = createSender({ dataSource, queue, settings, log, buildPayload, viewerOf });
      return queue.work(settings.concurrency, sender);
    },
    async stop() {
      runtimes.delete(dataSource);
    },
  };
}
