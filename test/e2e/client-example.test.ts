/** The README's typed-client example, run as the README says, against a running server. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/ws-client';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

it('prints the best partners, then a new one as it arrives, and stops on Ctrl-C', async () => {
  const uni = (name: string, km: number) => ({
    name,
    kind: 'UNIVERSITY' as const,
    sdgs: [13],
    expertise: ['Hydrology'],
    location: north(km),
  });
  const { School: school } = await createStakeholders(t, [
    { name: 'School', kind: 'SCHOOL', sdgs: [13], location: north(0) },
  ]);
  const challenge = await createChallenge(t, {
    schoolId: school,
    title: 'Floods',
    sdgs: [13],
    expertiseNeeded: ['Hydrology'],
  });
  await createStakeholders(t, [uni('Hydrology Uni', 3)]);

  // `npm run client:example -- <id> <url>` is the build (done by the jest global setup), then this.
  const example = path.join(__dirname, '..', '..', 'dist', 'src', 'client', 'example.js');
  const child = spawn(process.execPath, [example, challenge.id, t.server.url]);
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (text: string) =>
    Promise.race([
      new Promise<void>((resolve) => (stdout.includes(text) ? resolve() : waiters.push({ text, resolve }))),
      exited.then((code) => Promise.reject(new Error(`example exited with ${code}: ${stderr}`))),
    ]);

  await printed('Hydrology Uni');
  // Its subscription is in place once the server holds it.
  await until(() => t.live.size === 1, 10_000);
  await createStakeholders(t, [uni('Second uni', 2)]);
  await printed('new partner Second uni');
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
