import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stakeholder's service area: how far its reach goes (LOCAL, REGIONAL, NATIONAL,
 * INTERNATIONAL). Null means the default of its kind (see src/matching/reach.ts).
 */
export class ServiceArea1795400000013 implements MigrationInterface {
  name = 'ServiceArea1795400000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE stakeholder ADD COLUMN service_area text
        CHECK (service_area IN ('LOCAL', 'REGIONAL', 'NATIONAL', 'INTERNATIONAL'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stakeholder DROP COLUMN service_area`);
  }
}
