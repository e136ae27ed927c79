import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Match states and events are the relay's bookkeeping, written only by the relay from its index, in
 * millions at an import. Their foreign keys checked and locked the challenge's and the stakeholder's
 * row for every row written: half of each write (on PostgreSQL 15, 69 of 140 ms for 4,000 pairs,
 * `EXPLAIN ANALYZE`). They go; what they did on delete stays, once a statement: deleting
 * stakeholders or challenges deletes their states and events (erasure deletes them itself first).
 */
export class MatchRowsCascade1795400000320 implements MigrationInterface {
  name = 'MatchRowsCascade1795400000320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE match_state DROP CONSTRAINT match_state_challenge_id_fkey,
      DROP CONSTRAINT match_state_stakeholder_id_fkey`);
    await q.query(`ALTER TABLE match_event DROP CONSTRAINT match_event_challenge_id_fkey,
      DROP CONSTRAINT match_event_stakeholder_id_fkey`);
    for (const [table, column] of [
      ['stakeholder', 'stakeholder_id'],
      ['challenge', 'challenge_id'],
    ]) {
      await q.query(`
        CREATE FUNCTION ${table}_forgets_matches() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM match_event e USING gone WHERE e.${column} = gone.id;
          DELETE FROM match_state s USING gone WHERE s.${column} = gone.id;
          RETURN NULL;
        END $$`);
      await q.query(`
        CREATE TRIGGER ${table}_forgets_matches AFTER DELETE ON ${table} REFERENCING OLD TABLE AS gone
        FOR EACH STATEMENT EXECUTE FUNCTION ${table}_forgets_matches()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['stakeholder', 'challenge']) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_forgets_matches ON ${table}`);
      await q.query(`DROP FUNCTION IF EXISTS ${table}_forgets_matches()`);
    }
    await q.query(`DELETE FROM match_state s WHERE NOT EXISTS (SELECT 1 FROM challenge c WHERE c.id = s.challenge_id)
      OR NOT EXISTS (SELECT 1 FROM stakeholder x WHERE x.id = s.stakeholder_id)`);
    await q.query(`DELETE FROM match_event e WHERE NOT EXISTS (SELECT 1 FROM challenge c WHERE c.id = e.challenge_id)
      OR NOT EXISTS (SELECT 1 FROM stakeholder x WHERE x.id = e.stakeholder_id)`);
    await q.query(`ALTER TABLE match_state
      ADD CONSTRAINT match_state_challenge_id_fkey FOREIGN KEY (challenge_id) REFERENCES challenge(id)
        ON DELETE CASCADE,
      ADD CONSTRAINT match_state_stakeholder_id_fkey FOREIGN KEY (stakeholder_id) REFERENCES stakeholder(id)
        ON DELETE CASCADE`);
    await q.query(`ALTER TABLE match_event
      ADD CONSTRAINT match_event_challenge_id_fkey FOREIGN KEY (challenge_id) REFERENCES challenge(id)
        ON DELETE CASCADE,
      ADD CONSTRAINT match_event_stakeholder_id_fkey FOREIGN KEY (stakeholder_id) REFERENCES stakeholder(id)
        ON DELETE CASCADE`);
  }
}
