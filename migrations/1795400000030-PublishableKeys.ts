import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publishable keys (role PUBLISHABLE, text `pk_…`) for public pages. The database holds their
 * shape too: bound to at least one origin, acting for no hub, and their public text kept (only
 * theirs: secret keys stay a hash).
 */
export class PublishableKeys1795400000030 implements MigrationInterface {
  name = 'PublishableKeys1795400000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_key ADD COLUMN publishable_key text CONSTRAINT api_key_publishable_key_key UNIQUE`);
    await q.query(`ALTER TABLE api_key DROP CONSTRAINT api_key_role_check`);
    await q.query(
      `ALTER TABLE api_key ADD CONSTRAINT api_key_role_check
         CHECK (role IN ('ADMIN', 'COORDINATOR', 'PORTAL', 'PUBLISHABLE'))`,
    );
    await q.query(
      `ALTER TABLE api_key ADD CONSTRAINT api_key_publishable_shape CHECK (
         (role = 'PUBLISHABLE') = (publishable_key IS NOT NULL)
         AND (role <> 'PUBLISHABLE' OR (cardinality(allowed_origins) > 0 AND cardinality(hub_ids) = 0)))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Publishable keys cannot outlive their role: they go with it.
    await q.query(`DELETE FROM api_key WHERE role = 'PUBLISHABLE'`);
    await q.query(`ALTER TABLE api_key DROP CONSTRAINT api_key_publishable_shape`);
    await q.query(`ALTER TABLE api_key DROP CONSTRAINT api_key_role_check`);
    await q.query(
      `ALTER TABLE api_key ADD CONSTRAINT api_key_role_check CHECK (role IN ('ADMIN', 'COORDINATOR', 'PORTAL'))`,
    );
    await q.query(`ALTER TABLE api_key DROP COLUMN publishable_key`);
  }
}
