/**
 * A retry survives a crash: the service (a real child process, as `npm start` runs it) sends a
 * delivery that fails, records the next attempt in its queue, and dies by SIGKILL before that
 * attempt is due; the next start sends it, with the same webhook-id, and records it DELIVERED.
 */
import { Webhook } from 'standardwebhooks';
import { CreateStakeholderDocument, CreateWebhookEndpointDocument } from '../generated/graphql';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { expectData } from '../helpers/server';
import { post, ServiceProcess, startService } from '../helpers/service-process';
import { until } from '../helpers/until';
import { Receiver, startReceiver } from '../helpers/webhook-receiver';

let db: TestDatabase;
let receiver: Receiver;
const services: ServiceProcess[] = [];

const env = () => ({
  DATABASE_URL: db.url,
  SEED_DEMO: 'false',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  // Long enough for the kill to come first, short enough for the restart to meet it.
  WEBHOOK_RETRY_SCHEDULE: '3',
  WEBHOOK_POLL_SECONDS: '0.5',
});

async function start(): Promise<ServiceProcess> {
  const service = await startService(env());
  services.push(service);
  return service;
}

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = await startReceiver();
});
afterAll(async () => {
  for (const s of services) await s.stop('SIGKILL');
  await receiver?.close();
  await db?.drop();
});

type DeliveryRow = { status: string; attempts: number; message_id: string };
const deliveries = (): Promise<DeliveryRow[]> =>
  db.dataSource.query('SELECT status, attempts, message_id FROM webhook_delivery');

it('sends a pending retry after the process that scheduled it was killed', async () => {
  const first = await start();
  const { secret } = expectData(
    await post(first.url, CreateWebhookEndpointDocument, {
      input: { url: `${receiver.url}/portal`, events: ['PARTNER_JOINED'] },
    }),
  ).createWebhookEndpoint;
  receiver.answers = [500];
  expectData(
    await post(first.url, CreateStakeholderDocument, {
      input: { kind: 'UNIVERSITY', name: 'Lab', sdgs: [6], expertise: [], city: 'Leuven', countryCode: 'BE' },
    }),
  );
  await until(async () => (await deliveries())[0]?.attempts === 1, { timeoutMs: 10_000, what: 'one failed attempt' });
  expect(await deliveries()).toEqual([expect.objectContaining({ status: 'PENDING', attempts: 1 })]);
  await first.stop('SIGKILL');
  expect(receiver.received).toHaveLength(1);

  await start();
  await until(async () => (await deliveries())[0]?.status === 'DELIVERED', {
    timeoutMs: 30_000,
    what: 'the retry delivered by the restarted service',
  });
  const [row] = await deliveries();
  expect(row).toMatchObject({ status: 'DELIVERED', attempts: 2 });
  expect(receiver.received.map((r) => r.id)).toEqual([row.message_id, row.message_id]);
  const again = receiver.received[1];
  expect(new Webhook(secret).verify(again.body, again.headers as Record<string, string>)).toMatchObject({
    type: 'partner.joined',
    data: { name: 'Lab' },
  });
});
