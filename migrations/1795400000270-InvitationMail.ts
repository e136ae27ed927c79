import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations that reach partners and end: each hub says how long one stays open and in which time
 * zone its people live; an invitation knows when it expires (and, apart, when it was mailed and
 * reminded); an
 * answer link is a single-use token (only its hash is stored) that carries no personal data.
 * Coordinators subscribe addresses to a hub's digest, confirmed by a link (double opt-in).
 */
export class InvitationMail1795400000270 implements MigrationInterface {
  name = 'InvitationMail1795400000270';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hub ADD COLUMN invitation_ttl_days int NOT NULL DEFAULT 14
      CHECK (invitation_ttl_days BETWEEN 1 AND 365)`);
    await q.query(`ALTER TABLE hub ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Brussels'`);
    await q.query(`ALTER TABLE partnership ADD COLUMN expires_at timestamptz(3)`);
    // What was mailed about an invitation: bookkeeping of the mail, not a change of the partnership.
    await q.query(`
      CREATE TABLE invitation_mail (
        partnership_id uuid PRIMARY KEY REFERENCES partnership (id) ON DELETE CASCADE,
        mailed_at timestamptz(3),
        reminded_at timestamptz(3)
      )`);
    // Open invitations of before: they expire a default term after they went out.
    await q.query(`UPDATE partnership SET expires_at = coalesce(approved_at, created_at) + interval '14 days'
      WHERE status = 'INVITED'`);
    await q.query(`CREATE INDEX partnership_open_expiry ON partnership (expires_at) WHERE status = 'INVITED'`);
    await q.query(`
      CREATE TABLE answer_token (
        token_hash bytea PRIMARY KEY,
        partnership_id uuid NOT NULL REFERENCES partnership (id) ON DELETE CASCADE,
        accept boolean NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        used_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX answer_token_partnership ON answer_token (partnership_id)`);
    await q.query(`
      CREATE TABLE digest_subscription (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hub_id uuid NOT NULL REFERENCES hub (id) ON DELETE CASCADE,
        email text NOT NULL,
        lang text NOT NULL,
        frequency text NOT NULL,
        owner_key text NOT NULL,
        confirm_hash bytea NOT NULL,
        unsubscribe_hash bytea NOT NULL,
        confirmed_at timestamptz(3),
        last_sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (hub_id, email)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE digest_subscription`);
    await q.query(`DROP TABLE answer_token`);
    await q.query(`DROP INDEX partnership_open_expiry`);
    await q.query(`DROP TABLE invitation_mail`);
    await q.query(`ALTER TABLE partnership DROP COLUMN expires_at`);
    await q.query(`ALTER TABLE hub DROP COLUMN time_zone, DROP COLUMN invitation_ttl_days`);
  }
}
