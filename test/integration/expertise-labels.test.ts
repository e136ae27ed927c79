/**
 * Expertise labels become tags in one statement: new ones are stored, known ones read, a label
 * given twice (in other spellings) is one tag; and a tag another transaction stores while this
 * one waits on it is found, not lost between the statement's two halves.
 */
import { createTestDatabase, TestDatabase, untilWaitingOnLock } from '../helpers/database';
import { resolveExpertiseLabels } from '../../src/domain/expertise/expertise.service';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const idOf = async (slug: string) =>
  ((await db.dataSource.query('SELECT id FROM expertise WHERE slug = $1', [slug])) as { id: number }[])[0]?.id;

it('stores new tags and reads known ones, in the order given, in one statement', async () => {
  const [known] = await resolveExpertiseLabels(db.dataSource.manager, 'input.expertise', ['Soil science']);
  db.resetQueries();
  const ids = await resolveExpertiseLabels(db.dataSource.manager, 'input.expertise', [
    'Tidal energy',
    'soil  SCIENCE!',
    'Tidal-Energy',
  ]);
  expect(db.queries).toHaveLength(1);
  expect(ids).toEqual([await idOf('tidal-energy'), known]);
});

it('finds a tag another transaction stored and committed while this one waited on it', async () => {
  const other = db.dataSource.createQueryRunner();
  await other.connect();
  await other.startTransaction();
  try {
    const [{ id }] = (await other.query(
      "INSERT INTO expertise (slug, label) VALUES ('coastal-ecology', 'Coastal ecology') RETURNING id",
    )) as { id: number }[];
    // Waits on the other transaction's row (the same slug), then skips it as a conflict.
    const resolving = resolveExpertiseLabels(db.dataSource.manager, 'input.expertise', ['Coastal ecology', 'Dunes']);
    await untilWaitingOnLock(
      db.dataSource,
      `query LIKE '%INSERT INTO expertise%'`,
      [],
      'the labels wait on the other transaction',
    );
    await other.commitTransaction();
    const ids = await resolving;
    expect(ids).toEqual([id, await idOf('dunes')]);
  } finally {
    await other.release();
  }
});
