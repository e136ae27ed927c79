import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and their deliveries. A delivery is one event for one endpoint, written by
 * the outbox relay in the transaction that records the event (unique per endpoint and event, so
 * a relay retried after a crash writes none twice); the job queue (pg-boss, its own schema) only
 * says when to try it. The secret is kept as given: signing needs it, as it does in every
 * Standard Webhooks sender.
 */
export class Webhooks1795400000260 implements MigrationInterface {
  name = 'Webhooks1795400000260';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoint (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_key text NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        hub_ids uuid[] NOT NULL DEFAULT '{}',
        min_score float8,
        secret text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        consecutive_failures int NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoint_owner ON webhook_endpoint (owner_key, created_at, id)`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        source text NOT NULL,
        subject jsonb NOT NULL,
        message_id text NOT NULL,
        payload text,
        status text NOT NULL DEFAULT 'PENDING',
        attempts int NOT NULL DEFAULT 0,
        last_status_code int,
        last_error text,
        next_attempt_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        delivered_at timestamptz(3),
        UNIQUE (endpoint_id, source)
      )`);
    await q.query(`CREATE INDEX webhook_delivery_page ON webhook_delivery (endpoint_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhook_delivery_pending ON webhook_delivery (status) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE webhook_endpoint`);
  }
}
