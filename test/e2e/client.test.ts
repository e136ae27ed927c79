import WebSocket from 'ws';
import { createMatchmakerClient, MatchmakerError } from '../../src/client/client';
import {
  PortalMatchFoundDocument,
  PortalSuggestPartnersDocument,
  PortalSuggestTeamDocument,
  type PortalMatchFoundSubscription,
} from '../../src/client/generated';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/ws-client';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
// Each test starts with no subscription on the server: `until(() => t.live.size >= 1)` then means
// that the test's own subscription holds, not one that an earlier test stopped a moment ago.
afterEach(() => until(() => t.live.size === 0, { what: 'the server has ended every subscription of the test' }));
afterAll(() => t?.stop());

describe('the typed portal client', () => {
  it('queries, subscribes and reports errors with their code', async () => {
    const client = createMatchmakerClient({ url: t.server.url, webSocketImpl: WebSocket });
    try {
      const { School: school } = await createStakeholders(t, [
        { name: 'School', kind: 'SCHOOL', sdgs: [13], location: north(0) },
      ]);
      const challenge = await createChallenge(t, {
        schoolId: school,
        title: 'Floods',
        sdgs: [13],
        expertiseNeeded: ['Hydrology'],
      });
      await createStakeholders(t, [
        { name: 'Uni', kind: 'UNIVERSITY', sdgs: [13], expertise: ['Hydrology'], location: north(3) },
      ]);

      const { suggestPartners } = await client.request(PortalSuggestPartnersDocument, {
        challengeId: challenge.id,
        first: 5,
      });
      expect(suggestPartners.edges[0].node.stakeholder.name).toBe('Uni');
      const { suggestTeam } = await client.request(PortalSuggestTeamDocument, { challengeId: challenge.id, size: 2 });
      expect(suggestTeam.coveredExpertise.map((e) => e.label)).toEqual(['Hydrology']);

      const received: PortalMatchFoundSubscription[] = [];
      const stop = client.subscribe(PortalMatchFoundDocument, { challengeId: challenge.id }, (d) => received.push(d));
      await until(() => t.live.size >= 1);
      await createStakeholders(t, [
        { name: 'Second uni', kind: 'UNIVERSITY', sdgs: [13], expertise: ['Hydrology'], location: north(2) },
      ]);
      await until(() => received.length === 1);
      expect(received[0].matchFound.stakeholder.name).toBe('Second uni');
      stop();

      const error = await client
        .request(PortalSuggestPartnersDocument, { challengeId: '00000000-0000-4000-8000-000000000000' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MatchmakerError);
      expect((error as MatchmakerError).code).toBe('NOT_FOUND');
    } finally {
      await client.dispose();
    }
  });

  it('gives reasons in the language it was created with, over HTTP and WebSocket', async () => {
    const { Schule: school } = await createStakeholders(t, [
      { name: 'Schule', kind: 'SCHOOL', sdgs: [6], location: north(40) },
    ]);
    const challenge = await createChallenge(t, { schoolId: school, title: 'Water', sdgs: [6], expertiseNeeded: [] });
    await createStakeholders(t, [{ name: 'Waterlab', kind: 'UNIVERSITY', sdgs: [6], location: north(41) }]);
    const reasonsIn = async (lang?: 'EN' | 'NL' | 'FR') => {
      const client = createMatchmakerClient({ url: t.server.url, webSocketImpl: WebSocket, lang });
      const { suggestPartners } = await client.request(PortalSuggestPartnersDocument, {
        challengeId: challenge.id,
        first: 1,
      });
      return suggestPartners.edges[0].node.reasons[0];
    };
    expect(await reasonsIn()).toMatch(/^Shares SDG 6/);
    expect(await reasonsIn('NL')).toMatch(/^Deelt SDG 6/);
    expect(await reasonsIn('FR')).toMatch(/^Partage ODD 6/);
    // An explicit variable wins over the client's language.
    const dutch = createMatchmakerClient({ url: t.server.url, webSocketImpl: WebSocket, lang: 'NL' });
    try {
      const english = await dutch.request(PortalSuggestPartnersDocument, {
        challengeId: challenge.id,
        first: 1,
        lang: 'EN',
      });
      expect(english.suggestPartners.edges[0].node.reasons[0]).toMatch(/^Shares/);
      const received: PortalMatchFoundSubscription[] = [];
      const stop = dutch.subscribe(PortalMatchFoundDocument, { challengeId: challenge.id }, (d) => received.push(d));
      await until(() => t.live.size >= 1);
      await createStakeholders(t, [{ name: 'Tweede lab', kind: 'UNIVERSITY', sdgs: [6], location: north(40.5) }]);
      await until(() => received.length === 1);
      expect(received[0].matchFound.reasons[0]).toMatch(/^Deelt SDG 6/);
      stop();
    } finally {
      await dutch.dispose();
    }
  });
});
