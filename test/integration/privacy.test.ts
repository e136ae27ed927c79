import {
  CreateStakeholderDocument,
  StakeholderDocument,
  StakeholdersDocument,
  SuggestPartnersDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

describe('privacy by default (no API key: a public reader)', () => {
  it('never shows a family by name, nor at its address, nor its contact details', async () => {
    const family = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'FAMILY',
          consentGiven: true,
          name: 'Familie Jansen',
          description: 'Two kids at the Zweringcollege',
          city: 'Oldenzaal',
          countryCode: 'NL',
          location: { latitude: 52.313361, longitude: 6.929171 },
          sdgs: [13],
          expertise: ['Civil engineering'],
          contactEmail: 'jansen@example.org',
        },
      }),
    ).createStakeholder;
    expect(family.name).toBe('Familie Jansen'); // the administrator who registered them sees their name
    const seen = expectData(await t.request(StakeholderDocument, { id: family.id })).stakeholder!;
    expect(seen.name).toBe('Family in Oldenzaal');
    expect(seen.description).toBeNull();
    expect(seen.contactEmail).toBeNull();
    expect(seen.location).toEqual({ latitude: 52.31, longitude: 6.93 });
    // The exact point was never stored.
    const [row]: unknown[] = await t.db.dataSource.query('SELECT latitude, longitude FROM stakeholder WHERE id = $1', [
      family.id,
    ]);
    expect(row).toEqual({ latitude: 52.31, longitude: 6.93 });

    const read = expectData(await t.request(StakeholderDocument, { id: family.id })).stakeholder!;
    expect(read.name).toBe('Family in Oldenzaal');
    const byName = expectData(await t.request(StakeholdersDocument, { filter: { search: 'Jansen' } })).stakeholders;
    expect(byName.totalCount).toBe(0);
  });

  it('hides every stakeholder’s contact details from public readers', async () => {
    const uni = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind: 'UNIVERSITY',
          name: 'Uni',
          sdgs: [13],
          expertise: [],
          location: north(1),
          contactEmail: 'office@uni.example',
        },
      }),
    ).createStakeholder;
    const seen = expectData(await t.request(StakeholderDocument, { id: uni.id })).stakeholder!;
    expect(seen.contactEmail).toBeNull();
    expect(seen.name).toBe('Uni');
    const [row]: { contact_email: string | null }[] = await t.db.dataSource.query(
      'SELECT contact_email FROM stakeholder WHERE id = $1',
      [uni.id],
    );
    expect(row.contact_email).toBe('office@uni.example');
  });

  it('rounds a family’s distance in matches and reasons', async () => {
    const { School: school } = await createStakeholders(t, [
      { name: 'School', kind: 'SCHOOL', sdgs: [13], location: north(0) },
    ]);
    const c = await createChallenge(t, {
      schoolId: school,
      title: 'Floods',
      sdgs: [13],
      expertiseNeeded: ['Civil engineering'],
    });
    await createStakeholders(t, [
      { name: 'Familie Peeters', kind: 'FAMILY', sdgs: [13], expertise: ['Civil engineering'], location: north(7.4) },
    ]);
    const edges = expectData(await t.request(SuggestPartnersDocument, { challengeId: c.id, first: 20 })).suggestPartners
      .edges;
    const fam = edges.find((e) => e.node.stakeholder.kind === 'FAMILY' && e.node.breakdown.distanceKm! < 20)!.node;
    expect(fam.stakeholder.name).toBe('A family');
    expect(Number.isInteger(fam.breakdown.distanceKm)).toBe(true);
    expect(fam.reasons.some((r) => /^about \d+ km away/.test(r))).toBe(true);
    expect(JSON.stringify(fam)).not.toContain('Peeters');
  });

  it('keeps a family’s underserved contexts out of its record, score, order and reasons', async () => {
    const { 'School B': school } = await createStakeholders(t, [
      { name: 'School B', kind: 'SCHOOL', sdgs: [6], location: north(0) },
    ]);
    const c = await createChallenge(t, { schoolId: school, title: 'Water', sdgs: [6], expertiseNeeded: ['Hydrology'] });
    const twin = { kind: 'FAMILY' as const, sdgs: [6], expertise: ['Hydrology'], location: north(3) };
    const made = await createStakeholders(t, [
      { ...twin, name: 'Familie Minderheid', underservedContexts: ['ETHNIC_MINORITY', 'SOCIO_ECONOMIC'] },
      { ...twin, name: 'Familie Zonder' },
    ]);
    const seen = expectData(await t.request(StakeholderDocument, { id: made['Familie Minderheid'] })).stakeholder!;
    expect(seen.underservedContexts).toEqual([]);
    const admin = expectData(await t.admin(StakeholderDocument, { id: made['Familie Minderheid'] })).stakeholder!;
    expect(admin.underservedContexts).toEqual(['ETHNIC_MINORITY', 'SOCIO_ECONOMIC']);
    for (const ask of [t.request.bind(t), t.admin.bind(t)] as const) {
      const edges = expectData(await ask(SuggestPartnersDocument, { challengeId: c.id, first: 20 })).suggestPartners
        .edges;
      const node = (id: string) => edges.find((e) => e.node.stakeholder.id === id)!.node;
      const [withContexts, without] = [node(made['Familie Minderheid']), node(made['Familie Zonder'])];
      expect(withContexts.score).toBe(without.score);
      expect(withContexts.breakdown).toEqual(without.breakdown);
      expect(withContexts.reasons).toEqual(without.reasons);
      expect(JSON.stringify(withContexts.reasons)).not.toMatch(/minorit|socio/i);
    }
  });
});
