/** Service areas through the API and the import: defaults by kind, overrides, and local government's border. */
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { CreateStakeholderDocument, StakeholderDocument, UpdateStakeholderDocument } from '../generated/graphql';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

const create = async (kind: string, serviceArea?: string) =>
  expectData(
    await t.admin(CreateStakeholderDocument, {
      input: {
        kind: kind as never,
        name: `${kind} ${serviceArea ?? 'default'}`,
        sdgs: [13],
        expertise: [],
        city: 'Leuven',
        countryCode: 'BE',
        serviceArea: serviceArea as never,
      },
    }),
  ).createStakeholder;

describe('service area', () => {
  it.each([
    ['MEDIA', undefined, 'REGIONAL'],
    ['UNIVERSITY', undefined, 'NATIONAL'],
    ['GOVERNMENT', undefined, 'LOCAL'],
    ['MEDIA', 'NATIONAL', 'NATIONAL'],
    ['GOVERNMENT', 'INTERNATIONAL', 'NATIONAL'],
  ])('a %s set to %s reaches %s', async (kind, chosen, effective) => {
    expect((await create(kind, chosen)).serviceArea).toBe(effective);
  });

  it('goes back to its kind’s default when set to null', async () => {
    const s = await create('CIVIL_SOCIETY', 'INTERNATIONAL');
    expect(s.serviceArea).toBe('INTERNATIONAL');
    const back = expectData(
      await t.admin(UpdateStakeholderDocument, { id: s.id, input: { serviceArea: null } }),
    ).updateStakeholder;
    expect(back.serviceArea).toBe('REGIONAL');
  });

  it('is an import column, checked', async () => {
    const csv =
      'record,externalId,kind,name,city,countryCode,sdgs,serviceArea\n' +
      'stakeholder,sa-1,UNIVERSITY,KU Leuven,Leuven,BE,4,INTERNATIONAL\n' +
      'stakeholder,sa-2,MEDIA,Het Nieuwsblad,Leuven,BE,4,\n' +
      'stakeholder,sa-3,MEDIA,Galactic News,Leuven,BE,4,GALACTIC\n';
    const report = await importRecords(t.db.dataSource, readRecords(csv, 'csv'));
    expect(report.errors).toEqual([expect.objectContaining({ line: 4, field: 'serviceArea' })]);
    const rows: unknown[] = await t.db.dataSource.query(
      `SELECT external_id, service_area FROM stakeholder WHERE external_id LIKE 'sa-%' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { external_id: 'sa-1', service_area: 'INTERNATIONAL' },
      { external_id: 'sa-2', service_area: null },
    ]);
    const [{ id }]: { id: string }[] = await t.db.dataSource.query(
      `SELECT id FROM stakeholder WHERE external_id = 'sa-2'`,
    );
    expect(expectData(await t.request(StakeholderDocument, { id })).stakeholder!.serviceArea).toBe('REGIONAL');
  });
});
