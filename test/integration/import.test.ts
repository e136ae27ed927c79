import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import path from 'node:path';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { createTestDatabase, TestDatabase } from '../helpers/database';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');
let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(() => db?.drop());

const count = async (table: string) =>
  (await db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
const externalIds = async () =>
  (await db.dataSource.query<{ external_id: string }[]>(`SELECT external_id FROM stakeholder ORDER BY 1`)).map(
    (r) => r.external_id,
  );

describe('import', () => {
  it('loads a CSV of stakeholders and challenges, geocoding cities offline', async () => {
    const report = await importRecords(db.dataSource, readRecords(fixture('import-good.csv'), 'csv'));
    expect(report).toMatchObject({
      rows: 6,
      failed: 0,
      stakeholders: { inserted: 5, updated: 0 },
      challenges: { inserted: 1, updated: 0 },
    });
    const [uni]: { latitude: number }[] = await db.dataSource.query(
      `SELECT region_code, latitude, description, languages, contact_email FROM stakeholder
       WHERE external_id = 'uni-1'`,
    );
    expect(uni).toMatchObject({
      region_code: 'NL-OV',
      description: 'Water engineering, sensors',
      languages: ['nl', 'en'],
      contact_email: 'office@utwente.example',
    });
    expect(uni.latitude).toBeCloseTo(52.22, 1);
    const [imec]: unknown[] = await db.dataSource.query(
      `SELECT description, region_code FROM stakeholder WHERE external_id = 'be-1'`,
    );
    expect(imec).toEqual({ description: 'Nano-electronics, "Leuven"', region_code: 'BE-VBR' });
    const [gov]: { region_code: string }[] = await db.dataSource.query(
      `SELECT region_code FROM stakeholder WHERE external_id = 'gov-1'`,
    );
    expect(gov.region_code).toBe('NL-OV'); // derived from the coordinates
    const [fam]: { latitude: number }[] = await db.dataSource.query(
      `SELECT latitude FROM stakeholder WHERE external_id = 'fam-1'`,
    );
    expect(Math.round(fam.latitude * 100) / 100).toBe(fam.latitude); // stored on the coarse grid only
    const [ch]: unknown[] = await db.dataSource.query(
      `SELECT c.title, c.phase, c.radius_km, c.wanted_kinds, s.external_id AS school, c.region_code,
              ARRAY(SELECT slug FROM expertise WHERE id = ANY(c.expertise_needed_ids) ORDER BY slug) AS tags
       FROM challenge c JOIN stakeholder s ON s.id = c.school_id`,
    );
    expect(ch).toEqual({
      title: 'Our village floods every winter',
      phase: 'STARTUP',
      radius_km: 60,
      wanted_kinds: ['UNIVERSITY', 'GOVERNMENT'],
      school: 'sch-1',
      region_code: 'NL-OV',
      tags: ['hydrology', 'sensors'],
    });
  });

  it('updates instead of duplicating on a re-import, and writes nothing on a dry run', async () => {
    const records = readRecords(fixture('import-good.csv'), 'csv');
    const dry = await importRecords(db.dataSource, records, { dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      stakeholders: { inserted: 5, updated: 0 },
      challenges: { inserted: 1, updated: 0 },
    });
    expect(await count('stakeholder')).toBe(0);
    await importRecords(db.dataSource, records);
    const again = await importRecords(db.dataSource, records);
    expect(again).toMatchObject({ stakeholders: { inserted: 0, updated: 5 }, challenges: { inserted: 0, updated: 1 } });
    expect(await count('stakeholder')).toBe(5);
    expect(await count('challenge')).toBe(1);
    const dryAgain = await importRecords(db.dataSource, records, { dryRun: true });
    expect(dryAgain).toMatchObject({ stakeholders: { inserted: 0, updated: 5 } });
  });

  it('reports every bad row with its line, field and reason while the good rows go in', async () => {
    const report = await importRecords(db.dataSource, readRecords(fixture('import-bad.csv'), 'csv'));
    expect(report.stakeholders.inserted).toBe(2);
    expect(report.errors).toEqual([
      { line: 3, field: 'sdgs[1]', message: 'sdgs[1] must be between 1 and 17, got 18' },
      { line: 4, field: 'kind', message: expect.stringMatching(/^kind must be one of SCHOOL, .*got "ALIEN"$/) },
      { line: 5, field: 'externalId', message: 'externalId must not be empty' },
      {
        line: 6,
        field: 'city',
        message: expect.stringMatching(/^city "Leuvn" is not a known city in BE; did you mean .*"Leuven"/),
      },
      { line: 7, field: 'location.latitude', message: 'location.latitude must be between -90 and 90, got 95' },
      { line: 8, field: 'regionCode', message: 'regionCode must be a known ISO 3166 region code, got "NL-XX"' },
      {
        line: 9,
        field: 'contactEmail',
        message: 'contactEmail must be an email address like name@example.org, got "not-an-email"',
      },
      { line: 10, field: 'externalId', message: 'externalId "ok-1" appears twice in this file' },
      { line: 11, field: 'schoolExternalId', message: 'schoolExternalId must name a SCHOOL, got a UNIVERSITY' },
      {
        line: 12,
        field: 'schoolExternalId',
        message: 'schoolExternalId "nobody" is not in this file nor imported before',
      },
    ]);
    expect(report.failed).toBe(10);
    expect(await externalIds()).toEqual(['ok-1', 'ok-2']);
  });

  it('imports what the generator writes, without a rejected row', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'net.csv');
    expect(writeNetworkCsv(file, { stakeholders: 3000, challenges: 60, seed: 5 })).toBe(3060);
    const report = await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    expect(report).toMatchObject({ failed: 0, stakeholders: { inserted: 3000 }, challenges: { inserted: 60 } });
    const [{ n }]: { n: number }[] = await db.dataSource.query(
      'SELECT count(*)::int AS n FROM stakeholder WHERE region_code IS NULL',
    );
    expect(n).toBe(0);
  });

  it('writes slices side by side that bring the same new tags in every order, each tag once', async () => {
    const tags = Array.from({ length: 12 }, (_, i) => `Shared skill ${i}`);
    // Each row lists all twelve new tags, rotated, and reversed every other row: slices of one row each.
    const records = Array.from({ length: 20 }, (_, n) => {
      const turned = [...tags.slice((n * 5) % 12), ...tags.slice(0, (n * 5) % 12)];
      const expertise = (n % 2 ? turned.reverse() : turned).join(';');
      return {
        line: n + 2,
        record: { record: 'stakeholder', externalId: `x-${n}`, kind: 'INDUSTRY', name: `Firm ${n}`, expertise },
      };
    });
    // A new tag takes a while to insert, so that the first two slices' statements overlap.
    await db.dataSource.query(`
      CREATE FUNCTION slow_tag() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.01); RETURN NEW; END $$;
      CREATE TRIGGER slow_tag BEFORE INSERT ON expertise FOR EACH ROW EXECUTE FUNCTION slow_tag();`);
    const report = await importRecords(db.dataSource, records, { batchSize: 1 });
    expect(report).toMatchObject({ failed: 0, stakeholders: { inserted: 20 } });
    const [row]: { tags: number; linked: number }[] = await db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM expertise WHERE slug LIKE 'shared-skill-%') AS tags,
              (SELECT count(*)::int FROM stakeholder WHERE cardinality(expertise_ids) = 12) AS linked`,
    );
    expect(row).toEqual({ tags: 12, linked: 20 });
  });

  it('reads JSON too', async () => {
    const report = await importRecords(db.dataSource, readRecords(fixture('import.json'), 'json'));
    expect(report).toMatchObject({ failed: 0, stakeholders: { inserted: 2 }, challenges: { inserted: 1 } });
  });

  it("takes a challenge's pupil contact and planned end, and names a bad one", async () => {
    const school = {
      externalId: 'pc-sch',
      kind: 'SCHOOL',
      name: 'Lyceum Pupil Contact',
      city: 'Utrecht',
      countryCode: 'NL',
      sdgs: [6],
    };
    const challenge = (externalId: string, extra: Record<string, string>) => ({
      ...{ record: 'challenge', externalId, schoolExternalId: 'pc-sch', title: 'Ditch water', sdgs: [6] },
      ...{ expertiseNeeded: [], ...extra },
    });
    const records = readRecords(
      JSON.stringify([
        school,
        challenge('pc-1', { pupilContact: 'UNSUPERVISED', plannedEndOn: '2027-06-30' }),
        challenge('pc-2', {}),
        challenge('pc-3', { pupilContact: 'SOMETIMES' }),
        challenge('pc-4', { plannedEndOn: '2027-02-30' }),
      ]),
      'json',
    );
    const report = await importRecords(db.dataSource, records);
    expect(report.errors.map((e) => [e.field, e.message])).toEqual([
      ['pupilContact', expect.stringMatching(/NONE, SUPERVISED, UNSUPERVISED, REGULAR/)],
      ['plannedEndOn', expect.stringMatching(/must be a date as YYYY-MM-DD/)],
    ]);
    const rows: { id: string; contact: string; end: string | null }[] = await db.dataSource.query(
      `SELECT external_id AS id, pupil_contact AS contact, to_char(planned_end_on, 'YYYY-MM-DD') AS end
       FROM challenge WHERE external_id LIKE 'pc-%' ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { id: 'pc-1', contact: 'UNSUPERVISED', end: '2027-06-30' },
      { id: 'pc-2', contact: 'SUPERVISED', end: null },
    ]);
  });

  it('leaves whole batches when interrupted, and a re-run resumes cleanly', async () => {
    const records = readRecords(fixture('import-good.csv'), 'csv');
    // Batches of two: [sch-1, uni-1], [gov-1, fam-1], [be-1]; the third fails inside the database, once.
    await db.dataSource.query(`
      CREATE SEQUENCE fail_once_seq; -- sequences survive the rollback, so it fails only once
      CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.external_id = 'be-1' AND nextval('fail_once_seq') = 1 THEN
          RAISE EXCEPTION 'simulated crash';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_once BEFORE INSERT ON stakeholder FOR EACH ROW EXECUTE FUNCTION fail_once();`);
    await expect(importRecords(db.dataSource, records, { batchSize: 2 })).rejects.toThrow(/simulated crash/);
    // Batches 1 and 2 are in whole; batch 3 and the challenges are not.
    expect(await externalIds()).toEqual(['fam-1', 'gov-1', 'sch-1', 'uni-1']);
    expect(await count('challenge')).toBe(0);
    const resumed = await importRecords(db.dataSource, records, { batchSize: 2 });
    expect(resumed).toMatchObject({
      failed: 0,
      stakeholders: { inserted: 1, updated: 4 },
      challenges: { inserted: 1 },
    });
    expect(await count('stakeholder')).toBe(5);
  });

  it('neutralises spreadsheet formulas in cells and refuses JSON values that are not text', async () => {
    const csv =
      'record,externalId,kind,name,city,countryCode,sdgs,contactPhone\n' +
      'stakeholder,evil-1,INDUSTRY,"=HYPERLINK(""http://evil.example"",""x"")",Leuven,BE,9,+32 16 32 40 10\n';
    const report = await importRecords(db.dataSource, readRecords(csv, 'csv'));
    expect(report.failed).toBe(0);
    const [row]: unknown[] = await db.dataSource.query(
      `SELECT name, contact_phone FROM stakeholder WHERE external_id = 'evil-1'`,
    );
    expect(row).toEqual({ name: `'=HYPERLINK("http://evil.example","x")`, contact_phone: '+32 16 32 40 10' });
    const json = JSON.stringify([
      { record: 'stakeholder', externalId: { $gt: '' }, kind: 'INDUSTRY', name: 'X', sdgs: [9] },
    ]);
    expect(() => readRecords(json, 'json')).toThrow(
      'record 1: externalId must be text, a number, a boolean or a list of them',
    );
    expect(() => readRecords('[42]', 'json')).toThrow('record 1 must be an object of columns');
    for (const [content, got] of [
      ['{"name": "Lab"}', 'an object'],
      ['null', 'null'],
      ['"Lab"', 'string'],
      ['3', 'number'],
    ])
      expect(() => readRecords(content, 'json')).toThrow(
        `input.content must be a JSON array of records (objects of columns), got ${got}`,
      );
    expect(readRecords('[]', 'json')).toEqual([]);
    expect(() => readRecords(JSON.stringify([{ externalId: 'x', name: 'a\u0000b' }]), 'json')).toThrow(
      'record 1: name must not contain NUL characters',
    );
    // CSV is read as UTF-8 bytes, so a lone surrogate arrives as U+FFFD, never as itself.
    expect(readRecords('record,name\nstakeholder,a\ud800b\n', 'csv')[0].record.name).toBe('a\ufffdb');
    // Every item of a list cell is neutralised on its own.
    const tags = readRecords('record,expertise\nstakeholder,Water;=1+2;@SUM(A1)\n', 'csv');
    expect(tags[0].record.expertise).toBe('Water;=1+2;@SUM(A1)');
  });
});
