import { print } from 'graphql';
import {
  CreateChallengeDocument,
  CreateStakeholderDocument,
  MatchFoundDocument,
  PartnerJoinedDocument,
} from '../generated/graphql';
import { createTestDatabase, TestDatabase } from './database';
import { north } from './network';
import { post, ServiceProcess, startService } from './service-process';
import { handshake, subscribe, wsClient } from './ws-client';

/**
 * Two service processes on one database: a client subscribed on the first receives the match
 * and the new partner caused by a mutation sent to the second. `env` picks the transport.
 */
export async function twoInstanceScenario(env: Record<string, string>, transport: 'postgres' | 'redis'): Promise<void> {
  let db: TestDatabase | undefined;
  const services: ServiceProcess[] = [];
  const client = { dispose: () => undefined as void | Promise<void> };
  try {
    db = await createTestDatabase();
    await db.dataSource.destroy();
    const [a, b] = await Promise.all([
      startService({ ...env, DATABASE_URL: db.url }),
      startService({ ...env, DATABASE_URL: db.url }),
    ]);
    services.push(a, b);
    for (const s of services) expect(s.logs.find((l) => l.msg === 'event bus ready')?.transport).toBe(transport);

    const school = await post(b.url, print(CreateStakeholderDocument), {
      input: { kind: 'SCHOOL', name: 'School', sdgs: [13, 6], expertise: [], location: north(0) },
    });
    const challenge = await post(b.url, print(CreateChallengeDocument), {
      input: {
        schoolId: school.data.createStakeholder.id,
        title: 'Floods',
        sdgs: [13, 6],
        expertiseNeeded: ['Hydrology'],
      },
    });
    const challengeId = challenge.data.createChallenge.id;

    const ws = wsClient(a.url);
    client.dispose = () => ws.dispose();
    const matches = subscribe(ws, MatchFoundDocument, { challengeId });
    const partners = subscribe(ws, PartnerJoinedDocument, { filter: { kinds: ['UNIVERSITY'] } });
    // Let both subscriptions reach instance A before the write goes to B.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const created = await post(b.url, print(CreateStakeholderDocument), {
      input: {
        kind: 'UNIVERSITY',
        name: 'Uni over there',
        sdgs: [13, 6],
        expertise: ['Hydrology'],
        location: north(5),
      },
    });
    const uniId = created.data.createStakeholder.id;
    const [match] = await matches.waitFor(1);
    expect(match.data!.matchFound.stakeholder.id).toBe(uniId);
    const [partner] = await partners.waitFor(1);
    expect(partner.data!.partnerJoined.id).toBe(uniId);
    matches.stop();
    partners.stop();
  } finally {
    await client.dispose();
    for (const s of services) expect(await s.stop()).toBe(0);
    await db?.drop();
  }
}

/**
 * A key revoked through instance A closes the WebSocket it holds open on instance B (close 4403),
 * the revocation travelling over the bus that `env` picks.
 */
export async function revocationScenario(env: Record<string, string>): Promise<void> {
  const db = await createTestDatabase();
  await db.dataSource.destroy();
  const [a, b] = await Promise.all([
    startService({ ...env, DATABASE_URL: db.url }),
    startService({ ...env, DATABASE_URL: db.url }),
  ]);
  try {
    for (const s of [a, b])
      expect(s.logs.find((l) => l.msg === 'event bus ready')?.transport).toBe(env.REDIS_URL ? 'redis' : 'postgres');
    const hub = (await post(a.url, 'mutation { createHub(input: { name: "Hub" }) { id } }')).data.createHub.id;
    const created = (
      await post(
        a.url,
        `mutation { createApiKey(input: { name: "Portal", role: PORTAL, hubIds: ["${hub}"] }) { secret apiKey { id } } }`,
      )
    ).data.createApiKey;
    const open = await handshake(b.url, { authorization: `Bearer ${created.secret}` });
    expect(open.acked).toBe(true);
    await post(a.url, `mutation { revokeApiKey(id: "${created.apiKey.id}") { id } }`);
    expect((await open.closed).code).toBe(4403);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await db.drop();
  }
}
