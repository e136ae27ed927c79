import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys (only a hash of each secret is stored), idempotency keys for retried mutations, and
 * what privacy needs on stakeholders: when a family gave consent, and when one was erased.
 */
export class Access1795400000005 implements MigrationInterface {
  name = 'Access1795400000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) > 0),
        role text NOT NULL CHECK (role IN ('ADMIN', 'COORDINATOR', 'PORTAL')),
        hub_ids uuid[] NOT NULL DEFAULT '{}',
        allowed_origins text[] NOT NULL DEFAULT '{}',
        secret_hash bytea NOT NULL CONSTRAINT api_key_secret_hash_key UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3)
      )`);
    // Retries of invitePartner / respondToInvitation with the same key return the first result.
    await q.query(`
      CREATE TABLE idempotency_key (
        caller text NOT NULL,
        operation text NOT NULL,
        key text NOT NULL,
        result_id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (caller, operation, key)
      )`);
    await q.query(
      `ALTER TABLE stakeholder ADD COLUMN consent_given_at timestamptz(3), ADD COLUMN erased_at timestamptz(3)`,
    );
    // Families registered before consent was recorded: their coordinators collected it on paper.
    await q.query(`UPDATE stakeholder SET consent_given_at = created_at WHERE kind = 'FAMILY'`);
    await q.query(
      `ALTER TABLE stakeholder ADD CONSTRAINT stakeholder_family_consent CHECK (kind <> 'FAMILY' OR consent_given_at IS NOT NULL OR erased_at IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stakeholder DROP CONSTRAINT stakeholder_family_consent`);
    await q.query(`ALTER TABLE stakeholder DROP COLUMN erased_at, DROP COLUMN consent_given_at`);
    await q.query(`DROP TABLE idempotency_key`);
    await q.query(`DROP TABLE api_key`);
  }
}
