/**
 * Every list the API returns, bounded by construction: the one table that the resolvers page by,
 * the loaders cap by, and the cost model counts by. A list field of objects missing here fails
 * the schema walk (test/unit/list-bounds.test.ts) and cannot be priced.
 */
import * as v from '../domain/validate';
import { NEXT_PARTNER_ROWS } from '../domain/brokering/board.service';
import { MAX_CHECKS_PER_STAKEHOLDER } from '../domain/safeguarding/safeguarding.service';
import { SAFEGUARDING_BOARD_ROWS } from '../domain/safeguarding/safeguarding-board';

/** How many items one list field may hold. */
export interface ListBound {
  /** Most items ever returned, whatever the arguments. */
  max: number;
  /** Items returned when `first` is omitted or null; only for fields that take `first`. */
  page?: number;
}

/** Largest page of a paged list. */
export const MAX_PAGE = 100;
/** Default page of a nested list (a hub's members, a stakeholder's partnerships…). */
export const NESTED_PAGE = 20;

const nested: ListBound = { max: MAX_PAGE, page: NESTED_PAGE };

/**
 * Bounds by `Type.field`. Unpaged lists are bounded by what their inputs allow (17 SDGs, at most
 * 50 expertise tags per stakeholder or challenge) or by a cap in their loader.
 */
export const LIST_BOUNDS = {
  'Hub.members': nested,
  'Hub.coordinators': { max: 20 },
  'Stakeholder.safeguardingChecks': { max: MAX_CHECKS_PER_STAKEHOLDER },
  'HubBoard.checksExpiring': { max: SAFEGUARDING_BOARD_ROWS },
  'HubBoard.uncheckedPartnerships': { max: SAFEGUARDING_BOARD_ROWS },
  'Stakeholder.hubs': nested,
  'Stakeholder.partnerships': nested,
  'Challenge.partnerships': nested,
  'Mission.challenges': nested,
  'Partnership.history': { max: 50 },
  'Stakeholder.sdgs': { max: 17 },
  'Challenge.sdgs': { max: 17 },
  'Mission.sdgs': { max: 17 },
  'Query.sdgs': { max: 17 },
  'Stakeholder.expertise': { max: 50 },
  'Challenge.expertiseNeeded': { max: 50 },
  'TeamSuggestion.members': { max: 20 },
  'TeamSuggestion.coveredExpertise': { max: 50 },
  'TeamSuggestion.missingExpertise': { max: 50 },
  'ImportReport.errors': { max: 1000 },
  // Half the errors' bound: a warning has two lists of its own (stored ids, earlier lines), and the
  // whole report of an import selecting every field stays within the cost limit.
  'ImportReport.warnings': { max: 500 },
  'Query.hubs': { max: 500, page: 100 },
  'Query.missions': { max: 500, page: 100 },
  'Query.regions': { max: 500 },
  'Query.apiKeys': { max: 1000 },
  'Query.expertise': { max: 500, page: 50 },
  'Query.matchesSince': { max: 1000, page: 100 },
  'Query.stakeholders': { max: MAX_PAGE, page: 20 },
  'Query.challenges': { max: MAX_PAGE, page: 20 },
  'Query.suggestPartners': { max: MAX_PAGE, page: 10 },
  'Query.suggestChallenges': { max: MAX_PAGE, page: 10 },
  'Challenge.shortlist': nested,
  'Challenge.dismissals': nested,
  'Query.activity': { max: MAX_PAGE, page: 20 },
  'HubBoard.openChallenges': { max: 50 },
  'HubBoard.waitingLongest': { max: 50 },
  'HubBoard.teamGaps': { max: 50 },
  'HubBoard.nearCapacity': { max: 50 },
  'HubBoard.quietChallenges': { max: 50 },
  // Each row ranks its challenge once more: ten at most.
  'HubBoard.needsNextPartner': { max: NEXT_PARTNER_ROWS },
  'NextPartnerNeeded.suggestions': { max: 3 },
  'Query.digestSubscriptions': { max: 100 },
  'BoardChallenge.invitations': { max: 6 },
  'TeamGap.missingExpertise': { max: 50 },
  'Labels.kinds': { max: 20 },
  'Labels.contexts': { max: 20 },
  'Query.webhookEndpoints': { max: MAX_PAGE, page: 20 },
  'WebhookEndpoint.deliveries': { max: MAX_PAGE, page: 20 },
} satisfies Record<string, ListBound>;

/** A field with a bound. */
export type BoundedList = keyof typeof LIST_BOUNDS;

/** The bound of `Type.field`, if it has one. */
export function listBound(type: string, field: string): ListBound | undefined {
  return (LIST_BOUNDS as Record<string, ListBound>)[`${type}.${field}`];
}

/**
 * The page size a `first` argument asks for: the field's default when omitted or null (so a
 * null never costs less than it returns), else checked against the field's maximum.
 */
export function pageSize(field: BoundedList, first: number | null | undefined, min = 0): number {
  const bound: ListBound = LIST_BOUNDS[field];
  if (first === undefined || first === null) return bound.page ?? bound.max;
  return v.intInRange('first', first, min, bound.max);
}

/** TSDoc-ready description of a paged field's `first` argument. */
export function firstDescription(field: BoundedList): string {
  const bound: ListBound = LIST_BOUNDS[field];
  return `How many to return, 0 to ${bound.max} (default ${bound.page ?? bound.max})`;
}

/** The first page of a list a loader returned (already capped at the field's maximum). */
export function firstOf<T>(field: BoundedList, first: number | null | undefined, items: readonly T[]): T[] {
  return items.slice(0, pageSize(field, first));
}
