/**
 * A crash after commit loses nothing: a writer (a real child process) commits a new partner and
 * dies by SIGKILL before anything is relayed or published. A running instance relays the change
 * from the outbox at its next poll (subscribers hear of it live), and an instance that was down
 * relays it when it starts (a resuming subscriber gets the match, suggestions include it).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { MatchFoundDocument, PartnerJoinedDocument } from '../generated/graphql';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { expectData } from '../helpers/server';
import { post, ServiceProcess, startService } from '../helpers/service-process';
import { subscribe, untilListening, wsClient } from '../helpers/ws-client';

let db: TestDatabase;
let service: ServiceProcess | undefined;
let challengeId: string;

/** A university that fits the challenge. */
const lab = (name: string) => ({
  kind: 'UNIVERSITY',
  name,
  city: 'Enschede',
  countryCode: 'NL',
  location: { latitude: 52.24, longitude: 6.85 },
  sdgs: [6, 13],
  expertise: ['Hydrology'],
});
const create = 'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }';

/** Runs the writer; resolves with the new stakeholder's id once the writer is dead by SIGKILL. */
function commitThenDie(name: string): Promise<string> {
  const command = lab(name);
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(__dirname, '..', 'helpers', 'commit-then-die.cjs'), JSON.stringify(command)],
      { env: { ...process.env, DATABASE_URL: db.url } },
      (error, stdout) => {
        if (child.signalCode !== 'SIGKILL') return reject(error ?? new Error('the writer was meant to die'));
        resolve(stdout.trim());
      },
    );
  });
}

/** The `n` of a `SELECT count(*) AS n` (PostgreSQL's bigint, which arrives as a string). */
const count = async (sql: string, params: unknown[] = []) =>
  Number((await db.dataSource.query<{ n: string }[]>(sql, params))[0].n);
const pendingInOutbox = () => count('SELECT count(*) AS n FROM outbox WHERE relayed_seq IS NULL');

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startService({ DATABASE_URL: db.url });
  const school = await post<{ createStakeholder: { id: string } }>(
    service.url,
    'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }',
    {
      i: { kind: 'SCHOOL', name: 'School', city: 'Enschede', countryCode: 'NL', sdgs: [6, 13], expertise: [] },
    },
  );
  if (!school.data) throw new Error(JSON.stringify(school));
  const challenge = await post<{ createChallenge: { id: string } }>(
    service.url,
    'mutation($i: CreateChallengeInput!) { createChallenge(input: $i) { id } }',
    {
      i: { schoolId: school.data.createStakeholder.id, title: 'Floods', sdgs: [6, 13], expertiseNeeded: ['Hydrology'] },
    },
  );
  if (!challenge.data) throw new Error(JSON.stringify([school, challenge]));
  challengeId = challenge.data.createChallenge.id;
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe('a writer killed between its commit and publication', () => {
  it('is relayed by a running instance at its next poll: subscribers hear of the partner and the match', async () => {
    const client = wsClient(service!.url);
    try {
      const joined = subscribe(client, PartnerJoinedDocument, {});
      const matched = subscribe(client, MatchFoundDocument, { challengeId, minScore: 0.3 });
      // Both subscriptions are open once they hear of a warm-up lab written through the service.
      await untilListening([joined, matched], async (round) => {
        const written = await post(service!.url, create, { i: lab(`Warm-up lab ${round}`) });
        if (!written.data) throw new Error(JSON.stringify(written));
      });
      const id = await commitThenDie('Lab of a dead writer');
      const partner = await joined.find((r) => r.data?.partnerJoined.id === id, 15_000);
      expect(partner.data!.partnerJoined).toMatchObject({ id, name: 'Lab of a dead writer' });
      const match = await matched.find((r) => r.data?.matchFound.stakeholder.id === id, 15_000);
      expect(match.data!.matchFound.stakeholder.name).toBe('Lab of a dead writer');
      expect(await pendingInOutbox()).toBe(0);
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('is relayed when an instance starts, if none was running: resuming subscribers get the match', async () => {
    const stored = await post<{ matchesSince: { eventCursor: string }[] }>(
      service!.url,
      'query($c: ID!) { matchesSince(challengeId: $c, since: "2000-01-01T00:00:00Z", minScore: 0.3) { eventCursor } }',
      { c: challengeId },
    );
    const cursors: string[] = expectData(stored).matchesSince.map((m) => m.eventCursor);
    expect(cursors.length).toBeGreaterThan(0);
    expect(await service!.stop('SIGTERM')).toBe(0);
    service = undefined;

    const id = await commitThenDie('Lab written while every server was down');
    expect(await pendingInOutbox()).toBe(1);
    expect(await count('SELECT count(*) AS n FROM match_event WHERE stakeholder_id = $1', [id])).toBe(0);

    service = await startService({ DATABASE_URL: db.url });
    expect(await pendingInOutbox()).toBe(0);
    const client = wsClient(service.url);
    try {
      const resumed = subscribe(client, MatchFoundDocument, {
        challengeId,
        minScore: 0.3,
        after: cursors[cursors.length - 1],
      });
      const [match] = await resumed.waitFor(1, 15_000);
      expect(match.data!.matchFound.stakeholder).toMatchObject({ id, name: 'Lab written while every server was down' });
    } finally {
      await client.dispose();
    }
    const suggested = await post<{ suggestPartners: { edges: { node: { stakeholder: { id: string } } }[] } }>(
      service.url,
      'query($c: ID!) { suggestPartners(challengeId: $c, first: 20) { edges { node { stakeholder { id } } } } }',
      { c: challengeId },
    );
    expect(expectData(suggested).suggestPartners.edges.map((e) => e.node.stakeholder.id)).toContain(id);
  }, 120_000);
});
