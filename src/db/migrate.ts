import { DataSource } from 'typeorm';

// Any constant works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK = 7_301_405;

/**
 * Applies pending migrations. An advisory lock makes instances that start together
 * take turns, so each migration runs once.
 * @returns the names of the migrations applied now
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const outcome = await (async () => {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  })().then(
    (applied) => ({ applied }),
    (error: unknown) => ({ error }),
  );
  try {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (unlockError) {
    // A lock left on a pooled connection would hold every later start: a failure of its own,
    // unless the migration failed already (its error is the one to tell; a broken connection,
    // which is what fails both, takes its lock with it).
    if ('applied' in outcome) throw unlockError;
  } finally {
    await runner.release();
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.applied;
}
