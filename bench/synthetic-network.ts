import { DataSource } from 'typeorm';
import { progress } from './bench-database';

/**
 * Fills a database with `count` synthetic stakeholders around the Low Countries, in SQL (fast):
 * kinds, 1–3 SDGs and 1–4 expertise tags each, positions within ~250 km of Brussels, capacities,
 * and some underserved contexts. Deterministic: driven by the row number, not by random().
 */
export async function insertSyntheticStakeholders(ds: DataSource, count: number, batch = 50000): Promise<void> {
  const bar = progress('stakeholders', count);
  for (let start = 1; start <= count; start += batch) {
    const end = Math.min(count, start + batch - 1);
    await ds.query(
      `WITH tags AS (SELECT array_agg(id ORDER BY id) AS ids FROM expertise)
       INSERT INTO stakeholder (kind, name, latitude, longitude, region_code, country_code, sdg_ids, expertise_ids,
                                languages, education_levels, capacity, underserved_contexts, consent_given_at)
       SELECT (ARRAY['SCHOOL','FAMILY','UNIVERSITY','RESEARCH_INSTITUTE','INDUSTRY','ENTREPRENEUR','MEDIA','GOVERNMENT','CIVIL_SOCIETY','CULTURAL_INSTITUTION'])[1 + (i * 7) % 10],
              'Synthetic ' || i,
              50.85 + ((hashint(i) % 4000) - 2000) / 1000.0,
              4.35 + ((hashint(i * 31) % 6000) - 3000) / 1000.0,
              CASE WHEN i % 2 = 0 THEN 'BE' ELSE 'NL' END, CASE WHEN i % 2 = 0 THEN 'BE' ELSE 'NL' END,
              ARRAY(SELECT DISTINCT 1 + (hashint(i * 13 + k) % 17) FROM generate_series(1, 1 + i % 3) k)::smallint[],
              ARRAY(SELECT DISTINCT tags.ids[1 + (hashint(i * 17 + k) % cardinality(tags.ids))] FROM generate_series(1, 1 + i % 4) k),
              CASE WHEN i % 3 = 0 THEN '{nl,en}'::text[] WHEN i % 3 = 1 THEN '{nl}'::text[] ELSE '{fr,en}'::text[] END,
              CASE WHEN i % 4 = 0 THEN '{1,2}'::smallint[] WHEN i % 4 = 1 THEN '{2,3}'::smallint[] ELSE '{}'::smallint[] END,
              1 + i % 5,
              CASE WHEN i % 9 = 0 THEN '{SOCIO_ECONOMIC}'::text[] WHEN i % 13 = 0 THEN '{GEOGRAPHIC_ISOLATION}'::text[] ELSE '{}'::text[] END,
              now()
       FROM tags, generate_series($1::int, $2::int) AS i`,
      [start, end],
    );
    bar(end);
  }
  await ds.query('ANALYZE');
}

/** Installs the deterministic integer hash the synthetic rows use. */
export async function installHash(ds: DataSource): Promise<void> {
  await ds.query(`CREATE OR REPLACE FUNCTION hashint(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
    $$ SELECT abs(((x * 2654435761) # (x >> 7)) % 1000003) $$`);
}
