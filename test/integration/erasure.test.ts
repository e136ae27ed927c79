/**
 * Erasure leaves nothing that identifies the stakeholder: driven from the entity's own columns
 * (so a column added later is covered) and from every table that refers to a stakeholder.
 */
import { Stakeholder } from '../../src/domain/stakeholder/stakeholder.entity';
import { eraseStakeholder } from '../../src/domain/stakeholder/stakeholder.service';
import { importRecords, readRecords, UPSERT_STAKEHOLDERS_SQL } from '../../src/domain/import/import.service';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** Columns erasure keeps on purpose, and why; every other column must lose what it was given. */
const KEPT: Record<string, string> = {
  id: 'partnerships refer to it',
  kind: 'partnerships stay counted by kind',
  countryCode: 'counted by country, too coarse to identify',
  consentGivenAt: 'the record that the data was held with consent',
  createdAt: 'bookkeeping',
  updatedAt: 'bookkeeping',
  erasedAt: 'says it was erased',
};

const FAMILY = {
  externalId: 'jan.peeters@example.be',
  kind: 'FAMILY',
  name: 'Familie Peeters',
  description: 'Twee kinderen, houden van sterrenkunde',
  city: 'Herent',
  countryCode: 'BE',
  latitude: 50.9,
  longitude: 4.67,
  sdgs: [4, 13],
  expertise: ['Astronomy'],
  languages: ['nl', 'fr'],
  educationLevels: [1, 2],
  capacity: 2,
  serviceArea: 'LOCAL',
  underservedContexts: ['GEOGRAPHIC_ISOLATION'],
  contactEmail: 'peeters@example.be',
  contactPhone: '+32 470 12 34 56',
  website: 'https://peeters.example.be',
  consentGiven: true,
};
const SCHOOL = { externalId: 'sch-1', kind: 'SCHOOL', name: 'School', city: 'Leuven', countryCode: 'BE', sdgs: [4] };
const CHALLENGE = {
  record: 'challenge',
  externalId: 'ch-1',
  schoolExternalId: 'sch-1',
  title: 'Stars',
  sdgs: [4],
  expertiseNeeded: [],
};
const NOTE = 'Jan belde: liever op woensdag';

const importAll = (rows: object[]) => importRecords(db.dataSource, readRecords(JSON.stringify(rows), 'json'));

describe('erasure', () => {
  let id = '';
  let row: Record<string, unknown> = {};
  beforeAll(async () => {
    const report = await importAll([FAMILY, SCHOOL, CHALLENGE]);
    expect(report.errors).toEqual([]);
    [{ id }] = await db.dataSource.query<{ id: string }[]>('SELECT id FROM stakeholder WHERE external_id = $1', [
      FAMILY.externalId,
    ]);
    const [{ id: challenge }]: { id: string }[] = await db.dataSource.query(
      "SELECT id FROM challenge WHERE external_id = 'ch-1'",
    );
    // What others wrote about it, in the rows that refer to it.
    await db.dataSource.query(
      `INSERT INTO partnership (challenge_id, stakeholder_id, status, message) VALUES ($1, $2, 'INVITED', $3)`,
      [challenge, id, NOTE],
    );
    await db.dataSource.query(
      `INSERT INTO activity (hub_id, actor_name, action, challenge_id, stakeholder_id, detail)
       VALUES (NULL, 'coordinator', 'INVITE', $1, $2, $3)`,
      [challenge, id, JSON.stringify({ reason: NOTE })],
    );
    await eraseStakeholder(db.dataSource.manager, id);
    [row] = await db.dataSource.query('SELECT * FROM stakeholder WHERE id = $1', [id]);
  });

  // What it was given, less what the kept columns hold on purpose (its kind and country).
  const given = Object.entries(FAMILY)
    .filter(([key]) => !(key in KEPT))
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
  const identifying = given.filter((v): v is string => typeof v === 'string' && v.length > 3).concat(NOTE);

  it('is checked against every column of the entity', () => {
    const columns = db.dataSource.getMetadata(Stakeholder).columns.map((c) => c.propertyName);
    // A column the entity lost would make KEPT stale: each kept one still exists.
    expect(Object.keys(KEPT).filter((k) => !columns.includes(k))).toEqual([]);
  });

  // The entity's columns are read at test time, so a column added later is checked too.
  it('leaves no column holding what it was given, apart from the ones kept on purpose', () => {
    const meta = db.dataSource.getMetadata(Stakeholder);
    const still: string[] = [];
    for (const column of meta.columns) {
      if (column.propertyName in KEPT) continue;
      const value = row[column.databaseName];
      const text = JSON.stringify(value);
      const leaks = given.filter(
        (v) => v !== null && (typeof v === 'string' ? text.includes(v) : JSON.stringify(value) === JSON.stringify(v)),
      );
      if (leaks.length) still.push(`${column.propertyName} = ${text}`);
    }
    expect(still).toEqual([]);
  });

  it('leaves nothing identifying in any row that refers to it', async () => {
    const tables: { table_name: string }[] = await db.dataSource.query(
      `SELECT table_name FROM information_schema.columns
       WHERE column_name = 'stakeholder_id' AND table_schema = 'public'`,
    );
    const found: string[] = [];
    for (const { table_name } of [...tables, { table_name: 'stakeholder' }]) {
      const key = table_name === 'stakeholder' ? 'id' : 'stakeholder_id';
      const rows: unknown[] = await db.dataSource.query(`SELECT * FROM "${table_name}" WHERE ${key} = $1`, [id]);
      for (const r of rows) {
        const text = JSON.stringify(r);
        for (const v of identifying) if (text.includes(v)) found.push(`${table_name}: "${v}"`);
      }
    }
    expect(found).toEqual([]);
  });

  it('stays erased when the same spreadsheet is imported again', async () => {
    await importAll([FAMILY]);
    const rows: unknown[] = await db.dataSource.query(
      'SELECT id, name, erased_at FROM stakeholder WHERE kind = $1 AND (external_id = $2 OR id = $3)',
      ['FAMILY', FAMILY.externalId, id],
    );
    expect(rows).toEqual([expect.objectContaining({ id, name: 'Erased stakeholder' })]);
  });

  it('keeps erased externalIds out of an import by reading the erased rows only, never every stakeholder', async () => {
    await db.dataSource.query(`INSERT INTO stakeholder (external_id, kind, name)
      SELECT 'org-' || i, 'INDUSTRY', 'Org ' || i FROM generate_series(1, 5000) i`);
    await db.dataSource.query('ANALYZE stakeholder');
    const slice = Array.from({ length: 2000 }, (_, i) => ({
      external_id: `new-${i}`,
      kind: 'INDUSTRY',
      name: `N ${i}`,
    }));
    const plan: { 'QUERY PLAN': string }[] = await db.dataSource.query(`EXPLAIN ${UPSERT_STAKEHOLDERS_SQL}`, [
      JSON.stringify(slice),
    ]);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/stakeholder_erased_external_id_idx/);
    expect(text).not.toMatch(/Seq Scan on stakeholder/);
  });
});
