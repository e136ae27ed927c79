import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Likely duplicates, found by index: a stakeholder's name as a comparison key (case, accents,
 * punctuation and legal forms dropped) next to its latitude, and its website's host. Both keys
 * are IMMUTABLE SQL functions, so a new stakeholder's key is computed by the same code as the
 * indexed ones (src/domain/stakeholder/duplicates.ts queries them).
 */
export class ForgivingEntry1795400000300 implements MigrationInterface {
  name = 'ForgivingEntry1795400000300';

  async up(q: QueryRunner): Promise<void> {
    // "Deltares B.V." and "DELTARES" give "deltares"; "vzw Natuurpunt" and "Natuurpunt VZW" give
    // "natuurpunt". Dots go first, so "B.V." is the word "bv"; the legal forms are whole words.
    await q.query(`
      CREATE OR REPLACE FUNCTION stakeholder_name_key(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT btrim(regexp_replace(regexp_replace(
        regexp_replace(replace(public.fold_text(value), '.', ''), '[^[:alnum:]]+', ' ', 'g'),
        '(^| )(bv|nv|cv|vof|vzw|asbl|bvba|sprl|srl|sa|sarl|gmbh|ag|ev|ltd|llc|inc|plc)(?= |$)', ' ', 'g'),
        ' +', ' ', 'g')) $$`);
    // "https://www.Deltares.nl/en/" gives "deltares.nl".
    await q.query(`
      CREATE OR REPLACE FUNCTION website_host(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT rtrim(lower(substring(value FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[Ww][Ww][Ww]\\.)?([^/:?#]+)')),
        '.') $$`);
    // The latitude beside the key bounds a look-up to a band a few km wide.
    await q.query(`
      CREATE INDEX stakeholder_name_key_idx ON stakeholder (stakeholder_name_key(name), latitude)
      WHERE erased_at IS NULL`);
    await q.query(`
      CREATE INDEX stakeholder_website_host_idx ON stakeholder (website_host(website))
      WHERE erased_at IS NULL AND website IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS stakeholder_website_host_idx`);
    await q.query(`DROP INDEX IF EXISTS stakeholder_name_key_idx`);
    await q.query(`DROP FUNCTION IF EXISTS website_host(text)`);
    await q.query(`DROP FUNCTION IF EXISTS stakeholder_name_key(text)`);
  }
}
