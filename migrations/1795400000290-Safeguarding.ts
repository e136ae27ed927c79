import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safe adults around pupils: how a challenge meets pupils (and until when it runs), each hub's
 * policy of which contact needs a check, which checks count and how old one may be, and the
 * checks themselves: the fact of a check (type, scope, date issued, who verified it and when),
 * never the document or its number.
 */
export class Safeguarding1795400000290 implements MigrationInterface {
  name = 'Safeguarding1795400000290';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE challenge ADD COLUMN pupil_contact text NOT NULL DEFAULT 'SUPERVISED'
      CHECK (pupil_contact IN ('NONE', 'SUPERVISED', 'UNSUPERVISED', 'REGULAR'))`);
    await q.query(`ALTER TABLE challenge ADD COLUMN planned_end_on date`);
    await q.query(`ALTER TABLE hub ADD COLUMN check_contact_levels text[] NOT NULL
      DEFAULT '{UNSUPERVISED,REGULAR}'`);
    // NULL: the defaults of the hub's country (src/matching/safeguarding.ts).
    await q.query(`ALTER TABLE hub ADD COLUMN check_types text[]`);
    await q.query(`ALTER TABLE hub ADD COLUMN check_max_age_months int NOT NULL DEFAULT 36
      CHECK (check_max_age_months BETWEEN 1 AND 120)`);
    await q.query(`
      CREATE TABLE safeguarding_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stakeholder_id uuid NOT NULL REFERENCES stakeholder (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('VOG', 'BE_CRIMINAL_RECORD_MODEL_2', 'UK_DBS_ENHANCED', 'OTHER')),
        label text,
        scope text NOT NULL CHECK (scope IN ('PERSON', 'ORGANISATION')),
        issued_on date NOT NULL,
        recorded_by_key_id text,
        verified_by_key_id text,
        verified_by_name text,
        verified_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((type = 'OTHER') = (label IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX safeguarding_check_stakeholder ON safeguarding_check (stakeholder_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE safeguarding_check`);
    await q.query(`ALTER TABLE hub DROP COLUMN check_max_age_months, DROP COLUMN check_types,
      DROP COLUMN check_contact_levels`);
    await q.query(`ALTER TABLE challenge DROP COLUMN planned_end_on, DROP COLUMN pupil_contact`);
  }
}
