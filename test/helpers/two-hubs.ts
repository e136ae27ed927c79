/**
 * The network the access tables call into (access.test.ts, access-keys-consent.test.ts): two
 * hubs, a coordinator key for each and a portal key for the first; a school and a family in the
 * first hub, made by its coordinator; a university in no hub; a challenge of the school.
 */
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
} from '../generated/graphql';
import { bearer, expectData, GraphQLResult, startTestServer, TestServer } from './server';

/** The keys the tables call with. */
export type HubKeys = Record<'coordA' | 'coordB' | 'portalA', { id: string; headers: Record<string, string> }>;
/** Who calls: nobody, the administrator, or one of the {@link HubKeys}. */
export type Who = 'public' | 'admin' | keyof HubKeys;

/** The server and what it holds, filled by the `beforeAll` that {@link twoHubs} registers. */
export interface TwoHubs {
  t: TestServer;
  ids: Record<'hubA' | 'hubB' | 'school' | 'family' | 'uni' | 'challenge', string>;
  keys: HubKeys;
  /** Sends a typed document as `who`. */
  as<T, V>(who: Who, doc: TypedDocumentNode<T, V>, variables: V): Promise<GraphQLResult<T>>;
  /** A digest of everything a write could touch: a refused call must leave it unchanged. */
  digest(): Promise<string>;
}

/** Registers the hooks that start the server and make the network (and stop it); call at a file's top. */
export function twoHubs(): TwoHubs {
  const world = {
    ids: {} as TwoHubs['ids'],
    keys: {} as HubKeys,
    async as(who, doc, variables) {
      if (who === 'admin') return world.t.admin(doc, variables);
      return world.t.request(doc, variables, who === 'public' ? {} : world.keys[who].headers);
    },
    async digest() {
      const [row]: unknown[] = await world.t.db.dataSource.query(`SELECT
        (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM stakeholder) AS s,
        (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM challenge) AS c,
        (SELECT count(*) FROM hub) AS h, (SELECT count(*) FROM hub_member) AS m, (SELECT count(*) FROM mission) AS mi,
        (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM partnership) AS p,
        (SELECT count(*) || '/' || count(revoked_at) FROM api_key) AS k`);
      return JSON.stringify(row);
    },
  } as TwoHubs;
  const { ids, keys } = world;

  async function key(name: string, role: 'COORDINATOR' | 'PORTAL', hubIds: string[]) {
    const created = expectData(
      await world.t.admin(CreateApiKeyDocument, { input: { name, role, hubIds } }),
    ).createApiKey;
    return { id: created.apiKey.id, headers: bearer(created.secret) };
  }

  beforeAll(async () => {
    const t = (world.t = await startTestServer());
    const hub = async (name: string, coordinator: string) =>
      expectData(
        await t.admin(CreateHubDocument, {
          input: { name, coordinators: [{ name: coordinator, email: `${coordinator}@hub.example` }] },
        }),
      ).createHub.id;
    ids.hubA = await hub('Leuven makers', 'an');
    ids.hubB = await hub('Twente science hub', 'bert');
    keys.coordA = await key('Coordinator Leuven', 'COORDINATOR', [ids.hubA]);
    keys.coordB = await key('Coordinator Twente', 'COORDINATOR', [ids.hubB]);
    keys.portalA = await key('Leuven portal', 'PORTAL', [ids.hubA]);
    const create = async (input: Record<string, unknown>) =>
      expectData(
        await t.request(
          CreateStakeholderDocument,
          { input: { sdgs: [13], expertise: ['Hydrology'], city: 'Leuven', countryCode: 'BE', ...input } as never },
          keys.coordA.headers,
        ),
      ).createStakeholder.id;
    ids.school = await create({
      kind: 'SCHOOL',
      name: 'Sint-Pieterscollege',
      contactEmail: 'info@spc.example',
      hubIds: [ids.hubA],
    });
    ids.family = await create({
      kind: 'FAMILY',
      name: 'Familie Geheim',
      contactEmail: 'geheim@family.example',
      consentGiven: true,
      hubIds: [ids.hubA],
    });
    ids.uni = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'UNIVERSITY',
          name: 'KU Leuven',
          sdgs: [13],
          expertise: ['Hydrology'],
          city: 'Leuven',
          countryCode: 'BE',
        },
      }),
    ).createStakeholder.id;
    ids.challenge = expectData(
      await t.request(
        CreateChallengeDocument,
        { input: { schoolId: ids.school, title: 'Floods', sdgs: [13], expertiseNeeded: ['Hydrology'] } },
        keys.coordA.headers,
      ),
    ).createChallenge.id;
  });
  afterAll(() => world.t?.stop());
  return world;
}
