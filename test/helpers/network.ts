import {
  CreateChallengeDocument,
  CreateChallengeInput,
  CreateStakeholderDocument,
  CreateStakeholderInput,
  StakeholderKind,
} from '../generated/graphql';
import { expectData, TestServer } from './server';

/** Leuven town hall: the centre of the matching scenarios. */
export const LEUVEN = { latitude: 50.8792, longitude: 4.7009 };

/** A point `km` kilometres due north of Leuven (1° of latitude ≈ 111.2 km). */
export function north(km: number) {
  return { latitude: LEUVEN.latitude + km / 111.195, longitude: LEUVEN.longitude };
}

/**
 * Creates stakeholders through the API and returns their ids by name. Scenarios place look-alikes
 * on purpose (a "School" at Leuven in every test), so they are created even when they look like
 * a stored one (`allowDuplicate`); test/integration/duplicate-entry.test.ts covers the refusal.
 */
export async function createStakeholders(
  t: TestServer,
  inputs: (Partial<CreateStakeholderInput> & { name: string; kind: StakeholderKind })[],
) {
  const ids: Record<string, string> = {};
  for (const input of inputs) {
    const created = expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          sdgs: [],
          expertise: [],
          location: LEUVEN,
          consentGiven: input.kind === 'FAMILY' || undefined,
          allowDuplicate: true,
          ...input,
        },
      }),
    ).createStakeholder;
    ids[input.name] = created.id;
  }
  return ids;
}

export async function createChallenge(t: TestServer, input: CreateChallengeInput) {
  return expectData(await t.admin(CreateChallengeDocument, { input })).createChallenge;
}
