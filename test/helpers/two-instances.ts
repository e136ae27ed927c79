import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  InvitePartnerDocument,
  MatchFoundDocument,
  PartnerJoinedDocument,
  PartnershipChangedDocument,
  RespondToInvitationDocument,
  Role,
  StakeholderKind,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { createTestDatabase, TestDatabase } from './database';
import { north } from './network';
import { expectData } from './server';
import { post, ServiceProcess, startService } from './service-process';
import { handshake, subscribe, until, untilListening, wsClient } from './ws-client';

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

    const school = await post(b.url, CreateStakeholderDocument, {
      input: { kind: 'SCHOOL', name: 'School', sdgs: [13, 6], expertise: [], location: north(0) },
    });
    const challenge = await post(b.url, CreateChallengeDocument, {
      input: {
        schoolId: expectData(school).createStakeholder.id,
        title: 'Floods',
        sdgs: [13, 6],
        expertiseNeeded: ['Hydrology'],
      },
    });
    const challengeId = expectData(challenge).createChallenge.id;

    const ws = wsClient(a.url);
    client.dispose = () => ws.dispose();
    const matches = subscribe(ws, MatchFoundDocument, { challengeId });
    const partners = subscribe(ws, PartnerJoinedDocument, { filter: { kinds: ['UNIVERSITY'] } });
    const university = async (name: string): Promise<string> => {
      const created = await post(b.url, CreateStakeholderDocument, {
        input: { kind: 'UNIVERSITY', name, sdgs: [13, 6], expertise: ['Hydrology'], location: north(5) },
      });
      if (!created.data) throw new Error(JSON.stringify(created));
      return created.data.createStakeholder.id;
    };
    // Both subscriptions hold on instance A once they hear of a warm-up university written on B.
    await untilListening([matches, partners], (round) => university(`Warm-up uni ${round}`));

    const uniId = await university('Uni over there');
    await matches.find((r) => r.data?.matchFound.stakeholder.id === uniId);
    await partners.find((r) => r.data?.partnerJoined.id === uniId);
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
    const hub = expectData(
      await post<{ createHub: { id: string } }>(a.url, 'mutation { createHub(input: { name: "Hub" }) { id } }'),
    ).createHub.id;
    const created = expectData(
      await post<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        a.url,
        `mutation { createApiKey(input: { name: "Portal", role: PORTAL, hubIds: ["${hub}"] }) ` +
          '{ secret apiKey { id } } }',
      ),
    ).createApiKey;
    const open = await handshake(b.url, { authorization: `Bearer ${created.secret}` });
    expect(open.acked).toBe(true);
    await post(a.url, `mutation { revokeApiKey(id: "${created.apiKey.id}") { id } }`);
    expect((await open.closed).code).toBe(4403);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await db.drop();
  }
}

/**
 * `partnershipChanged` across instances: a coordinator subscribed on instance B hears every
 * status change of its hub's partnerships written through instance A; a portal of another hub
 * hears nothing, and a public connection is refused.
 */
export async function partnershipScenario(env: Record<string, string>): Promise<void> {
  const db = await createTestDatabase();
  await db.dataSource.destroy();
  const [a, b] = await Promise.all([
    startService({ ...env, DATABASE_URL: db.url }),
    startService({ ...env, DATABASE_URL: db.url }),
  ]);
  const clients: { dispose(): void | Promise<void> }[] = [];
  const data = async <T, V>(doc: TypedDocumentNode<T, V>, variables: V): Promise<T> =>
    expectData(await post(a.url, doc, variables));
  try {
    const hub = (await data(CreateHubDocument, { input: { name: 'Twente' } })).createHub.id;
    const otherHub = (await data(CreateHubDocument, { input: { name: 'Elsewhere' } })).createHub.id;
    const key = async (role: Role, hubId: string) =>
      (await data(CreateApiKeyDocument, { input: { name: role, role, hubIds: [hubId] } })).createApiKey.secret;
    const [coordinator, strangerPortal] = [await key('COORDINATOR', hub), await key('PORTAL', otherHub)];
    const stakeholder = async (input: { kind: StakeholderKind; name: string; sdgs: number[]; hubIds: string[] }) =>
      (await data(CreateStakeholderDocument, { input: { expertise: [], location: north(0), ...input } }))
        .createStakeholder.id;
    const school = await stakeholder({ kind: 'SCHOOL', name: 'School', sdgs: [6], hubIds: [hub] });
    const uni = await stakeholder({ kind: 'UNIVERSITY', name: 'Uni', sdgs: [6], hubIds: [hub] });
    const challengeId = (
      await data(CreateChallengeDocument, {
        input: { schoolId: school, hubId: hub, title: 'Water', sdgs: [6], expertiseNeeded: [] },
      })
    ).createChallenge.id;

    const connect = (secret?: string) => {
      const c = wsClient(b.url, { connectionParams: secret ? { authorization: `Bearer ${secret}` } : undefined });
      clients.push(c);
      return c;
    };
    const own = subscribe(connect(coordinator), PartnershipChangedDocument, {});
    const narrowed = subscribe(connect(coordinator), PartnershipChangedDocument, { challengeId });
    const stranger = subscribe(connect(strangerPortal), PartnershipChangedDocument, {});
    const anonymous = subscribe(connect(), PartnershipChangedDocument, {});
    const foreignHub = subscribe(connect(strangerPortal), PartnershipChangedDocument, { hubId: hub });
    // Until both subscriptions hold on instance B, a warm-up invitation comes and goes: a busy
    // machine may take a while to register them, and nothing is replayed for this topic.
    const warmUp = await stakeholder({ kind: 'UNIVERSITY', name: 'Warm-up lab', sdgs: [6], hubIds: [hub] });
    await untilListening([own, narrowed], async () => {
      const p = (await data(InvitePartnerDocument, { challengeId, stakeholderId: warmUp })).invitePartner;
      await data(WithdrawInvitationDocument, { partnershipId: p.id });
    });

    const invited = (await data(InvitePartnerDocument, { challengeId, stakeholderId: uni })).invitePartner;
    await data(RespondToInvitationDocument, { partnershipId: invited.id, accept: true });

    for (const heard of [own, narrowed]) {
      const ofInvited = () => heard.results.map((r) => r.data!.partnershipChanged).filter((e) => e.id === invited.id);
      await until(() => ofInvited().length >= 2, {
        timeoutMs: 15_000,
        what: () => `both moves of the invitation heard (got ${JSON.stringify(heard.results)})`,
      });
      expect(ofInvited().map((e) => [e.id, e.status, e.stakeholder.name])).toEqual([
        [invited.id, 'INVITED', 'Uni'],
        [invited.id, 'ACCEPTED', 'Uni'],
      ]);
    }
    for (const refused of [anonymous, foreignHub]) {
      const [answer] = await refused.waitFor(1, 15_000);
      expect(answer.errors?.[0].extensions?.code).toMatch(/^(FORBIDDEN|UNAUTHENTICATED)$/);
    }
    expect(stranger.results).toEqual([]);
  } finally {
    for (const c of clients) await c.dispose();
    await Promise.all([a.stop(), b.stop()]);
    await db.drop();
  }
}

/**
 * Two service processes with a budget of 6 requests a minute per address: 3 requests to each
 * are answered, and the 7th — wherever it goes — is refused when the budget is shared (Redis),
 * answered when each instance counts alone. Returns the 7th and 8th answers' status codes.
 */
export async function sharedBudgetScenario(env: Record<string, string>): Promise<[number, number]> {
  const db = await createTestDatabase();
  await db.dataSource.destroy();
  const budget = { PUBLIC_RATE_LIMIT_PER_MINUTE: '6', TRUST_PROXY: 'true', DATABASE_URL: db.url };
  const [a, b] = await Promise.all([startService({ ...env, ...budget }), startService({ ...env, ...budget })]);
  try {
    // A fresh address per run: a budget left in a shared Redis by an earlier run is not this one's.
    const address = `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join('.')}`;
    const ask = async (url: string) =>
      (
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
          body: '{"query":"{ sdgs { id } }"}',
        })
      ).status;
    const first = [];
    for (const url of [a.url, b.url, a.url, b.url, a.url, b.url]) first.push(await ask(url));
    expect(first).toEqual([200, 200, 200, 200, 200, 200]);
    return [await ask(a.url), await ask(b.url)];
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await db.drop();
  }
}
