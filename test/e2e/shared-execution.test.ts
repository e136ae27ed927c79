/**
 * One event, many subscribers: the selection runs once per view (operation, variables, role and
 * hubs, language), not once per subscriber — so a write's cost does not grow with the number of
 * subscriptions an attacker (or a popular challenge) holds. Views that differ never share.
 */
import WebSocket from 'ws';
import { Client, createClient } from 'graphql-ws';
import { MatchFoundDocument } from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { bearer, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';
import { subscribe, until } from '../helpers/ws-client';
import { sharedExecutions } from '../../src/subscriptions/shared-execution';

let t: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t?.stop();
});

function client(options: { key?: string; language?: string } = {}): Client {
  const headers = options.language ? { 'accept-language': options.language } : {};
  class WithHeaders extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const c = createClient({
    url: t.server.url.replace(/^http/, 'ws'),
    webSocketImpl: WithHeaders,
    connectionParams: options.key ? bearer(options.key) : undefined,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

describe('matchFound fan-out', () => {
  it('executes each event once per view, whatever the number of subscribers; each view its own answer', async () => {
    const { School } = await createStakeholders(t, [{ name: 'School', kind: 'SCHOOL', sdgs: [6], location: north(0) }]);
    const challenge = await createChallenge(t, { schoolId: School, title: 'Water', sdgs: [6], expertiseNeeded: [] });
    const challengeId = challenge.id;
    // 60 public subscribers in English over 3 sockets, 20 in Dutch, 20 as the administrator, and
    // 20 public ones asking with another minScore: four views.
    const english = Array.from({ length: 3 }, () => client());
    const dutch = client({ language: 'nl' });
    const groups = {
      english: Array.from({ length: 60 }, (_, i) => subscribe(english[i % 3], MatchFoundDocument, { challengeId })),
      dutch: Array.from({ length: 20 }, () => subscribe(dutch, MatchFoundDocument, { challengeId })),
      admin: Array.from({ length: 20 }, () =>
        subscribe(client({ key: TEST_ADMIN_KEY }), MatchFoundDocument, { challengeId }),
      ),
      other: Array.from({ length: 20 }, () =>
        subscribe(english[0], MatchFoundDocument, { challengeId, minScore: 0.31 }),
      ),
    };
    await until(() => t.live.size >= 120, 20_000);
    const before = sharedExecutions();
    await createStakeholders(t, [{ name: 'Waterlab', kind: 'UNIVERSITY', sdgs: [6], location: north(1) }]);
    for (const subs of Object.values(groups)) for (const s of subs) await s.waitFor(1, 15_000);
    expect(sharedExecutions() - before).toBe(4);

    // Everyone in a view got the same answer.
    for (const subs of Object.values(groups))
      expect(new Set(subs.map((s) => JSON.stringify(s.results[0].data))).size).toBe(1);
    const reasonOf = (subs: typeof groups.english) => subs[0].results[0].data!.matchFound.reasons[0];
    expect(reasonOf(groups.english)).toMatch(/^Shares SDG 6/);
    expect(reasonOf(groups.dutch)).toMatch(/^Deelt SDG 6/);
    for (const subs of Object.values(groups)) for (const s of subs) s.stop();
  }, 60_000);
});
