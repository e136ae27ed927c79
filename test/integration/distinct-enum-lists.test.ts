/**
 * Stored lists that repeat a value (imported before the import kept each value once) are mended
 * by a migration: first-seen order kept, and each mended row sent to the outbox so every index
 * and the relay score it again. Rows already right are left alone and announce nothing.
 */
import { DistinctEnumLists1795400000340 } from '../../migrations/1795400000340-DistinctEnumLists';
import { parseOutboxChange } from '../../src/domain/outbox';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

const q = <T>(sql: string, params: unknown[] = []) => db.dataSource.query(sql, params) as Promise<T[]>;
const ids = async (sql: string, params: unknown[] = []) => (await q<{ id: string }>(sql, params)).map((r) => r.id);

/** The migration run again on rows stored the old way. */
async function migrate() {
  const runner = db.dataSource.createQueryRunner();
  try {
    await new DistinctEnumLists1795400000340().up(runner);
  } finally {
    await runner.release();
  }
}

const changesAfter = async (seq: number) =>
  (await q<{ change: unknown }>(`SELECT change FROM outbox WHERE seq > $1 ORDER BY seq`, [seq])).map((r) =>
    parseOutboxChange(r.change),
  );

describe('the migration that keeps each listed value once', () => {
  it('mends repeated values in first-seen order and sends the mended rows to the outbox', async () => {
    const [repeated, twice, clean] = await ids(
      `INSERT INTO stakeholder (kind, name, underserved_contexts) VALUES
         ('UNIVERSITY', 'Lab', '{ETHNIC_MINORITY,SOCIO_ECONOMIC,ETHNIC_MINORITY}'),
         ('SCHOOL', 'School', '{SOCIO_ECONOMIC,SOCIO_ECONOMIC}'),
         ('INDUSTRY', 'Works', '{GEOGRAPHIC_ISOLATION,SOCIO_ECONOMIC}')
       RETURNING id`,
    );
    const [wantedTwice, wantedOnce] = await ids(
      `INSERT INTO challenge (title, school_id, sdg_ids, wanted_kinds) VALUES
         ('Water', $1, '{6}', '{INDUSTRY,UNIVERSITY,INDUSTRY}'), ('Soil', $1, '{15}', '{MEDIA}')
       RETURNING id`,
      [twice],
    );
    const [{ seq }] = await q<{ seq: number }>(`SELECT coalesce(max(seq), 0)::int AS seq FROM outbox`);
    await migrate();

    const contexts = await q<{ id: string; underserved_contexts: string[] }>(
      `SELECT id, underserved_contexts FROM stakeholder WHERE id = ANY($1::uuid[])`,
      [[repeated, twice, clean]],
    );
    expect(new Map(contexts.map((r) => [r.id, r.underserved_contexts]))).toEqual(
      new Map([
        [repeated, ['ETHNIC_MINORITY', 'SOCIO_ECONOMIC']],
        [twice, ['SOCIO_ECONOMIC']],
        [clean, ['GEOGRAPHIC_ISOLATION', 'SOCIO_ECONOMIC']],
      ]),
    );
    const kinds = await q<{ id: string; wanted_kinds: string[] }>(
      `SELECT id, wanted_kinds FROM challenge WHERE id = ANY($1::uuid[])`,
      [[wantedTwice, wantedOnce]],
    );
    expect(new Map(kinds.map((r) => [r.id, r.wanted_kinds]))).toEqual(
      new Map([
        [wantedTwice, ['INDUSTRY', 'UNIVERSITY']],
        [wantedOnce, ['MEDIA']],
      ]),
    );
    expect(await changesAfter(seq)).toEqual([
      { kind: 'stakeholders', created: [], updated: [repeated, twice].sort() },
      { kind: 'challenges', created: [], updated: [wantedTwice] },
    ]);

    // Run again on lists already right: nothing changes, nothing is announced.
    const [{ seq: after }] = await q<{ seq: number }>(`SELECT max(seq)::int AS seq FROM outbox`);
    await migrate();
    expect(await changesAfter(after)).toEqual([]);
  });

  it('sends mended rows in changes of 2,000 ids, and drops a NULL element', async () => {
    const [{ seq }] = await q<{ seq: number }>(`SELECT coalesce(max(seq), 0)::int AS seq FROM outbox`);
    const repeated = await ids(
      `INSERT INTO stakeholder (kind, name, underserved_contexts)
       SELECT 'MEDIA', 'Paper ' || n, '{SOCIO_ECONOMIC,SOCIO_ECONOMIC}' FROM generate_series(1, 2001) n RETURNING id`,
    );
    const [withNull] = await ids(
      `INSERT INTO stakeholder (kind, name, underserved_contexts)
       VALUES ('MEDIA', 'Radio', ARRAY['ETHNIC_MINORITY', NULL]::text[]) RETURNING id`,
    );
    await migrate();
    const changes = await changesAfter(seq);
    expect(changes.map((c) => (c?.kind === 'stakeholders' ? c.updated.length : c?.kind))).toEqual([2000, 2]);
    expect(changes.flatMap((c) => (c?.kind === 'stakeholders' ? c.updated : [])).sort()).toEqual(
      [...repeated, withNull].sort(),
    );
    const [radio] = await q<{ underserved_contexts: string[] }>(
      `SELECT underserved_contexts FROM stakeholder WHERE id = $1`,
      [withNull],
    );
    expect(radio.underserved_contexts).toEqual(['ETHNIC_MINORITY']);
    const [after] = await q<{ seq: number }>(`SELECT max(seq)::int AS seq FROM outbox`);
    await migrate();
    expect(await changesAfter(after.seq)).toEqual([]);
  });
});
