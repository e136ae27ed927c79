import { MigrationInterface, QueryRunner } from 'typeorm';
import countries from '../src/db/reference/countries.json';
import subdivisions from '../src/db/reference/subdivisions.json';
import sdgs from '../src/db/reference/sdgs.json';
import expertise from '../src/db/reference/expertise.json';

/** The 17 SDGs, every country and the Dutch and Belgian subdivisions, and a starter expertise taxonomy. */
export class ReferenceData1795400000001 implements MigrationInterface {
  name = 'ReferenceData1795400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO sdg (id, code, title, title_nl)
       SELECT id, 'SDG ' || id, title, title_nl
       FROM unnest($1::smallint[], $2::text[], $3::text[]) AS t(id, title, title_nl)`,
      [sdgs.map((s) => s.id), sdgs.map((s) => s.title), sdgs.map((s) => s.titleNl)],
    );
    await q.query(
      `INSERT INTO region (code, name, country, latitude, longitude)
       SELECT code, name, code, lat, lon
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS t(code, name, lat, lon)`,
      [
        countries.map((c) => c.code),
        countries.map((c) => c.name),
        countries.map((c) => c.latitude),
        countries.map((c) => c.longitude),
      ],
    );
    // Parents before children: the Belgian regions come before their provinces in the file.
    for (const s of subdivisions) {
      await q.query(
        `INSERT INTO region (code, name, country, parent_code, latitude, longitude) VALUES ($1, $2, $3, $4, $5, $6)`,
        [s.code, s.name, s.country, s.parent, s.latitude, s.longitude],
      );
    }
    for (const group of expertise) {
      const [{ id }] = await q.query(`INSERT INTO expertise (slug, label) VALUES ($1, $2) RETURNING id`, [
        group.slug,
        group.label,
      ]);
      for (const child of group.children) {
        await q.query(`INSERT INTO expertise (slug, label, parent_id) VALUES ($1, $2, $3)`, [
          child.slug,
          child.label,
          id,
        ]);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM expertise`);
    await q.query(`DELETE FROM region WHERE parent_code IS NOT NULL AND parent_code <> country`);
    await q.query(`DELETE FROM region`);
    await q.query(`DELETE FROM sdg`);
  }
}
