import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live matches: the current score of every pair above the event floor (to tell a new match from
 * an old one), and the append-only log of new matches that subscribers catch up from.
 */
export class MatchEvents1795400000003 implements MigrationInterface {
  name = 'MatchEvents1795400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE match_state (
        challenge_id uuid NOT NULL REFERENCES challenge(id) ON DELETE CASCADE,
        stakeholder_id uuid NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
        score double precision NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (challenge_id, stakeholder_id)
      )`);
    await q.query(`CREATE INDEX match_state_stakeholder_idx ON match_state (stakeholder_id)`);
    await q.query(`
      CREATE TABLE match_event (
        seq bigserial PRIMARY KEY,
        challenge_id uuid NOT NULL REFERENCES challenge(id) ON DELETE CASCADE,
        stakeholder_id uuid NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
        origin text NOT NULL CHECK (origin IN ('STAKEHOLDER_CHANGED', 'CHALLENGE_POSTED', 'CHALLENGE_CHANGED')),
        score double precision NOT NULL,
        previous_score double precision,
        data jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX match_event_challenge_idx ON match_event (challenge_id, seq)`);
    await q.query(`CREATE INDEX match_event_stakeholder_idx ON match_event (stakeholder_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS match_event`);
    await q.query(`DROP TABLE IF EXISTS match_state`);
  }
}
