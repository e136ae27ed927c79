import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pair's best score ever: a match is news once, when the pair first reaches a score, not again
 * each time an edit lowers it and the next one restores it (a coordinator toggling a radius would
 * otherwise log thousands of "new" matches per toggle). Pairs that fall out keep their best.
 */
export class MatchHighWater1795400000015 implements MigrationInterface {
  name = 'MatchHighWater1795400000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE match_state ADD COLUMN best double precision`);
    await q.query(`UPDATE match_state SET best = score`);
    await q.query(`ALTER TABLE match_state ALTER COLUMN best SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM match_state WHERE score = 0`);
    await q.query(`ALTER TABLE match_state DROP COLUMN best`);
  }
}
