import { MigrationInterface, QueryRunner } from 'typeorm';
import sdgs from '../src/db/reference/sdgs.json';

/** SDG titles in French, beside English and Dutch: reasons and labels speak the networks' languages. */
export class FrenchTitles1795400000012 implements MigrationInterface {
  name = 'FrenchTitles1795400000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sdg ADD COLUMN title_fr text`);
    await q.query(
      `UPDATE sdg SET title_fr = t.title FROM unnest($1::int[], $2::text[]) AS t(id, title) WHERE sdg.id = t.id`,
      [sdgs.map((s) => s.id), sdgs.map((s) => s.titleFr)],
    );
    await q.query(`ALTER TABLE sdg ALTER COLUMN title_fr SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sdg DROP COLUMN title_fr`);
  }
}
