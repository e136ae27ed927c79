import { MigrationInterface, QueryRunner } from 'typeorm';

/** The stakeholder graph: reference tables, actors, hubs, missions, challenges, partnerships. */
export class Initial1795400000000 implements MigrationInterface {
  name = 'Initial1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS cube`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS earthdistance`);
    // unaccent() is only STABLE (it reads a dictionary); indexes need an IMMUTABLE wrapper
    // that names the dictionary explicitly.
    await q.query(`
      CREATE OR REPLACE FUNCTION fold_text(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$`);

    await q.query(`
      CREATE TABLE sdg (
        id smallint PRIMARY KEY CHECK (id BETWEEN 1 AND 17),
        code text NOT NULL,
        title text NOT NULL,
        title_nl text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE region (
        code text PRIMARY KEY,
        name text NOT NULL,
        country char(2) NOT NULL,
        parent_code text REFERENCES region(code),
        latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180)
      )`);
    await q.query(`CREATE INDEX region_country_idx ON region (country)`);
    await q.query(`CREATE INDEX region_parent_idx ON region (parent_code)`);

    await q.query(`
      CREATE TABLE expertise (
        id serial PRIMARY KEY,
        slug text NOT NULL CONSTRAINT expertise_slug_key UNIQUE,
        label text NOT NULL,
        parent_id integer REFERENCES expertise(id)
      )`);
    await q.query(`CREATE INDEX expertise_parent_idx ON expertise (parent_id)`);
    await q.query(`CREATE INDEX expertise_slug_trgm_idx ON expertise USING gin (slug gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE stakeholder (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        name text NOT NULL CHECK (length(name) > 0),
        description text,
        region_code text REFERENCES region(code),
        latitude double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CHECK (longitude BETWEEN -180 AND 180),
        city text,
        country_code char(2),
        sdg_ids smallint[] NOT NULL DEFAULT '{}',
        expertise_ids integer[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        education_levels smallint[] NOT NULL DEFAULT '{}',
        capacity integer NOT NULL DEFAULT 3 CHECK (capacity >= 0),
        underserved_contexts text[] NOT NULL DEFAULT '{}',
        contact_email text,
        contact_phone text,
        website text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`);
    await q.query(`CREATE INDEX stakeholder_created_idx ON stakeholder (created_at, id)`);
    await q.query(`CREATE INDEX stakeholder_kind_idx ON stakeholder (kind)`);
    await q.query(`CREATE INDEX stakeholder_region_idx ON stakeholder (region_code)`);
    await q.query(`CREATE INDEX stakeholder_sdg_ids_idx ON stakeholder USING gin (sdg_ids)`);
    await q.query(`CREATE INDEX stakeholder_expertise_ids_idx ON stakeholder USING gin (expertise_ids)`);
    await q.query(`CREATE INDEX stakeholder_name_trgm_idx ON stakeholder USING gin (fold_text(name) gin_trgm_ops)`);
    await q.query(`
      CREATE INDEX stakeholder_earth_idx ON stakeholder USING gist (ll_to_earth(latitude, longitude))
      WHERE latitude IS NOT NULL`);

    await q.query(`
      CREATE TABLE hub (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        region_code text REFERENCES region(code),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE hub_member (
        hub_id uuid NOT NULL REFERENCES hub(id) ON DELETE CASCADE,
        stakeholder_id uuid NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
        PRIMARY KEY (hub_id, stakeholder_id)
      )`);
    await q.query(`CREATE INDEX hub_member_stakeholder_idx ON hub_member (stakeholder_id)`);
    await q.query(`
      CREATE TABLE hub_coordinator (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hub_id uuid NOT NULL REFERENCES hub(id) ON DELETE CASCADE,
        name text NOT NULL,
        email text
      )`);
    await q.query(`CREATE INDEX hub_coordinator_hub_idx ON hub_coordinator (hub_id)`);

    await q.query(`
      CREATE TABLE mission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        description text,
        sdg_ids smallint[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE challenge (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) > 0),
        description text,
        school_id uuid NOT NULL REFERENCES stakeholder(id),
        hub_id uuid REFERENCES hub(id),
        mission_id uuid REFERENCES mission(id),
        sdg_ids smallint[] NOT NULL,
        expertise_needed_ids integer[] NOT NULL DEFAULT '{}',
        wanted_kinds text[] NOT NULL DEFAULT '{}',
        latitude double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CHECK (longitude BETWEEN -180 AND 180),
        region_code text REFERENCES region(code),
        radius_km double precision NOT NULL DEFAULT 50 CHECK (radius_km > 0),
        phase text NOT NULL DEFAULT 'IDEA',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX challenge_created_idx ON challenge (created_at, id)`);
    await q.query(`CREATE INDEX challenge_school_idx ON challenge (school_id)`);
    await q.query(`CREATE INDEX challenge_hub_idx ON challenge (hub_id)`);
    await q.query(`CREATE INDEX challenge_mission_idx ON challenge (mission_id)`);
    await q.query(`CREATE INDEX challenge_sdg_ids_idx ON challenge USING gin (sdg_ids)`);

    await q.query(`
      CREATE TABLE partnership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        challenge_id uuid NOT NULL REFERENCES challenge(id) ON DELETE CASCADE,
        stakeholder_id uuid NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
        status text NOT NULL,
        message text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partnership_challenge_idx ON partnership (challenge_id)`);
    await q.query(`CREATE INDEX partnership_stakeholder_idx ON partnership (stakeholder_id)`);
    // At most one live invitation per pair; declined or withdrawn ones stay as history.
    await q.query(`
      CREATE UNIQUE INDEX partnership_active_pair_key ON partnership (challenge_id, stakeholder_id)
      WHERE status IN ('INVITED', 'ACCEPTED')`);
    await q.query(`
      CREATE TABLE partnership_event (
        id serial PRIMARY KEY,
        partnership_id uuid NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
        status text NOT NULL,
        note text,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partnership_event_partnership_idx ON partnership_event (partnership_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'partnership_event',
      'partnership',
      'challenge',
      'mission',
      'hub_coordinator',
      'hub_member',
      'hub',
      'stakeholder',
      'expertise',
      'region',
      'sdg',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS fold_text(text)`);
  }
}
