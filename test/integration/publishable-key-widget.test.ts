/**
 * A publishable key (`pk_…`) reads what the widget shows, over HTTP and WebSocket from its own
 * origin, and nothing a caller without any key cannot: the same answers, refused from anywhere
 * else. The example page carries such a key, and only such a key, for its own origin.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { seedDemo } from '../../src/db/seed-demo';
import {
  ChallengeCorrespondenceDocument,
  CreateStakeholderDocument,
  HubWithCoordinatorsDocument,
  InviteOnceDocument,
  MatchFoundDocument,
  RevokeApiKeyDocument,
  StakeholderDocument,
  StakeholdersDocument,
  SuggestPartnersDocument,
  SuggestTeamDocument,
  ViewerDocument,
} from '../generated/graphql';
import { Call, call, PORTAL, publishableKeyWorld, REFUSED } from '../helpers/publishable-key-world';
import { bearer, expectData, expectErrors } from '../helpers/server';
import { subscribe, until } from '../helpers/ws-client';

const world = publishableKeyWorld();
const { ids, pk, overHttp, overWs } = world;

describe('a publishable key reads what the widget shows, and nothing a keyless caller cannot', () => {
  const reads: [string, () => Call][] = [
    ['a family', () => call(StakeholderDocument, { id: ids.family })],
    ['a school', () => call(StakeholderDocument, { id: ids.school })],
    ['a hub’s coordinators', () => call(HubWithCoordinatorsDocument, { id: ids.hub })],
    ['a search for a family’s name', () => call(StakeholdersDocument, { filter: { search: 'Geheim' } })],
    ['an invitation’s words', () => call(ChallengeCorrespondenceDocument, { id: ids.challenge })],
    ['suggestions', () => call(SuggestPartnersDocument, { challengeId: ids.challenge, first: 10 })],
    ['a team', () => call(SuggestTeamDocument, { challengeId: ids.challenge, size: 3 })],
  ];

  it.each(reads)('%s: the same answer as without a key, over both transports', async (_, c) => {
    const keyless = await overHttp(c(), 'no Origin', '');
    expect(keyless.code).toBe('OK');
    expect(await overHttp(c(), 'its origin')).toEqual(keyless);
    expect(await overWs(c(), 'its origin')).toEqual(keyless);
  });

  it.each(reads)('%s: refused from anywhere but its origins', async (_, c) => {
    for (const from of ['no Origin', 'another site', 'this service'] as const) {
      expect((await overHttp(c(), from)).code).toBe(REFUSED[from]);
      expect((await overWs(c(), from)).code).toBe(REFUSED[from]);
    }
  });

  it('says who it is, and follows a challenge live over WebSocket from its origin', async () => {
    expect((await overHttp(call(ViewerDocument, {}), 'its origin')).data).toEqual({
      viewer: { role: 'PUBLISHABLE', hubIds: [], apiKeyId: pk.id },
    });
    const client = createClient({
      url: world.t.server.url.replace(/^http/, 'ws'),
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string | string[]) {
          super(url, protocols, { headers: { origin: PORTAL } });
        }
      },
      connectionParams: { authorization: `Bearer ${pk.secret}` },
      retryAttempts: 0,
      lazy: true,
    });
    const live = subscribe(client, MatchFoundDocument, { challengeId: ids.challenge });
    await until(() => world.t.live.size === 1);
    expectData(
      await world.t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'RESEARCH_INSTITUTE',
          name: 'Hydrolab',
          sdgs: [13],
          expertise: ['Hydrology'],
          city: 'Leuven',
          countryCode: 'BE',
        },
      }),
    );
    const [first] = await live.waitFor(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.matchFound.stakeholder.name).toBe('Hydrolab');
    live.stop();
    await client.dispose();
  });
});

describe('the example page and the demo', () => {
  it('carries the publishable key for its own origin, and only a publishable one', async () => {
    const page = async () => (await fetch(`${world.own}/embed/example.html?challenge-id=${ids.challenge}`)).text();
    const keyOf = (html: string) => /api-key="([^"]*)"/.exec(html)?.[1];
    // The seeded demo is made for the origins of `npm start`; here, for this server's.
    const seeded = await seedDemo(world.t.db.dataSource, { widgetOrigins: [world.own] });
    const key = keyOf(await page());
    expect(key).toBe(seeded.publishableKey);
    expect(key).toMatch(/^pk_/);
    const widget = await world.t.raw<{ viewer: { role: string; apiKeyId: string } }>(
      { query: '{ viewer { role apiKeyId } }' },
      { ...bearer(key!), origin: world.own },
    );
    const viewer = expectData(widget.json).viewer;
    expect(viewer.role).toBe('PUBLISHABLE');
    const invite = await world.t.raw(call(InviteOnceDocument, { challengeId: ids.challenge, stakeholderId: ids.uni }), {
      ...bearer(key!),
      origin: world.own,
    });
    expect(expectErrors(invite.json)[0].extensions?.code).toBe('FORBIDDEN');
    // Revoked, it leaves the page; the widget there reads keyless from its own service.
    expectData(await world.t.admin(RevokeApiKeyDocument, { id: viewer.apiKeyId }));
    expect(keyOf(await page())).toBeUndefined();
  });
});
