// Gives every test worker a PostgreSQL server: DATABASE_URL when set (CI also runs the suite
// against the machine's PostgreSQL 15 that way), otherwise a throwaway embedded server.
// Each test file then creates its own database on it (see database.ts).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { bundleBrowser } from '../../scripts/bundle-browser.mjs';
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

const require = createRequire(import.meta.url);

export default async function globalSetup() {
  // Tests that run the service as its own process use the compiled build.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'),
    stdio: 'inherit',
  });
  // The server, under ts-jest too, serves the widget and the IDE's script from dist/browser/:
  // bundled afresh here, so no test meets a missing bundle or one older than src/browser/.
  await bundleBrowser();

  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  let started;
  try {
    started = await startThrowawayPostgres({ prefix: 'matchmaker-test-pg-', persistent: false });
  } catch (error) {
    // Said in one line, like `npm start` says it: what failed and what to do.
    process.stderr.write(
      `\nThe tests' embedded PostgreSQL could not start: ${error instanceof Error ? error.message : error}; ` +
        'set DATABASE_URL to a PostgreSQL server to run the tests against it\n',
    );
    process.exit(1);
  }
  const { pg, port } = started;
  globalThis.__EMBEDDED_PG__ = pg;
  process.env.TEST_ADMIN_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
