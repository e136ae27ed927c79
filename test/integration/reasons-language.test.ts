/**
 * Reasons through the API, in the reader's language: seeded tags by their Dutch and French labels
 * (a free tag keeps its text), languages by name; a partner that declined is not said to have
 * answered well; an invitation's draft lists only the reasons that argue for the partnership.
 */
import labels from '../../src/db/reference/expertise-labels.json';
import expertise from '../../src/db/reference/expertise.json';
import {
  InvitationDraftDocument,
  InvitePartnerDocument,
  RespondToInvitationDocument,
  SuggestReasonsDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let ids: Record<string, string>;
let challenge: string;
beforeAll(async () => {
  t = await startTestServer();
  ids = await createStakeholders(t, [
    { name: 'School', kind: 'SCHOOL', sdgs: [7], languages: ['nl'], location: north(0) },
    {
      name: 'Solar lab',
      kind: 'UNIVERSITY',
      sdgs: [7],
      expertise: ['Solar energy', 'Beekeeping', 'Data and technology'],
      languages: ['nl', 'en'],
      location: north(5),
    },
    { name: 'Far lab', kind: 'UNIVERSITY', sdgs: [7], expertise: ['Solar energy'], location: north(57) },
  ]);
  challenge = (
    await createChallenge(t, {
      schoolId: ids.School,
      title: 'Solar roof',
      sdgs: [7],
      expertiseNeeded: ['Solar energy', 'Beekeeping', 'Sensors'],
    })
  ).id;
}, 60_000);
afterAll(() => t?.stop());

const reasonsIn = async (lang: 'EN' | 'NL' | 'FR', who: string) =>
  expectData(await t.request(SuggestReasonsDocument, { challengeId: challenge, lang })).suggestPartners.edges.find(
    (e) => e.node.stakeholder.id === ids[who],
  )!.node.reasons;

/** Every seeded tag's English label, where its label in `lang` differs. */
const englishOnly = (lang: 'nl' | 'fr') =>
  expertise
    .flatMap((g) => [g, ...(g.children ?? [])])
    .filter((tag) => labels[tag.slug as keyof typeof labels][lang].toLowerCase() !== tag.label.toLowerCase())
    .map((tag) => tag.label.toLowerCase());

describe('reasons in the reader’s language', () => {
  it.each([
    ['EN', 'Knows solar energy and beekeeping', 'Related know-how: data and technology (for sensors)', 'Speaks Dutch'],
    [
      'NL',
      'Kent zonne-energie en beekeeping',
      'Verwante kennis: data en technologie (voor sensoren)',
      'Spreekt Nederlands',
    ],
    [
      'FR',
      'Connaît énergie solaire et beekeeping',
      'Savoir-faire voisin : données et technologie (pour capteurs)',
      'Parle néerlandais',
    ],
  ] as const)('%s: seeded tags by their label, a free tag as written, languages by name', async (lang, ...said) => {
    const reasons = await reasonsIn(lang, 'Solar lab');
    expect(reasons).toEqual(expect.arrayContaining([...said]));
    if (lang !== 'EN') {
      const text = reasons.join(' | ').toLowerCase();
      for (const english of englishOnly(lang === 'NL' ? 'nl' : 'fr'))
        expect([english, text.includes(english)]).toEqual([english, false]);
    }
  });

  it('labels every seeded tag in Dutch and French, and no free tag', async () => {
    const rows: { slug: string; nl: string | null; fr: string | null }[] = await t.db.dataSource.query(
      'SELECT slug, label_nl AS nl, label_fr AS fr FROM expertise',
    );
    const seeded = new Set(Object.keys(labels));
    for (const r of rows) {
      const labelled = r.nl !== null && r.fr !== null;
      expect([r.slug, labelled]).toEqual([r.slug, seeded.has(r.slug)]);
    }
    expect(rows.filter((r) => seeded.has(r.slug))).toHaveLength(seeded.size);
  });
});

describe('true reasons', () => {
  it('describes a declined invitation as declined, in each language', async () => {
    const other = await createChallenge(t, { schoolId: ids.School, title: 'Other', sdgs: [7], expertiseNeeded: [] });
    const p = expectData(await t.admin(InvitePartnerDocument, { challengeId: other.id, stakeholderId: ids['Far lab'] }))
      .invitePartner.id;
    expectData(await t.admin(RespondToInvitationDocument, { partnershipId: p, accept: false }));
    expect(await reasonsIn('EN', 'Far lab')).toContain('1 invitation so far: 1 declined');
    expect(await reasonsIn('NL', 'Far lab')).toContain('1 uitnodiging tot nu toe: 1 afgeslagen');
    expect(await reasonsIn('FR', 'Far lab')).toContain('1 invitation jusqu’ici : 1 déclinée');
    expect((await reasonsIn('EN', 'Far lab')).join(' ')).not.toMatch(/answered/i);
  });

  it('drafts an invitation with only the reasons that argue for it', async () => {
    expect(await reasonsIn('NL', 'Far lab')).toContain('57 km verderop, buiten de straal van 50 km');
    for (const [lang, beyond, declined] of [
      ['EN', 'beyond the', 'declined'],
      ['NL', 'buiten de straal', 'afgeslagen'],
      ['FR', 'au-delà du rayon', 'déclinée'],
    ] as const) {
      const draft = expectData(
        await t.admin(InvitationDraftDocument, { challengeId: challenge, stakeholderId: ids['Far lab'], lang }),
      ).invitationDraft;
      expect(draft).not.toContain(beyond);
      expect(draft).not.toContain(declined);
    }
    const nl = expectData(
      await t.admin(InvitationDraftDocument, { challengeId: challenge, stakeholderId: ids['Far lab'], lang: 'NL' }),
    ).invitationDraft;
    expect(nl).toContain('- Kent zonne-energie');
  });
});
