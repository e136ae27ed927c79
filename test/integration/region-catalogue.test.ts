/**
 * The region catalogue answers from memory exactly what the `region` table says: every region by
 * its code (in any case), every unknown code refused as bad input naming the field, and a point's
 * region as the table's own query chose it. After its one read, checking a region or finding a
 * point's sends no statement; a read that fails is not kept.
 */
import { createDataSource } from '../../src/db/data-source';
import { DomainError, DomainErrorCode } from '../../src/domain/errors';
import { nearestPlace } from '../../src/domain/geo/gazetteer';
import { regionForPoint, requireRegion } from '../../src/domain/region/region.service';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

interface RegionRow {
  code: string;
  name: string;
  country: string;
  parent_code: string | null;
  latitude: number;
  longitude: number;
}

describe('the region catalogue', () => {
  it('knows every region of the table, by its code in any case', async () => {
    const rows: RegionRow[] = await db.dataSource.query('SELECT * FROM region ORDER BY code');
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      for (const asked of [row.code, row.code.toLowerCase(), ` ${row.code} `]) {
        const region = await requireRegion(db.dataSource.manager, 'input.regionCode', asked);
        expect({ ...region }).toEqual({
          code: row.code,
          name: row.name,
          country: row.country,
          parentCode: row.parent_code,
          latitude: row.latitude,
          longitude: row.longitude,
        });
      }
    }
  });

  it.each(['XX', 'NL-ZZ', 'NL-', '', 'Nederland'])('refuses "%s" as bad input naming the field', async (code) => {
    const refused = await requireRegion(db.dataSource.manager, 'filter.regionCode', code).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(DomainErrorCode.BadUserInput);
    expect((refused as DomainError).message).toBe(
      `filter.regionCode must be a known ISO 3166 region code like "NL" or "NL-OV", got "${code}"`,
    );
  });

  it("finds a point's region as the table's query does, and sends no statement for it", async () => {
    const points: [number, number][] = [];
    // Across the gazetteer's Europe and beyond it (the sea, the poles' edges, the antimeridian).
    for (let lat = 34; lat <= 71; lat += 1.7) for (let lon = -25; lon <= 40; lon += 2.3) points.push([lat, lon]);
    points.push([0, 0], [-33.9, 18.4], [64.1, -21.9], [-89, 179.9], [89, -179.9]);
    // Finer where the catalogue has subdivisions (the Netherlands' provinces, Belgium's).
    for (let lat = 49.6; lat <= 53.5; lat += 0.23) for (let lon = 2.6; lon <= 7.2; lon += 0.29) points.push([lat, lon]);
    await regionForPoint(db.dataSource.manager, 50.88, 4.7); // the catalogue read once, here
    db.resetQueries();
    const answers: (string | null)[] = [];
    for (const [lat, lon] of points) answers.push(await regionForPoint(db.dataSource.manager, lat, lon));
    await requireRegion(db.dataSource.manager, 'input.regionCode', 'be-vbr');
    expect(db.queries).toEqual([]);
    // The statement each answer was read with before, for every point at once.
    const places = points.map(([lat, lon]) => nearestPlace(lat, lon));
    const reference: { code: string | null }[] = await db.dataSource.query(
      `SELECT (SELECT code FROM region WHERE code = ANY(ARRAY[p.region, p.country]) ORDER BY length(code) DESC LIMIT 1)
         AS code
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(region, country, k) ORDER BY p.k`,
      [places.map((p) => p.regionCode), places.map((p) => p.country)],
    );
    expect(points.map((point, k) => [...point, answers[k]])).toEqual(
      points.map((point, k) => [...point, reference[k].code]),
    );
    expect(new Set(answers.filter((a) => a !== null && a.includes('-'))).size).toBeGreaterThan(10);
  });

  it('keeps no failed read: the caller hears the failure, the next caller reads again', async () => {
    const other = createDataSource({ url: db.url, poolSize: 2 });
    await other.initialize();
    try {
      await db.dataSource.query('ALTER TABLE region RENAME TO region_away');
      try {
        await expect(requireRegion(other.manager, 'input.regionCode', 'NL')).rejects.toThrow(/region/);
      } finally {
        await db.dataSource.query('ALTER TABLE region_away RENAME TO region');
      }
      await expect(requireRegion(other.manager, 'input.regionCode', 'NL')).resolves.toMatchObject({ code: 'NL' });
    } finally {
      await other.destroy();
    }
  });
});
