import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import keeps out every row whose externalId an erasure left as a digest. That check probed
 * every stored stakeholder: the planner hashed the whole table for each slice of 2,000 rows (a
 * 1,000,000-row import scanned it 500 times). Only erased rows can hold a digest, and they are few:
 * an index of theirs alone makes the check as cheap as the erasures are rare.
 */
export class ErasedExternalIds1795400000350 implements MigrationInterface {
  name = 'ErasedExternalIds1795400000350';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX stakeholder_erased_external_id_idx ON stakeholder (external_id) WHERE erased_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS stakeholder_erased_external_id_idx`);
  }
}
