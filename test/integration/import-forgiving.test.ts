/**
 * Forgiving import: files as spreadsheets save them (`;`, tab, a byte-order mark), unknown places
 * with suggestions, and rows that look like stored stakeholders held back with the stored ids.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { LIKELY_DUPLICATES_SQL, likelyDuplicatesParams, SHARED_HOSTS } from '../../src/domain/stakeholder/duplicates';
import { createTestDatabase, TestDatabase } from '../helpers/database';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');
let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(() => db?.drop());

const idOf = async (externalId: string) =>
  (await db.dataSource.query<{ id: string }[]>('SELECT id FROM stakeholder WHERE external_id = $1', [externalId]))[0]
    .id;
const externalIds = async () =>
  (await db.dataSource.query<{ external_id: string }[]>(`SELECT external_id FROM stakeholder ORDER BY 1`)).map(
    (r) => r.external_id,
  );

const HEADER = 'record;externalId;kind;name;city;countryCode;latitude;longitude;sdgs;website;allowDuplicate';

describe('import of files as spreadsheets save them', () => {
  it.each(['import-semicolon.csv', 'import-tab.tsv', 'import-bom.csv'])(
    '%s imports as the comma-separated sample does',
    async (name) => {
      const report = await importRecords(db.dataSource, readRecords(fixture(name), 'csv'));
      expect(report).toMatchObject({
        rows: 6,
        failed: 0,
        heldBack: 0,
        stakeholders: { inserted: 5, updated: 0 },
        challenges: { inserted: 1, updated: 0 },
      });
      const [uni]: unknown[] = await db.dataSource.query(
        `SELECT name, description, languages, region_code FROM stakeholder WHERE external_id = 'uni-1'`,
      );
      expect(uni).toEqual({
        name: 'University of Twente',
        description: 'Water engineering, sensors',
        languages: ['nl', 'en'],
        region_code: 'NL-OV',
      });
    },
  );

  it('names close places for an unknown one, and the coordinates that can be given instead', async () => {
    const csv = `${HEADER}\nstakeholder;he-1;SCHOOL;Sint-Jozefscollege;Heverlee;BE;;;4;;\n`;
    const report = await importRecords(db.dataSource, readRecords(csv, 'csv'));
    expect(report.errors).toEqual([
      {
        line: 2,
        field: 'city',
        message:
          'city "Heverlee" is not a known city in BE; did you mean "Oud-Heverlee"? ' +
          'Or give the latitude and longitude columns instead of the city',
      },
    ]);
    // Given as told, the row goes in.
    const fixed = `${HEADER}\nstakeholder;he-1;SCHOOL;Sint-Jozefscollege;Heverlee;BE;50.864;4.694;4;;\n`;
    expect(await importRecords(db.dataSource, readRecords(fixed, 'csv'))).toMatchObject({
      failed: 0,
      stakeholders: { inserted: 1 },
    });
  });
});

// Stored first: Deltares in Delft, with its website; a family in Leuven.
const stored =
  `${HEADER};consentGiven\n` +
  'stakeholder;del-1;RESEARCH_INSTITUTE;Deltares;Delft;NL;;;6;https://www.deltares.nl/en/;;\n' +
  'stakeholder;fam-1;FAMILY;Familie Peeters;;;50.88;4.70;4;;;true\n' +
  'stakeholder;gent-1;SCHOOL;Sint-Barbaracollege;Gent;BE;;;4;;;\n';

describe('likely duplicates in an import', () => {
  const incoming = [
    HEADER,
    // The same name, another spelling and a legal form, 2 km away: held back.
    'stakeholder;del-2;RESEARCH_INSTITUTE;DELTARES B.V.;;;52.0;4.37;6;;',
    // Another name, the same website host (without www): held back.
    'stakeholder;del-3;INDUSTRY;Deltares Software;;;51.0;5.0;9;http://deltares.nl/software;',
    // The same name as a stored school, 100 km away: a different school.
    'stakeholder;brug-1;SCHOOL;Sint-Barbaracollege;Brugge;BE;;;4;;',
    // The same name, nearby, but said to be another one: imported.
    'stakeholder;del-4;RESEARCH_INSTITUTE;Deltares;;;52.01;4.36;6;;true',
    // A re-import of a stored row is an update, never a duplicate of itself.
    'stakeholder;del-1;RESEARCH_INSTITUTE;Deltares;Delft;NL;;;6;https://www.deltares.nl/en/;',
    // A shared host says nothing.
    'stakeholder;fb-1;CIVIL_SOCIETY;Buurtwerk;;;50.0;4.0;4;https://facebook.com/deltares;',
    'challenge;ch-1;;;;;;;6;;',
  ].join('\n');
  const withSchool = (csv: string) =>
    `${csv.replace(`${HEADER}\n`, `${HEADER};schoolExternalId;title\n`)}\n`.replace(
      'challenge;ch-1;;;;;;;6;;',
      'challenge;ch-1;;;;;;;6;;;del-2;Floods',
    );

  it('holds back rows that look like stored stakeholders, naming them, and imports the rest', async () => {
    expect(await importRecords(db.dataSource, readRecords(stored, 'csv'))).toMatchObject({ failed: 0 });
    const deltares = await idOf('del-1');
    const report = await importRecords(db.dataSource, readRecords(withSchool(incoming), 'csv'));
    expect(report.warnings).toEqual([
      {
        line: 2,
        field: 'name',
        message:
          `name looks like a stored stakeholder: "Deltares" (id ${deltares}), the same name within 5 km; ` +
          'held back: to import it anyway, set its allowDuplicate column to true (or import with allowDuplicates)',
        existingIds: [deltares],
        sameAsLines: [],
      },
      {
        line: 3,
        field: 'website',
        message: expect.stringMatching(
          new RegExp(
            `^website looks like a stored stakeholder: "Deltares" \\(id ${deltares}\\), the same website host;`,
          ),
        ),
        existingIds: [deltares],
        sameAsLines: [],
      },
    ]);
    expect(report.heldBack).toBe(2);
    // The challenge of a held-back school says why it cannot go in.
    expect(report.errors).toEqual([
      {
        line: 8,
        field: 'schoolExternalId',
        message: 'schoolExternalId "del-2" was held back as a likely duplicate (line 2)',
      },
    ]);
    expect(report.stakeholders).toEqual({ inserted: 3, updated: 1 });
    expect(await externalIds()).toEqual(['brug-1', 'del-1', 'del-4', 'fam-1', 'fb-1', 'gent-1']);
  });

  it('reports the same on a dry run, and imports everything when told to', async () => {
    await importRecords(db.dataSource, readRecords(stored, 'csv'));
    const records = readRecords(incoming, 'csv');
    const dry = await importRecords(db.dataSource, records, { dryRun: true });
    expect(dry).toMatchObject({ heldBack: 2, stakeholders: { inserted: 3, updated: 1 } });
    expect(dry.warnings.map((w) => w.line)).toEqual([2, 3]);
    const all = await importRecords(db.dataSource, records, { allowDuplicates: true });
    expect(all).toMatchObject({ heldBack: 0, warnings: [], stakeholders: { inserted: 5, updated: 1 } });
  });

  it('compares a family only for an importer who may see it', async () => {
    await importRecords(db.dataSource, readRecords(stored, 'csv'));
    const family = await idOf('fam-1');
    const again = `${HEADER};consentGiven\nstakeholder;fam-2;FAMILY;familie peeters;;;50.881;4.701;4;;;true\n`;
    const hidden = await importRecords(db.dataSource, readRecords(again, 'csv'), { dryRun: true, families: [] });
    expect(hidden).toMatchObject({ heldBack: 0, warnings: [] });
    const seen = await importRecords(db.dataSource, readRecords(again, 'csv'), { dryRun: true });
    expect(seen.warnings).toEqual([expect.objectContaining({ line: 2, field: 'name', existingIds: [family] })]);
  });
});

describe('likely duplicates within one file', () => {
  const HOLD = 'held back: to import it anyway, set its allowDuplicate column to true (or import with allowDuplicates)';
  const file = [
    `${HEADER};schoolExternalId;title`,
    'stakeholder;wg-1;RESEARCH_INSTITUTE;Waterlab Gent;;;51.05;3.72;6;https://www.waterlab.example/;;;',
    // The same name, another spelling, 2 km north: held back, naming line 2.
    'stakeholder;wg-2;SCHOOL;WATERLAB GENT BV;;;51.068;3.72;6;;;;',
    // The same name, 100 km away: another one.
    'stakeholder;wg-3;RESEARCH_INSTITUTE;Waterlab Gent;;;51.95;3.72;6;;;;',
    // Another name, the first one's website host: held back.
    'stakeholder;wg-4;INDUSTRY;Waterlab Sensors;;;50.0;5.0;9;http://waterlab.example/sensors;;;',
    // The same name nearby, said to be another one: imported, and compared with after.
    'stakeholder;wg-5;RESEARCH_INSTITUTE;Waterlab Gent;;;51.051;3.721;6;;true;;',
    // Its school was held back: the challenge says so.
    'challenge;ch-9;;;;;;;6;;;wg-2;Floods',
  ].join('\n');

  it('holds back a row that looks like an earlier one of the file, naming its line', async () => {
    for (const dryRun of [true, false]) {
      const report = await importRecords(db.dataSource, readRecords(file, 'csv'), { dryRun });
      expect(report.warnings).toEqual([
        {
          line: 3,
          field: 'name',
          message: `name looks like line 2 of this file ("Waterlab Gent"), the same name within 5 km; ${HOLD}`,
          existingIds: [],
          sameAsLines: [2],
        },
        {
          line: 5,
          field: 'website',
          message: `website looks like line 2 of this file ("Waterlab Gent"), the same website host; ${HOLD}`,
          existingIds: [],
          sameAsLines: [2],
        },
      ]);
      expect(report.errors).toEqual([
        {
          line: 7,
          field: 'schoolExternalId',
          message: 'schoolExternalId "wg-2" was held back as a likely duplicate (line 3)',
        },
      ]);
      expect(report).toMatchObject({ heldBack: 2, stakeholders: { inserted: 3, updated: 0 } });
    }
    expect(await externalIds()).toEqual(['wg-1', 'wg-3', 'wg-5']);
    // Imported again, the stored rows are updates; no row is compared with itself.
    const again = await importRecords(db.dataSource, readRecords(file, 'csv'), { dryRun: true });
    expect(again.warnings.map((w) => [w.line, w.existingIds.length, w.sameAsLines])).toEqual([
      [3, 2, []],
      [5, 1, []],
    ]);
  });

  it('imports every row when the import allows duplicates', async () => {
    const all = await importRecords(db.dataSource, readRecords(file, 'csv'), { allowDuplicates: true });
    expect(all).toMatchObject({ heldBack: 0, warnings: [], failed: 0, stakeholders: { inserted: 5 } });
  });
});

describe('the duplicate keys', () => {
  it.each([
    ['Deltares', 'deltares'],
    ['DELTARES B.V.', 'deltares'],
    ['Deltares BV', 'deltares'],
    ['deltares, b.v.', 'deltares'],
    ['vzw Natuurpunt', 'natuurpunt'],
    ['Natuurpunt VZW', 'natuurpunt'],
    ['Université de Liège', 'universite de liege'],
    ['Siemens AG', 'siemens'],
    ['Acme Ltd.', 'acme'],
    ['Acme, Inc.', 'acme'],
    ['Fraunhofer e.V.', 'fraunhofer'],
    ['Water & Land GmbH', 'water land'],
    ['Sint-Barbaracollege', 'sint barbaracollege'],
    ['  Lab   42  ', 'lab 42'],
    // Legal forms only as whole words: "Avans" keeps its "s", "BVision" its "bv".
    ['Avans', 'avans'],
    ['BVision', 'bvision'],
    ['NV', ''],
    ['Θάλασσα', 'θαλασσα'],
  ])('stakeholder_name_key(%j) = %j', async (name, key) => {
    const [row]: { key: string }[] = await db.dataSource.query('SELECT stakeholder_name_key($1) AS key', [name]);
    expect(row.key).toBe(key);
  });

  it.each([
    ['https://www.deltares.nl/en/', 'deltares.nl'],
    ['http://Deltares.NL', 'deltares.nl'],
    ['https://deltares.nl:8443/x?y#z', 'deltares.nl'],
    ['https://WWW.example.org.', 'example.org'],
    ['https://wwwexample.org/', 'wwwexample.org'],
    ['https://sub.example.org/', 'sub.example.org'],
    ['not a url', null],
  ])('website_host(%j) = %j', async (url, host) => {
    const [row]: { host: string | null }[] = await db.dataSource.query('SELECT website_host($1) AS host', [url]);
    expect(row.host).toBe(host);
  });

  it('looks stored stakeholders up by index, never by a scan of them all', async () => {
    await importRecords(db.dataSource, readRecords(stored, 'csv'));
    await db.dataSource.query(`INSERT INTO stakeholder (kind, name, latitude, longitude, website)
      SELECT 'INDUSTRY', 'Org ' || i, 50 + (i * 7919 % 1000) / 300.0, 3 + (i * 104729 % 1000) / 300.0,
        'https://org' || i || '.example/'
      FROM generate_series(1, 300) i`);
    await db.dataSource.query('ANALYZE stakeholder');
    const params = likelyDuplicatesParams(
      [{ name: 'Deltares', latitude: 52, longitude: 4.37, website: 'https://deltares.nl' }],
      [],
    );
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = (await runner.query(`EXPLAIN ${LIKELY_DUPLICATES_SQL}`, params)) as { 'QUERY PLAN': string }[];
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/stakeholder_name_key_idx/);
      expect(text).toMatch(/stakeholder_website_host_idx/);
      expect(text).not.toMatch(/Seq Scan on stakeholder/);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(SHARED_HOSTS).toContain('facebook.com');
  });
});
