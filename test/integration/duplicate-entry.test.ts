/**
 * Forgiving entry through the API: likely duplicates refused by createStakeholder with the stored
 * ids (and created when the caller says so), never naming a family to whom may not see it; an
 * unknown place suggests close names and the coordinates to give; an inline import names what it
 * found in the file and holds likely duplicates back.
 */
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  CreateStakeholderInput,
  ImportStakeholdersDocument,
} from '../generated/graphql';
import { bearer, expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const ids = {} as Record<'deltares' | 'family' | 'hubA' | 'hubB', string>;
const keys = {} as Record<'coordA' | 'coordB', Record<string, string>>;

const DELFT = { latitude: 51.9857, longitude: 4.3838 };
const LEUVEN = { latitude: 50.8792, longitude: 4.7009 };

const create = (input: Partial<CreateStakeholderInput>, headers?: Record<string, string>) => {
  const full = { kind: 'RESEARCH_INSTITUTE' as const, name: 'x', sdgs: [6], expertise: [], ...input };
  return headers
    ? t.request(CreateStakeholderDocument, { input: full }, headers)
    : t.admin(CreateStakeholderDocument, { input: full });
};
const count = async () =>
  (await t.db.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM stakeholder'))[0].n;

beforeAll(async () => {
  t = await startTestServer();
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  ids.hubA = await hub('Leuven makers');
  ids.hubB = await hub('Leuven science hub');
  const key = async (name: string, hubId: string) =>
    bearer(
      expectData(await t.admin(CreateApiKeyDocument, { input: { name, role: 'COORDINATOR', hubIds: [hubId] } }))
        .createApiKey.secret,
    );
  keys.coordA = await key('Coordinator A', ids.hubA);
  keys.coordB = await key('Coordinator B', ids.hubB);
  ids.deltares = expectData(
    await create({ name: 'Deltares', location: DELFT, website: 'https://www.deltares.nl/en/' }),
  ).createStakeholder.id;
  ids.family = expectData(
    await create({ kind: 'FAMILY', name: 'Familie Peeters', location: LEUVEN, consentGiven: true, hubIds: [ids.hubA] }),
  ).createStakeholder.id;
});
afterAll(() => t?.stop());

describe('createStakeholder and likely duplicates', () => {
  it.each([
    [
      'the same name, another spelling, 2 km away',
      { name: 'DELTARES B.V.', location: { latitude: 52, longitude: 4.4 } },
      'input.name',
      'the same name within 5 km',
    ],
    [
      'the same name in lower case, by city',
      { name: 'deltares', city: 'Delft', countryCode: 'NL' },
      'input.name',
      'the same name within 5 km',
    ],
    [
      'another name, the same website host',
      { name: 'Deltares Software', location: { latitude: 51, longitude: 5 }, website: 'http://deltares.nl/software' },
      'input.website',
      'the same website host',
    ],
  ])('refuses %s with CONFLICT, naming the stored one', async (_, input, field, rule) => {
    const before = await count();
    const [error] = expectErrors(await create(input));
    expect(error.extensions).toEqual({ code: 'CONFLICT', field, existingIds: [ids.deltares] });
    expect(error.message).toBe(
      `${field} looks like a stored stakeholder: "Deltares" (id ${ids.deltares}), ${rule}; ` +
        'to create it anyway, send input.allowDuplicate: true',
    );
    expect(await count()).toBe(before);
  });

  it.each([
    ['the same name 100 km away', { name: 'Deltares', location: { latitude: 51.05, longitude: 3.72 } }],
    ['the same name without a location or website', { name: 'Deltares' }],
    ['a shared website host', { name: 'Waterclub', location: DELFT, website: 'https://facebook.com/deltares' }],
    ['a name that only contains it', { name: 'Deltares Academy', location: DELFT }],
  ])('creates %s', async (_, input) => {
    expect(expectData(await create(input)).createStakeholder.id).toEqual(expect.any(String));
  });

  it('creates a likely duplicate when asked to, explicitly', async () => {
    const input = { name: 'Deltares', location: DELFT };
    expect(expectErrors(await create({ ...input, allowDuplicate: false }))[0].extensions?.code).toBe('CONFLICT');
    const created = expectData(await create({ ...input, allowDuplicate: true })).createStakeholder;
    expect(created).toMatchObject({ name: 'Deltares' });
    expect(created.id).not.toBe(ids.deltares);
  });

  it('never names a family to a coordinator who may not see it, nor refuses on its account', async () => {
    const family = (hubId: string) => ({
      kind: 'FAMILY' as const,
      name: 'familie PEETERS',
      location: { latitude: 50.88, longitude: 4.7 },
      consentGiven: true,
      hubIds: [hubId],
    });
    // The family's own hub's coordinator and the administrator see it: they are told.
    for (const headers of [keys.coordA, undefined]) {
      const [error] = expectErrors(await create(family(ids.hubA), headers));
      expect(error.extensions).toEqual({ code: 'CONFLICT', field: 'input.name', existingIds: [ids.family] });
      expect(error.message).toContain('"Familie Peeters"');
    }
    // Another hub's coordinator may not see it: nothing is said, and the family it registers goes in.
    const other = await create(family(ids.hubB), keys.coordB);
    expect(JSON.stringify(other)).not.toContain(ids.family);
    expect(JSON.stringify(other)).not.toContain('Familie Peeters');
    expect(expectData(other).createStakeholder.id).toEqual(expect.any(String));
  });
});

describe('createStakeholder and an unknown place', () => {
  it('suggests close names in the country and says coordinates can be given instead', async () => {
    const [error] = expectErrors(await create({ name: 'Sint-Jozefscollege', city: 'Heverlee', countryCode: 'BE' }));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.city' });
    expect(error.message).toBe(
      'input.city "Heverlee" is not a known city in BE; did you mean "Oud-Heverlee"? ' +
        'Or give input.location { latitude, longitude } instead of the city',
    );
    const given = await create({ name: 'Sint-Jozefscollege', city: 'Heverlee', countryCode: 'BE', location: LEUVEN });
    expect(expectData(given).createStakeholder).toMatchObject({ city: 'Heverlee', region: { code: 'BE-VBR' } });
  });
});

describe('importStakeholders', () => {
  const file = (...rows: string[]) =>
    '\ufeffrecord;externalId;kind;name;latitude;longitude;sdgs;website;allowDuplicate\r\n' + rows.join('\r\n');

  it('names the delimiter and byte-order mark it found, and holds likely duplicates back', async () => {
    const content = file(
      'stakeholder;imp-1;RESEARCH_INSTITUTE;Deltares BV;52.0;4.38;"6;14";;',
      'stakeholder;imp-2;UNIVERSITY;TU Delft;52.0;4.37;"4;9";https://www.tudelft.nl;',
      'stakeholder;imp-3;RESEARCH_INSTITUTE;Deltares;52.0;4.39;6;;yes',
    );
    const dry = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content, dryRun: true } }),
    ).importStakeholders;
    expect(dry).toMatchObject({
      delimiter: 'SEMICOLON',
      byteOrderMark: true,
      failed: 0,
      heldBack: 1,
      stakeholders: { inserted: 2, updated: 0 },
      warnings: [{ line: 2, field: 'name', existingIds: expect.arrayContaining([ids.deltares]) }],
    });
    expect(dry.warnings[0].message).toMatch(/held back: to import it anyway, set its allowDuplicate column to true/);
    const all = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content, allowDuplicates: true } }),
    ).importStakeholders;
    expect(all).toMatchObject({ heldBack: 0, warnings: [], stakeholders: { inserted: 3 } });
  });

  it.each([
    [
      'a comma',
      'COMMA',
      'record,externalId,kind,name,latitude,longitude,sdgs\nstakeholder,c-1,MEDIA,Radio 2,50.9,4.7,16\n',
    ],
    [
      'a tab',
      'TAB',
      'record\texternalId\tkind\tname\tlatitude\tlongitude\tsdgs\nstakeholder\tt-1\tMEDIA\tKanaal Z\t50.9\t4.7\t16\n',
    ],
  ])('names %s as %s', async (_, delimiter, content) => {
    const report = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content } }),
    ).importStakeholders;
    expect(report).toMatchObject({ delimiter, byteOrderMark: false, failed: 0, stakeholders: { inserted: 1 } });
  });

  it('names no delimiter for JSON', async () => {
    const content = JSON.stringify([
      { externalId: 'j-1', kind: 'MEDIA', name: 'VRT', latitude: 50.85, longitude: 4.4 },
    ]);
    const report = expectData(
      await t.admin(ImportStakeholdersDocument, { input: { format: 'JSON', content } }),
    ).importStakeholders;
    expect(report).toMatchObject({ delimiter: null, byteOrderMark: false, failed: 0 });
  });
});
