/**
 * Prepared statements on the write path: run on the transaction's own connection when there is
 * one (they see its uncommitted rows), else on a pool connection given back at once; a failure
 * is the statement's error, and the data source's logger counts them like any other statement.
 */
import { preparedQuery } from '../../src/db/prepared-query';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.dataSource.query('CREATE TABLE prepared_probe (n int PRIMARY KEY)');
});
afterAll(() => db?.drop());

const COUNT = 'SELECT count(*)::int AS n FROM prepared_probe WHERE n >= $1';

describe('preparedQuery', () => {
  it('runs in the transaction it is given: it sees that transaction’s uncommitted rows', async () => {
    await db.dataSource.transaction(async (m) => {
      await m.query('INSERT INTO prepared_probe (n) VALUES (1), (2)');
      expect(await preparedQuery<{ n: number }>(m, COUNT, [0])).toEqual([{ n: 2 }]);
      // Another connection does not see them yet.
      expect(await preparedQuery<{ n: number }>(db.dataSource, COUNT, [0])).toEqual([{ n: 0 }]);
    });
    expect(await preparedQuery<{ n: number }>(db.dataSource, COUNT, [0])).toEqual([{ n: 2 }]);
  });

  it('gives its pool connection back: four times the pool’s size in a row, and side by side', async () => {
    for (let k = 0; k < 20; k++) await preparedQuery(db.dataSource, COUNT, [k]);
    const side = await Promise.all(Array.from({ length: 20 }, (_, k) => preparedQuery(db.dataSource, COUNT, [k])));
    expect(side).toHaveLength(20);
  });

  it('fails with the statement’s own error, in a transaction and outside one', async () => {
    await expect(preparedQuery(db.dataSource, 'SELECT 1 / $1::int AS x', [0])).rejects.toThrow('division by zero');
    await expect(
      db.dataSource.transaction((m) => preparedQuery(m, 'INSERT INTO prepared_probe (n) VALUES ($1)', [1])),
    ).rejects.toThrow('duplicate key value violates unique constraint');
    // The pool is whole afterwards.
    expect(await preparedQuery<{ n: number }>(db.dataSource, COUNT, [0])).toEqual([{ n: 2 }]);
  });

  it('is seen by the data source’s logger, as TypeORM’s own statements are', async () => {
    db.resetQueries();
    await preparedQuery(db.dataSource, COUNT, [5]);
    expect(db.queries).toEqual([COUNT]);
  });
});
