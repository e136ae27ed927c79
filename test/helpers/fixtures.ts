import type { CreateStakeholderInput } from '../generated/graphql';

/** A valid stakeholder input; override what the test is about. */
export function stakeholderInput(overrides: Partial<CreateStakeholderInput> = {}): CreateStakeholderInput {
  return {
    kind: 'UNIVERSITY',
    name: 'KU Leuven',
    sdgs: [13],
    expertise: ['Hydrology'],
    location: { latitude: 50.8798, longitude: 4.7005 },
    ...overrides,
  };
}
