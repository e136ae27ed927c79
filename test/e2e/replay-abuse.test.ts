/**
 * Many resumed subscriptions from one anonymous client, over real WebSockets, that read a little
 * and then go away: the server reads history only as fast as they take it, stops when they leave,
 * and logs nothing (a client leaving is not an incident).
 */
import WebSocket from 'ws';
import { print } from 'graphql';
import { MessageType, parseMessage } from 'graphql-ws';
import { MatchFoundDocument } from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { parseRecord } from '../helpers/json';
import { startTestServer, TestServer } from '../helpers/server';
import { countReplayPageReads } from '../helpers/replay-reads';
import { quiet, until } from '../helpers/until';
import { createLogger } from '../../src/log/logger';
import { encodeEventCursor } from '../../src/graphql/resolvers/live.resolver';
import { REPLAY_PAGE } from '../../src/subscriptions/replay';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';

const SOCKETS = 3;
const SUBSCRIPTIONS = 20;
const COPIES = 20 * REPLAY_PAGE;
const logged: Record<string, unknown>[] = [];
let t: TestServer;
let challengeId: string;
let pages = { reads: 0 };

beforeAll(async () => {
  t = await startTestServer({ log: createLogger('debug', {}, (line) => logged.push(parseRecord(line))) });
  const { School } = await createStakeholders(t, [{ name: 'School', kind: 'SCHOOL', sdgs: [13] }]);
  challengeId = (
    await createChallenge(t, {
      schoolId: School,
      title: 'Floods',
      sdgs: [13],
      expertiseNeeded: ['Hydrology'],
      wantedKinds: ['UNIVERSITY'],
    })
  ).id;
  await createStakeholders(t, [
    { name: 'Uni', kind: 'UNIVERSITY', sdgs: [13], expertise: ['Hydrology'], location: north(3) },
  ]);
  // The write is answered before its relay stores its events.
  await t.live.relayedOwn();
  await t.db.dataSource.query(
    `INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, previous_score, data)
     SELECT e.challenge_id, e.stakeholder_id, e.origin, e.score, NULL, e.data
     FROM match_event e CROSS JOIN generate_series(1, $2)
     WHERE e.seq = (SELECT min(seq) FROM match_event WHERE challenge_id = $1)`,
    [challengeId, COPIES],
  );
  pages = countReplayPageReads(t.db.dataSource);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await t?.stop();
});

/** Opens a socket, resumes `SUBSCRIPTIONS` subscriptions from the first event; counts what arrives. */
function attacker(received: { count: number }, variant: number) {
  const ws = new WebSocket(t.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
  ws.on('message', (data) => {
    const m = parseMessage(String(data));
    if (m.type === MessageType.ConnectionAck)
      for (let i = 0; i < SUBSCRIPTIONS; i++)
        ws.send(
          JSON.stringify({
            id: String(i),
            type: 'subscribe',
            // Distinct minimum scores: no two subscriptions share a page or an execution.
            payload: {
              query: print(MatchFoundDocument),
              variables: {
                challengeId,
                after: encodeEventCursor(0),
                minScore: EVENT_FLOOR + (variant * SUBSCRIPTIONS + i) / 1e4,
              },
            },
          }),
        );
    if (m.type === MessageType.Next) received.count++;
  });
  return ws;
}

it('reads history as fast as subscribers take it, stops when they leave, and logs nothing', async () => {
  const received = { count: 0 };
  const sockets = Array.from({ length: SOCKETS }, (_, i) => attacker(received, i));
  await until(() => received.count >= 500, { timeoutMs: 10_000, what: '500 replayed events received' });
  for (const ws of sockets) ws.terminate();
  // Once the server has unregistered them, none of their replays starts another read.
  await until(() => t.live.size === 0, { what: 'the server has ended every subscription of the closed sockets' });
  const readWhileConnected = pages.reads;
  // What was sent was read, plus at most a page in hand per subscription: nothing ahead of them.
  const subscriptions = SOCKETS * SUBSCRIPTIONS;
  expect(readWhileConnected).toBeLessThanOrEqual(Math.ceil(received.count / REPLAY_PAGE) + 2 * subscriptions);
  // Reading everything they resumed from would be 20 pages each.
  expect(readWhileConnected).toBeLessThan(subscriptions * (COPIES / REPLAY_PAGE));
  // Nothing is read after they left (an absence: nothing to await).
  await quiet(700);
  expect(pages.reads).toBe(readWhileConnected);
  expect(logged.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
}, 60_000);
