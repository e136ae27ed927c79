import WebSocket from 'ws';
import { createTestDatabase } from '../helpers/database';
import { post, startService } from '../helpers/service-process';
import { twoInstanceScenario } from '../helpers/two-instances';

describe('two server instances on one database', () => {
  it('deliver events across instances through PostgreSQL LISTEN/NOTIFY', async () => {
    await twoInstanceScenario({ REDIS_URL: '' }, 'postgres');
  }, 60000);

  it('close a revoked key’s sockets on every instance, not only the one that revoked it', async () => {
    const db = await createTestDatabase();
    await db.dataSource.destroy();
    const [a, b] = await Promise.all([startService({ DATABASE_URL: db.url, REDIS_URL: '' }), startService({ DATABASE_URL: db.url, REDIS_URL: '' })]);
    try {
      const hub = (await post(a.url, 'mutation { createHub(input: { name: "Hub" }) { id } }')).data.createHub.id;
      const created = (await post(a.url, `mutation { createApiKey(input: { name: "Portal", role: PORTAL, hubIds: ["${hub}"] }) { secret apiKey { id } } }`)).data.createApiKey;
      const socket = new WebSocket(b.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve) => {
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${created.secret}` } })));
        socket.on('message', (m) => JSON.parse(m.toString()).type === 'connection_ack' && resolve());
      });
      await post(a.url, `mutation { revokeApiKey(id: "${created.apiKey.id}") { id } }`);
      expect(await closed).toBe(4403);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await db.drop();
    }
  }, 60000);
});
