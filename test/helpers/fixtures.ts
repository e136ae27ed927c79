import type { CreateStakeholderInput } from '../generated/graphql';

/**
 * A valid stakeholder input; override what the test is about. It is created even when it looks
 * like one stored before (`allowDuplicate`): tests create it again and again.
 */
export function stakeholderInput(overrides: Partial<CreateStakeholderInput> = {}): CreateStakeholderInput {
  return {
    kind: 'UNIVERSITY',
    name: 'KU Leuven',
    sdgs: [13],
    expertise: ['Hydrology'],
    location: { latitude: 50.8798, longitude: 4.7005 },
    allowDuplicate: true,
    ...overrides,
  };
}
