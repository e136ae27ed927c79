/** Reasons and labels in English, Dutch and French; the default follows Accept-Language. */
import { LabelsDocument, SdgTitlesDocument, SuggestReasonsDocument } from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const ids = { challenge: '', uni: '' };
beforeAll(async () => {
  t = await startTestServer();
  const made = await createStakeholders(t, [
    {
      name: 'Basisschool De Esch',
      kind: 'SCHOOL',
      sdgs: [13],
      location: north(0),
      underservedContexts: ['GEOGRAPHIC_ISOLATION'],
    },
    { name: 'Universiteit Twente', kind: 'UNIVERSITY', sdgs: [13], expertise: ['Hydrology'], location: north(8) },
  ]);
  ids.uni = made['Universiteit Twente'];
  ids.challenge = (
    await createChallenge(t, {
      schoolId: made['Basisschool De Esch'],
      title: 'Overstromingen',
      sdgs: [13],
      expertiseNeeded: ['Hydrology'],
    })
  ).id;
});
afterAll(() => t?.stop());

describe('languages', () => {
  it('titles SDGs in the language asked, or the request’s Accept-Language', async () => {
    const title = async (lang?: 'EN' | 'NL' | 'FR', header?: string) =>
      expectData(await t.request(SdgTitlesDocument, { lang }, header ? { 'accept-language': header } : {})).sdgs[12]
        .title;
    expect(await title('EN')).toBe('Climate action');
    expect(await title('NL')).toBe('Klimaatactie');
    expect(await title('FR')).toBe('Mesures relatives à la lutte contre les changements climatiques');
    expect(await title(undefined, 'nl-BE,nl;q=0.9')).toBe('Klimaatactie');
    expect(await title(undefined, 'de-DE')).toBe('Climate action');
  });

  it('labels every kind and context in each language', async () => {
    for (const lang of ['EN', 'NL', 'FR'] as const) {
      const labels = expectData(await t.request(LabelsDocument, { lang })).labels;
      expect(labels.kinds).toHaveLength(10);
      expect(labels.contexts).toHaveLength(3);
      expect([...labels.kinds, ...labels.contexts].every((l) => l.label.length > 0)).toBe(true);
    }
    const nl = expectData(await t.request(LabelsDocument, { lang: 'NL' })).labels;
    expect(nl.kinds.find((k) => k.value === 'GOVERNMENT')!.label).toBe('Lokale overheid');
  });

  it('explains a match in Dutch, with the school’s facts once on the list rather than on each partner', async () => {
    const page = expectData(
      await t.request(SuggestReasonsDocument, { challengeId: ids.challenge }, { 'accept-language': 'nl' }),
    ).suggestPartners;
    expect(page.context).toEqual(['De school bedient een gemeenschap met geografisch isolement']);
    const uni = page.edges.find((e) => e.node.stakeholder.id === ids.uni)!.node;
    expect(uni.reasons.slice(0, 3)).toEqual(['Deelt SDG 13 Klimaatactie', 'Kent hydrologie', '8 km verderop']);
    expect(uni.reasons[3]).toMatch(/^Heeft ruimte voor nog \d+ project/);
    const fr = expectData(
      await t.request(SuggestReasonsDocument, { challengeId: ids.challenge, lang: 'FR' }),
    ).suggestPartners;
    expect(fr.edges.find((e) => e.node.stakeholder.id === ids.uni)!.node.reasons[2]).toBe('à 8 km');
    for (const e of page.edges) expect(e.node.reasons.join(' ')).not.toMatch(/school/i);
  });
});
