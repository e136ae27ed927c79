// What the widget asks the service, and the shapes of the answers it reads.
import type { Labels } from './labels';

/** One suggested partner, as the list and live updates show it. */
export interface Match {
  score: number;
  reasons: string[];
  /** Where a live subscription resumes after this event; absent on the first page of suggestions. */
  eventCursor?: string | null;
  shortlisted: boolean;
  breakdown: { distanceKm: number | null };
  stakeholder: { id: string; name: string; kind: string; city: string | null };
}

// Reasons come in the widget's language (lang attribute), whatever the browser's Accept-Language.
const MATCH =
  'score reasons(lang: $l) eventCursor shortlisted breakdown { distanceKm } stakeholder { id name kind city }';

/** The suggestions, the challenge's title, and who the key is. */
export const SUGGEST =
  'query($c: ID!, $n: Int, $l: Language) { viewer { role } challenge(id: $c) { title pupilContact } ' +
  `suggestPartners(challengeId: $c, first: $n) { edges { node { ${MATCH} } } } }`;
/** The answer to {@link SUGGEST}. */
export interface SuggestData {
  viewer: { role: string } | null;
  challenge: { title: string; pupilContact: keyof Labels['contact'] } | null;
  suggestPartners: { edges: { node: Match }[] };
}

/** A team that covers the challenge, and what it still lacks. */
export const TEAM =
  'query($c: ID!) { suggestTeam(challengeId: $c, size: 4) { members { stakeholder { id name kind } } ' +
  'coveredExpertise { label } missingExpertise { label } missingKinds } }';
/** The answer to {@link TEAM}. */
export interface TeamData {
  suggestTeam: {
    members: { stakeholder: { id: string; name: string; kind: string } }[];
    coveredExpertise: { label: string }[];
    missingExpertise: { label: string }[];
    missingKinds: string[];
  };
}

/** New matches as they come, after the cursor `$a` when resuming. */
export const LIVE = `subscription($c: ID!, $a: String, $l: Language) {
  matchFound(challengeId: $c, after: $a) { ${MATCH} } }`;
/** An event of {@link LIVE}. */
export interface LiveData {
  matchFound: Match;
}

// A public page carries a publishable key (pk_…): the widget then only reads, as without a key.
// Behind a login, a portal's or a coordinator's secret key adds the writes its role allows: invite
// (PORTAL, COORDINATOR, ADMIN); keep a partner in mind or rule one out (COORDINATOR, ADMIN).
/** Roles whose key may invite a partner. */
export const INVITERS: readonly string[] = ['ADMIN', 'COORDINATOR', 'PORTAL'];
/** Roles whose key may shortlist or dismiss a partner. */
export const BROKERS: readonly string[] = ['ADMIN', 'COORDINATOR'];

/** Keeps a partner on the challenge's shortlist. */
export const SHORTLIST =
  'mutation($c: ID!, $s: ID!) { shortlistPartner(challengeId: $c, stakeholderId: $s) { createdAt } }';
/** Rules a partner out for the challenge. */
export const DISMISS =
  'mutation($c: ID!, $s: ID!) { dismissSuggestion(challengeId: $c, stakeholderId: $s, ' +
  'reason: NOT_RELEVANT) { createdAt } }';
/** Invites a partner, once per idempotency key `$k`. */
export const INVITE =
  'mutation($c: ID!, $s: ID!, $k: String) { invitePartner(challengeId: $c, stakeholderId: $s, ' +
  'idempotencyKey: $k) { id status } }';
