import { MigrationInterface, QueryRunner } from 'typeorm';
import labels from '../src/db/reference/expertise-labels.json';

/**
 * Dutch and French labels for the seeded expertise taxonomy, so that reasons in those languages
 * name a seeded tag in their own words ("Kent zonne-energie"). Free tags, written by people, keep
 * their own text: their columns stay NULL.
 */
export class TagLabels1795400000280 implements MigrationInterface {
  name = 'TagLabels1795400000280';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE expertise ADD COLUMN label_nl text, ADD COLUMN label_fr text`);
    const slugs = Object.keys(labels) as (keyof typeof labels)[];
    await q.query(
      `UPDATE expertise e SET label_nl = t.nl, label_fr = t.fr
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t(slug, nl, fr) WHERE e.slug = t.slug`,
      [slugs, slugs.map((s) => labels[s].nl), slugs.map((s) => labels[s].fr)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE expertise DROP COLUMN label_nl, DROP COLUMN label_fr`);
  }
}
