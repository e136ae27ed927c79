import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coordinator's brokering loop: shortlists and dismissals per challenge, hubs that approve
 * portals' introductions (PROPOSED before INVITED), outcomes (COMPLETED with a rating), and an
 * audit trail of who did what.
 */
export class Brokering1795400000011 implements MigrationInterface {
  name = 'Brokering1795400000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hub ADD COLUMN requires_approval boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE partnership
        ADD COLUMN answered_at timestamptz(3),
        ADD COLUMN completed_at timestamptz(3),
        ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 5)`);
    // Answer times of invitations answered before this migration, from their history.
    await q.query(`
      UPDATE partnership p SET answered_at = e.at FROM (
        SELECT partnership_id, min(at) AS at FROM partnership_event WHERE status IN ('ACCEPTED', 'DECLINED') GROUP BY partnership_id
      ) e WHERE e.partnership_id = p.id`);
    // A proposed introduction holds the pair like an invitation does.
    await q.query(`DROP INDEX partnership_active_pair_key`);
    await q.query(`
      CREATE UNIQUE INDEX partnership_active_pair_key ON partnership (challenge_id, stakeholder_id)
      WHERE status IN ('PROPOSED', 'INVITED', 'ACCEPTED')`);
    for (const table of ['shortlist_entry', 'dismissal']) {
      await q.query(`
        CREATE TABLE ${table} (
          challenge_id uuid NOT NULL REFERENCES challenge(id) ON DELETE CASCADE,
          stakeholder_id uuid NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
          ${table === 'dismissal' ? 'reason text NOT NULL,' : ''}
          note text,
          created_by text NOT NULL,
          created_at timestamptz(3) NOT NULL DEFAULT now(),
          PRIMARY KEY (challenge_id, stakeholder_id)
        )`);
    }
    await q.query(`
      CREATE TABLE activity (
        id bigserial PRIMARY KEY,
        hub_id uuid REFERENCES hub(id) ON DELETE CASCADE,
        actor_key_id text,
        actor_name text NOT NULL,
        action text NOT NULL,
        challenge_id uuid REFERENCES challenge(id) ON DELETE CASCADE,
        stakeholder_id uuid REFERENCES stakeholder(id) ON DELETE CASCADE,
        partnership_id uuid REFERENCES partnership(id) ON DELETE CASCADE,
        detail jsonb,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX activity_hub_idx ON activity (hub_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE activity`);
    await q.query(`DROP TABLE dismissal`);
    await q.query(`DROP TABLE shortlist_entry`);
    await q.query(`DROP INDEX partnership_active_pair_key`);
    await q.query(`
      CREATE UNIQUE INDEX partnership_active_pair_key ON partnership (challenge_id, stakeholder_id)
      WHERE status IN ('INVITED', 'ACCEPTED')`);
    await q.query(`ALTER TABLE partnership DROP COLUMN answered_at, DROP COLUMN completed_at, DROP COLUMN rating`);
    await q.query(`ALTER TABLE hub DROP COLUMN requires_approval`);
  }
}
