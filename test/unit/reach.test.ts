import { ServiceArea, StakeholderKind } from '../../src/domain/enums';
import { countryOf, DEFAULT_SERVICE_AREA, reaches, serviceAreaOf } from '../../src/matching/reach';

const leuven = { countryCode: 'BE', regionCode: 'BE-VBR' };
const brussels = { countryCode: 'BE', regionCode: 'BE-BRU' };
const oldenzaal = { countryCode: 'NL', regionCode: 'NL-OV' };
const enschede = { countryCode: 'NL', regionCode: 'NL-OV' };

describe('reach', () => {
  it('has a default for every kind', () => {
    for (const kind of Object.values(StakeholderKind))
      expect(Object.values(ServiceArea)).toContain(DEFAULT_SERVICE_AREA[kind]);
    expect(DEFAULT_SERVICE_AREA).toMatchObject({
      FAMILY: 'LOCAL',
      SCHOOL: 'LOCAL',
      GOVERNMENT: 'LOCAL',
      MEDIA: 'REGIONAL',
      CIVIL_SOCIETY: 'REGIONAL',
      UNIVERSITY: 'NATIONAL',
      RESEARCH_INSTITUTE: 'NATIONAL',
      INDUSTRY: 'NATIONAL',
    });
  });

  it.each<[StakeholderKind, ServiceArea | null, ServiceArea]>([
    [StakeholderKind.MEDIA, null, ServiceArea.REGIONAL],
    [StakeholderKind.MEDIA, ServiceArea.NATIONAL, ServiceArea.NATIONAL],
    [StakeholderKind.UNIVERSITY, ServiceArea.INTERNATIONAL, ServiceArea.INTERNATIONAL],
    // Local government never reaches across a border, whatever it is set to.
    [StakeholderKind.GOVERNMENT, ServiceArea.INTERNATIONAL, ServiceArea.NATIONAL],
    [StakeholderKind.GOVERNMENT, null, ServiceArea.LOCAL],
  ])('%s set to %s reaches %s', (kind, chosen, effective) => {
    expect(serviceAreaOf(kind, chosen)).toBe(effective);
  });

  it.each<[string, ServiceArea, typeof leuven, typeof leuven, number | null, boolean]>([
    ['the city of Leuven to Oldenzaal (222 km, another country)', ServiceArea.LOCAL, leuven, oldenzaal, 222, false],
    ['a local body 12 km away', ServiceArea.LOCAL, enschede, oldenzaal, 12, true],
    ['a local body just past its surroundings', ServiceArea.LOCAL, enschede, oldenzaal, 25.5, false],
    ['a regional paper 213 km away in another country', ServiceArea.REGIONAL, oldenzaal, leuven, 213, false],
    ['a regional NGO in the next region, 30 km away', ServiceArea.REGIONAL, brussels, leuven, 30, true],
    ['a regional NGO 115 km away', ServiceArea.REGIONAL, brussels, leuven, 115, false],
    ['a regional body anywhere in its own region', ServiceArea.REGIONAL, enschede, oldenzaal, 120, true],
    ['a national institute 45 km away', ServiceArea.NATIONAL, leuven, brussels, 45, true],
    ['a national body across the border', ServiceArea.NATIONAL, oldenzaal, leuven, 213, false],
    ['an international body anywhere', ServiceArea.INTERNATIONAL, oldenzaal, leuven, 213, true],
    ['a local body with no known distance', ServiceArea.LOCAL, leuven, leuven, null, false],
    ['a national body with no known distance', ServiceArea.NATIONAL, leuven, leuven, null, true],
  ])('%s', (_what, area, partner, place, km, expected) => {
    expect(reaches(area, partner, place, km)).toBe(expected);
  });

  it('reads a country from a region code when the place has no country of its own', () => {
    expect(countryOf({ countryCode: null, regionCode: 'NL-OV' })).toBe('NL');
    expect(countryOf({ countryCode: null, regionCode: null })).toBeNull();
  });
});
