import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded-postgres';
import { createTestDatabase, TestDatabase } from '../helpers/database';

const root = path.join(__dirname, '..', '..');

/** Starts the compiled service as `npm start` does and waits for its "listening" log line. */
function startService(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; logs: any[] }> {
  const child = spawn(process.execPath, ['dist/src/index.js'], { cwd: root, env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' } });
  const logs: any[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const entry = JSON.parse(line);
        logs.push(entry);
        if (entry.msg === 'listening') resolve({ child, port: Number(new URL(entry.url).port), logs });
      }
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${stderr}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function gql(port: number, query: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}, 120000);

describe('the service as `npm start` runs it', () => {
  it('starts an embedded PostgreSQL, seeds the demo network, serves it, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-start-'));
    chmodSync(dir, 0o755);
    const pgPort = await freePort();
    try {
      const { child, port, logs } = await startService({ DATA_DIR: path.join(dir, 'data'), EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: '' });
      const exited = exitCode(child);
      const data = (await gql(port, '{ challenges { totalCount } hubs { name members { id } } stakeholders { totalCount } }')).data;
      expect(data.challenges.totalCount).toBeGreaterThanOrEqual(5);
      expect(data.hubs.length).toBeGreaterThanOrEqual(3);
      expect(data.stakeholders.totalCount).toBeGreaterThanOrEqual(20);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(logs.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
      expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['seeded demo network', 'listening']));
      expect(await portOpen(pgPort)).toBe(true);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(logs.map((l) => l.msg)).toContain('stopped');
      expect(await portOpen(pgPort)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
      await db.dataSource.destroy();
    });
    afterAll(() => db?.drop());

    it('uses that server and never seeds it unasked', async () => {
      const { child, port } = await startService({ DATABASE_URL: db.url });
      const exited = exitCode(child);
      const data = (await gql(port, '{ stakeholders { totalCount } sdgs { id } }')).data;
      expect(data.stakeholders.totalCount).toBe(0);
      expect(data.sdgs).toHaveLength(17);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }, 60000);
  });
});
