import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activity entries get a random public id: the serial one, shown as `Activity.id` and inside page
 * cursors, counted every hub's brokering, so one hub's coordinator could read the others' volume
 * off the gaps. The serial stays as the internal key (it orders entries); nobody outside sees it.
 */
export class OpaqueActivityIds1795400000230 implements MigrationInterface {
  name = 'OpaqueActivityIds1795400000230';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE activity ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid()`);
    await q.query(`CREATE UNIQUE INDEX activity_public_id_key ON activity (public_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE activity DROP COLUMN public_id`);
  }
}
