/**
 * The README's verification snippets run as written: the Node one as a real receiver of real
 * deliveries, the Python one (standard library only) on a delivery a receiver recorded.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateWebhookEndpointDocument } from '../generated/graphql';
import { createStakeholders } from '../helpers/network';
import { expectData, startTestServer, TEST_ADMIN_KEY, TestServer, bearer } from '../helpers/server';
import { until } from '../helpers/until';
import { Receiver, startReceiver } from '../helpers/webhook-receiver';
import { freePort } from '../../src/db/embedded-postgres';

const root = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

function snippet(name: string, language: string): string {
  const block = new RegExp(
    `<!-- ${name}:start -->\\n\`\`\`${language}\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`,
  ).exec(readme);
  if (!block) throw new Error(`README has no ${name} block`);
  return block[1];
}

let t: TestServer;
let receiver: Receiver;
// Inside the repository, so that `import 'standardwebhooks'` resolves from its node_modules.
const dir = mkdtempSync(path.join(root, 'test', '.readme-'));
let child: ChildProcess | undefined;

beforeAll(async () => {
  t = await startTestServer();
  receiver = await startReceiver();
});
afterAll(async () => {
  child?.kill();
  await receiver?.close();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function register(url: string) {
  const created = await t.request(
    CreateWebhookEndpointDocument,
    { input: { url, events: ['PARTNER_JOINED'] } },
    bearer(TEST_ADMIN_KEY),
  );
  return expectData(created).createWebhookEndpoint.secret;
}

it('the Node snippet receives and verifies real deliveries, and refuses a forged one', async () => {
  const file = path.join(dir, 'receiver.mjs');
  writeFileSync(file, snippet('webhook-node', 'js'));
  // A port the system says is free (the receiver's port + 1 may be another test's by now).
  const port = await freePort();
  const lines: string[] = [];
  const secretHolder = { secret: '' };
  secretHolder.secret = await register(`http://127.0.0.1:${port}/`);
  child = spawn(process.execPath, [file], {
    env: { ...process.env, PORT: String(port), WEBHOOK_SECRET: secretHolder.secret },
  });
  child.stdout!.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
  await until(
    async () =>
      (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' }).then(
        (r) => r.status,
        () => 0,
      )) === 400,
    10_000,
  );
  await createStakeholders(t, [{ name: 'Lab', kind: 'UNIVERSITY' }]);
  await until(() => lines.some((l) => l.startsWith('partner.joined msg_')), {
    timeoutMs: 10_000,
    what: 'the snippet printed the event',
  });
  const forged = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: {
      'webhook-id': 'msg_x',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': 'v1,AAAA',
    },
    body: '{"type":"partner.joined"}',
  });
  expect(forged.status).toBe(400);
});

it('the Python snippet verifies a real delivery and refuses it changed', async () => {
  const secret = await register(`${receiver.url}/py`);
  await createStakeholders(t, [{ name: 'Python lab', kind: 'UNIVERSITY' }]);
  await until(() => receiver.at('/py').some((r) => r.body.includes('Python lab')), 10_000);
  const got = receiver.at('/py').find((r) => r.body.includes('Python lab'))!;
  const driver = `${snippet('webhook-python', 'python')}
import json, sys
case = json.load(sys.stdin)
print(verify(case["secret"], case["headers"], case["body"].encode())["type"])
`;
  const run = (body: string) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const p = execFile('python3', ['-c', driver], (error, stdout) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout.trim() }),
      );
      p.stdin!.end(JSON.stringify({ secret, headers: got.headers, body }));
    });
  expect(await run(got.body)).toEqual({ code: 0, out: 'partner.joined' });
  expect((await run(got.body.replace('Python lab', 'Python lap'))).code).not.toBe(0);
});
