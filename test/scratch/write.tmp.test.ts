import { startTestServer, TestServer, TEST_ADMIN_KEY } from '../helpers/server';
import { createStakeholders, north } from '../helpers/network';
let t: TestServer;
beforeAll(async () => { t = await startTestServer({ pollMs: 0 }); });
afterAll(async () => { await t?.stop(); });
const q = 'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }';
it('logs', async () => {
  await createStakeholders(t, [{ name: 'Warm', kind: 'UNIVERSITY', sdgs: [6], location: north(1) }]);
  await t.live.settle();
  t.db.resetQueries();
  const r = await fetch(t.server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` }, body: JSON.stringify({ query: q, variables: { i: { kind: 'UNIVERSITY', name: 'Bench partner 1', sdgs: [6], expertise: [], capacity: 3, location: { latitude: 50.9, longitude: 4.7 } } } }) });
  console.log(await r.text());
  const during = [...t.db.queries];
  await t.live.settle();
  console.log('DURING\n' + during.map((q) => q.replace(/\s+/g, ' ').slice(0, 250)).join('\n'));
});
