/**
 * An invitation's first draft: in the asked language, naming the challenge, the school and the
 * match's own reasons; usable as invitePartner's message as it is; only for the challenge's hub.
 */
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  InvitationDraftDocument,
  InvitePartnerDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { bearer, expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

describe('invitationDraft', () => {
  it('drafts in English, Dutch and French from the match, for the hub only, ready to send', async () => {
    const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Twente Science Hub' } })).createHub.id;
    const other = expectData(await t.admin(CreateHubDocument, { input: { name: 'Elsewhere' } })).createHub.id;
    const ids = await createStakeholders(t, [
      { name: 'Het Zweringcollege', kind: 'SCHOOL', sdgs: [6, 13], location: north(0), hubIds: [hub] },
      { name: 'Waterlab', kind: 'UNIVERSITY', sdgs: [6], expertise: ['Hydrology'], location: north(3) },
    ]);
    const challenge = await createChallenge(t, {
      schoolId: ids['Het Zweringcollege'],
      hubId: hub,
      title: 'Floods every winter',
      sdgs: [6, 13],
      expertiseNeeded: ['Hydrology'],
    });
    const draft = async (lang: 'EN' | 'NL' | 'FR', headers: Record<string, string> = bearer(coordinator)) =>
      t.request(InvitationDraftDocument, { challengeId: challenge.id, stakeholderId: ids.Waterlab, lang }, headers);
    const key = async (hubId: string) =>
      expectData(
        await t.admin(CreateApiKeyDocument, { input: { name: 'Coordinator', role: 'COORDINATOR', hubIds: [hubId] } }),
      ).createApiKey.secret;
    const coordinator = await key(hub);

    const english = expectData(await draft('EN')).invitationDraft;
    expect(english).toMatch(/^Dear Waterlab,/);
    expect(english).toContain('Het Zweringcollege');
    expect(english).toContain('"Floods every winter"');
    expect(english).toContain('- Shares SDG 6 Clean water and sanitation');
    expect(english).toContain('- Knows hydrology');
    expect(english).toMatch(/Twente Science Hub$/);
    const dutch = expectData(await draft('NL')).invitationDraft;
    expect(dutch).toMatch(/^Beste Waterlab,/);
    expect(dutch).toContain('- Deelt SDG 6');
    expect(dutch).toContain('- Kent hydrologie');
    const french = expectData(await draft('FR')).invitationDraft;
    expect(french).toMatch(/^Bonjour Waterlab,/);
    expect(french).toContain('- Partage ODD 6');

    const stranger = await draft('EN', bearer(await key(other)));
    expect(stranger.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await draft('EN', {});
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    // Sent as it is.
    const sent = await t.request(
      InvitePartnerDocument,
      { challengeId: challenge.id, stakeholderId: ids.Waterlab, message: dutch },
      bearer(coordinator),
    );
    expect(expectData(sent).invitePartner.status).toBe('INVITED');
  });
});
