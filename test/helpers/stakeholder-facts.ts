import type { StakeholderFacts } from '../../src/matching/index/index-facts';

/** A stakeholder's facts as the index takes them: a university in Belgium with room, and what a test varies. */
export const stakeholderFacts = (id: string, more: Partial<StakeholderFacts> = {}): StakeholderFacts => ({
  id,
  kind: 'UNIVERSITY',
  latitude: 50,
  longitude: 4,
  sdgMask: 1 << 4,
  expertiseIds: [],
  languages: [],
  levelMask: 0,
  capacity: 1,
  contexts: 0,
  accepted: 0,
  regionCode: null,
  countryCode: 'BE',
  erased: false,
  serviceArea: null,
  ...more,
});
