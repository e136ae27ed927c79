import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows per outbox change, as an import's slices (one relay transaction matches each). */
const CHANGE_SIZE = 2000;

/**
 * A stakeholder's underserved contexts and a challenge's wanted kinds name each value once (the
 * import took a repeated one as it came, and a context named twice scored twice for inclusion).
 * Stored lists keep their first-seen order (a NULL element, which only SQL could write, goes); the
 * rows changed go to the outbox like any write, in changes of {@link CHANGE_SIZE}, so every
 * instance's index takes them in and the relay scores their pairs again.
 */
export class DistinctEnumLists1795400000340 implements MigrationInterface {
  name = 'DistinctEnumLists1795400000340';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column, kind] of [
      ['stakeholder', 'underserved_contexts', 'stakeholders'],
      ['challenge', 'wanted_kinds', 'challenges'],
    ] as const) {
      await q.query(
        `WITH fixed AS (
           UPDATE ${table} t SET ${column} = ARRAY(
             SELECT v FROM unnest(t.${column}) WITH ORDINALITY AS u(v, n) WHERE v IS NOT NULL
             GROUP BY v ORDER BY min(n)
           )
           WHERE cardinality(t.${column}) > (SELECT count(DISTINCT v) FROM unnest(t.${column}) AS u(v))
           RETURNING t.id
         ),
         parts AS (SELECT id, (row_number() OVER (ORDER BY id) - 1) / $2 AS part FROM fixed)
         INSERT INTO outbox (change)
         SELECT jsonb_build_object('kind', $1::text, 'created', '[]'::jsonb, 'updated', jsonb_agg(id ORDER BY id))
         FROM parts GROUP BY part ORDER BY part`,
        [kind, CHANGE_SIZE],
      );
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: a list that names each value once is what every version reads.
  }
}
