import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ids from the coordinators' own spreadsheets, so that a re-import updates instead of duplicating. */
export class ExternalIds1795400000004 implements MigrationInterface {
  name = 'ExternalIds1795400000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stakeholder ADD COLUMN external_id text`);
    await q.query(`CREATE UNIQUE INDEX stakeholder_external_id_key ON stakeholder (external_id)`);
    await q.query(`ALTER TABLE challenge ADD COLUMN external_id text`);
    await q.query(`CREATE UNIQUE INDEX challenge_external_id_key ON challenge (external_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE challenge DROP COLUMN external_id`);
    await q.query(`ALTER TABLE stakeholder DROP COLUMN external_id`);
  }
}
