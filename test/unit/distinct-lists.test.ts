/**
 * Every list an import row stores names each value once, in first-seen order, whatever the cell
 * repeats (a context named twice scored twice for inclusion; a kind wanted twice took two places
 * in a page's spread). The table must cover every list field of both row types: a new list field
 * without an entry fails here.
 */
import { StakeholderKind, UnderservedContext } from '../../src/domain/enums';
import { DomainError } from '../../src/domain/errors';
import { isRowError, Record, toChallengeRow, toStakeholderRow } from '../../src/domain/import/import-row';
import * as v from '../../src/domain/validate';

const stakeholder: Record = { externalId: 'p-1', kind: 'university', name: 'Lab' };
const challenge: Record = { externalId: 'c-1', schoolExternalId: 's-1', title: 'Water', sdgs: '6' };

/** Row field, its column, a cell that repeats values, and the list stored. */
const stakeholderLists: [string, string, string, unknown[]][] = [
  ['sdgIds', 'sdgs', '6;13;6;6', [6, 13]],
  ['expertise', 'expertise', 'water;soil;water', ['water', 'soil']],
  ['languages', 'languages', 'nl;EN;nl;en', ['nl', 'en']],
  ['educationLevels', 'educationLevels', '2;3;2', [2, 3]],
  [
    'underservedContexts',
    'underservedContexts',
    'socio-economic;ETHNIC_MINORITY;Socio Economic;socio_economic',
    [UnderservedContext.SOCIO_ECONOMIC, UnderservedContext.ETHNIC_MINORITY],
  ],
];
const challengeLists: [string, string, string, unknown[]][] = [
  ['sdgIds', 'sdgs', '13;6;13', [13, 6]],
  ['expertiseNeeded', 'expertiseNeeded', 'sensors;sensors;soil', ['sensors', 'soil']],
  [
    'wantedKinds',
    'wantedKinds',
    'industry;university;INDUSTRY;Industry',
    [StakeholderKind.INDUSTRY, StakeholderKind.UNIVERSITY],
  ],
];

const listFields = (row: object) =>
  Object.entries(row)
    .filter(([, value]) => Array.isArray(value))
    .map(([key]) => key)
    .sort();

describe('an import row stores each listed value once', () => {
  it.each([
    ['stakeholder', toStakeholderRow(1, stakeholder), stakeholderLists],
    ['challenge', toChallengeRow(1, challenge), challengeLists],
  ] as const)('the table covers every list field of a %s row', (_, row, table) => {
    expect(isRowError(row)).toBe(false);
    expect(listFields(row)).toEqual(table.map(([field]) => field).sort());
  });

  it.each(stakeholderLists)('stakeholder %s from column %s %j', (field, column, cell, stored) => {
    expect(toStakeholderRow(1, { ...stakeholder, [column]: cell })).toMatchObject({ [field]: stored });
  });

  it.each(challengeLists)('challenge %s from column %s %j', (field, column, cell, stored) => {
    expect(toChallengeRow(1, { ...challenge, [column]: cell })).toMatchObject({ [field]: stored });
  });
});

describe('enumList, the rule for a list of enum values (typed or imported)', () => {
  const contexts = Object.values(UnderservedContext);

  it('keeps each value once, in first-seen order', () => {
    expect(
      v.enumList('input.underservedContexts', ['ETHNIC_MINORITY', 'SOCIO_ECONOMIC', 'ETHNIC_MINORITY'], contexts),
    ).toEqual(['ETHNIC_MINORITY', 'SOCIO_ECONOMIC']);
  });

  it.each<[string, string[], string, string]>([
    [
      'a value not in the enum',
      ['SOCIO_ECONOMIC', 'RICH'],
      'input.underservedContexts[1]',
      'input.underservedContexts[1] must be one of GEOGRAPHIC_ISOLATION, SOCIO_ECONOMIC, ETHNIC_MINORITY, got "RICH"',
    ],
    [
      'too many items',
      Array.from({ length: 51 }, () => 'SOCIO_ECONOMIC'),
      'input.underservedContexts',
      'input.underservedContexts must have at most 50 items, got 51',
    ],
  ])('refuses %s, naming the field and the rule', (_, values, field, message) => {
    let error: unknown;
    try {
      v.enumList('input.underservedContexts', values, contexts);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ field, message });
  });
});
