import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching support: `expertise_links(needed)` expands the tags a challenge needs into every tag
 * that earns credit for them (the tag itself, its parent and children, and tags spelled alike),
 * with the credit each earns. The constants mirror src/matching/expertise-fit.ts (a test checks).
 */
export class Matching1795400000002 implements MigrationInterface {
  name = 'Matching1795400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION expertise_links(needed integer[])
      RETURNS TABLE (need_id integer, tag_id integer, credit double precision, how text)
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$
        SELECT n.id, n.id, 1.0::float8, 'exact' FROM expertise n WHERE n.id = ANY(needed)
        UNION ALL
        SELECT n.id, e.id, 0.5::float8, 'related'
        FROM expertise n JOIN expertise e ON e.parent_id = n.id OR e.id = n.parent_id
        WHERE n.id = ANY(needed)
        UNION ALL
        SELECT n.id, e.id, 0.9 * similarity(n.slug, e.slug), 'similar'
        FROM expertise n JOIN expertise e ON e.slug % n.slug AND e.id <> n.id
        WHERE n.id = ANY(needed) AND similarity(n.slug, e.slug) >= 0.5
          AND e.parent_id IS DISTINCT FROM n.id AND n.parent_id IS DISTINCT FROM e.id
      $$`);
    // Accepted partnerships per stakeholder are counted for every candidate (capacity rule).
    await q.query(`CREATE INDEX partnership_accepted_idx ON partnership (stakeholder_id) WHERE status = 'ACCEPTED'`);
    await q.query(`CREATE INDEX challenge_open_idx ON challenge (created_at) WHERE phase <> 'COMPLETED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS challenge_open_idx`);
    await q.query(`DROP INDEX IF EXISTS partnership_accepted_idx`);
    await q.query(`DROP FUNCTION IF EXISTS expertise_links(integer[])`);
  }
}
