import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded-postgres';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { expectData, GraphQLResult, TEST_ADMIN_KEY } from '../helpers/server';
import { post, ServiceProcess, startService } from '../helpers/service-process';
import { until } from '../helpers/until';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('the service as `npm start` runs it', () => {
  it('lets `npm run import` work beside the running server on its embedded database (dry run and real)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-beside-'));
    chmodSync(dir, 0o755);
    const env = { DATA_DIR: path.join(dir, 'data'), EMBEDDED_PG_PORT: String(await freePort()), DATABASE_URL: '' };
    const service = await startService(env);
    try {
      const count = async () =>
        expectData(await post<{ stakeholders: { totalCount: number } }>(service.url, '{ stakeholders { totalCount } }'))
          .stakeholders.totalCount;
      const before = await count();
      const file = path.join(dir, 'partners.csv');
      writeFileSync(
        file,
        'record,externalId,kind,name,city,countryCode,sdgs\nstakeholder,beside-1,UNIVERSITY,Beside lab,Leuven,BE,13\n',
      );
      const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'db', 'import.cli.js');
      const run = (...args: string[]) =>
        execFileSync(process.execPath, [cli, file, ...args], {
          env: { ...process.env, ...env, REDIS_URL: '' },
          encoding: 'utf8',
        });
      expect(run('--dry-run')).toMatch(/Dry run \(nothing written\)[\s\S]*1 new/);
      expect(await count()).toBe(before);
      expect(run()).toMatch(/stakeholders: 1 new/);
      expect(await count()).toBe(before + 1);
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('takes the data directory over from the PostgreSQL a killed run left behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-kill-'));
    chmodSync(dir, 0o755);
    const env = { DATA_DIR: path.join(dir, 'data'), EMBEDDED_PG_PORT: String(await freePort()), DATABASE_URL: '' };
    try {
      const first = await startService(env);
      // Killed outright, as the kernel kills a process out of memory: its PostgreSQL stays up.
      await first.stop('SIGKILL');
      expect(await portOpen(Number(env.EMBEDDED_PG_PORT))).toBe(true);
      const second = await startService({ ...env, LOG_LEVEL: 'debug' });
      try {
        // Ready once its match index is loaded (503 until then).
        const ready = async () => (await fetch(`http://127.0.0.1:${second.port}/readyz`)).status === 200;
        await until(ready, { timeoutMs: 60_000, what: "the second run's /readyz answers 200" });
        expect(JSON.stringify(second.logs)).toMatch(/taking over the data directory/);
        const answer = await post<{ challenges: { totalCount: number } }>(second.url, '{ challenges { totalCount } }');
        expect(expectData(answer).challenges.totalCount).toBeGreaterThan(0);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('starts an embedded PostgreSQL, seeds the demo network, serves it, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-start-'));
    chmodSync(dir, 0o755);
    const pgPort = await freePort();
    try {
      const service = await startService({
        DATA_DIR: path.join(dir, 'data'),
        EMBEDDED_PG_PORT: String(pgPort),
        DATABASE_URL: '',
      });
      const { port, logs } = service;
      const data = expectData(
        await post<{ challenges: { totalCount: number }; hubs: unknown[]; stakeholders: { totalCount: number } }>(
          service.url,
          '{ challenges { totalCount } hubs { name members { id } } stakeholders { totalCount } }',
        ),
      );
      expect(data.challenges.totalCount).toBeGreaterThanOrEqual(5);
      expect(data.hubs.length).toBeGreaterThanOrEqual(3);
      expect(data.stakeholders.totalCount).toBeGreaterThanOrEqual(20);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(logs.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
      expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['seeded demo network', 'listening']));
      expect(await portOpen(pgPort)).toBe(true);
      // In production the start speaks JSON only, and makes no demo keys.
      await until(() => logs.some((l) => l.msg === 'ready'), { timeoutMs: 60_000, what: 'the "ready" line' });
      expect(logs.find((l) => l.msg === 'ready')).toMatchObject({
        url: `http://localhost:${port}/graphql`,
        examplePage: `http://localhost:${port}/embed/example.html`,
        ide: false,
        writes: 'ADMIN_API_KEY',
        mail: `files in ${path.join(dir, 'data', 'mail')}`,
      });
      expect(service.text).toEqual([]);
      expect(logs.map((l) => l.msg)).not.toContain('demo keys made');
      const keys = expectData(
        await post<{ apiKeys: { role: string }[] }>(service.url, '{ apiKeys { role } }'),
      ).apiKeys.map((k) => k.role);
      // (The seed's publishable key is made only for a fixed PORT: this start's is 0, a free one.)
      expect(keys.filter((role) => role !== 'PUBLISHABLE')).toEqual([]);
      // The tiny demo's index in total MB and rows; bytes per stakeholder only at scale.
      const index = logs.find((l) => l.msg === 'match index ready');
      expect(index).toMatchObject({ stakeholders: expect.any(Number), memoryMb: expect.any(Number) });
      expect(index).not.toHaveProperty('bytesPerStakeholder');

      expect(await service.stop('SIGTERM')).toBe(0);
      expect(logs.map((l) => l.msg)).toContain('stopped');
      // A deliberate stop is not an incident: nothing on the way down warns.
      expect(logs.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
      expect(await portOpen(pgPort)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);

  it("in development, says in words where to go and makes demo keys, revoking the last start's", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-dev-'));
    chmodSync(dir, 0o755);
    const env = {
      NODE_ENV: 'development',
      DATA_DIR: path.join(dir, 'data'),
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: '',
      ADMIN_API_KEY: '',
    };
    /** Starts the service, waits for its words, and returns them with the demo keys they name. */
    const start = async (extra: Record<string, string> = {}) => {
      const service = await startService({ ...env, ...extra });
      await until(() => service.text.length === 2, { timeoutMs: 60_000, what: 'the start line and the keys line' });
      const [, coordinator, portal] = /COORDINATOR (osm_\S+) · PORTAL (osm_\S+)$/.exec(service.text[1]) ?? [];
      return { service, coordinator, portal };
    };
    const as = async (service: ServiceProcess, key: string, query: string) => {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResult<{ viewer: { role: string } }> };
    };
    try {
      const first = await start();
      const { port } = first.service;
      const [line] = first.service.text;
      expect(line.slice(0, line.lastIndexOf(' · index '))).toBe(
        `Ready at http://localhost:${port}/graphql · IDE: open that address in a browser · ` +
          `example page http://localhost:${port}/embed/example.html · writes on (demo keys) · ` +
          `mail to files in ${path.join(dir, 'data', 'mail')}`,
      );
      expect(line).toMatch(/ · index 27 stakeholders, 6 challenges, \d+\.\d MB$/);
      expect(first.service.text[1]).toMatch(/^Demo keys for the hub "Leuven Education Makers" \(development only;/);
      expect(expectData((await as(first.service, first.coordinator, '{ viewer { role } }')).body).viewer.role).toBe(
        'COORDINATOR',
      );
      expect(expectData((await as(first.service, first.portal, '{ viewer { role } }')).body).viewer.role).toBe(
        'PORTAL',
      );
      // Printed once: the JSON lines name the hub, never a secret.
      expect(JSON.stringify(first.service.logs)).not.toContain(first.coordinator);
      expect(await first.service.stop()).toBe(0);

      const second = await start({ ADMIN_API_KEY: TEST_ADMIN_KEY });
      try {
        expect(second.coordinator).not.toBe(first.coordinator);
        expect((await as(second.service, first.coordinator, '{ viewer { role } }')).status).toBe(401);
        expect((await as(second.service, second.coordinator, '{ viewer { role } }')).status).toBe(200);
        const keys = expectData(
          await post<{ apiKeys: { role: string; revokedAt: string | null }[] }>(
            second.service.url,
            '{ apiKeys { role revokedAt } }',
          ),
        ).apiKeys;
        // However many starts: one live pair, and the earlier pairs revoked.
        const live = keys.filter((k) => !k.revokedAt).map((k) => k.role);
        expect(live.sort()).toEqual(['COORDINATOR', 'PORTAL']);
        expect(
          keys
            .filter((k) => k.revokedAt)
            .map((k) => k.role)
            .sort(),
        ).toEqual(['COORDINATOR', 'PORTAL']);
      } finally {
        await second.service.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it.each([
    ['below a file', (dir: string) => path.join(dir, 'a-file', 'data')],
    ['on a read-only file system', () => '/proc/matchmaker-data'],
  ])(
    'fails in one line, without a stack, when the data folder lies %s',
    (_where, dataDir) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-bad-data-'));
      writeFileSync(path.join(dir, 'a-file'), 'not a folder');
      try {
        const run = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'src', 'index.js')], {
          env: { ...process.env, DATA_DIR: dataDir(dir), DATABASE_URL: '', REDIS_URL: '', PORT: '0' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(run.status).toBe(1);
        const lines = run.stderr.split('\n').filter(Boolean);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^Failed to start: embedded PostgreSQL in \S+ could not start: .+; set DATA_DIR to /);
        expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
      await db.dataSource.destroy();
    });
    afterAll(() => db?.drop());

    it('uses that server and never seeds it unasked', async () => {
      const service = await startService({ DATABASE_URL: db.url });
      const data = expectData(
        await post<{ stakeholders: { totalCount: number }; sdgs: unknown[] }>(
          service.url,
          '{ stakeholders { totalCount } sdgs { id } }',
        ),
      );
      expect(data.stakeholders.totalCount).toBe(0);
      expect(data.sdgs).toHaveLength(17);
      expect(await service.stop('SIGINT')).toBe(0);
    }, 60000);
  });
});
