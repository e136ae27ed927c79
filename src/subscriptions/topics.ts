/**
 * What travels between instances. Messages are small (a few ids): the payloads themselves are
 * stored (match_event) or read once per instance, so PostgreSQL's 8 kB NOTIFY limit never bites.
 */
import type { IndexChange } from '../matching/index/load-index';

/** New match events with seq in [from, to] were committed (in seq order, see match-events.ts). */
export interface MatchesMessage {
  kind: 'matches';
  from: number;
  to: number;
}

/** A stakeholder was created. */
export interface PartnerJoinedMessage {
  kind: 'partner-joined';
  stakeholderId: string;
}

/** Stakeholders created together (an import): one message for up to a hundred of them. */
export interface PartnersJoinedMessage {
  kind: 'partners-joined';
  stakeholderIds: string[];
}

/** An API key was revoked: every instance closes the WebSocket connections opened with it. */
export interface KeyRevokedMessage {
  kind: 'key-revoked';
  keyId: string;
}

/** Something that matters to matching changed: every instance re-reads it into its match index. */
export interface IndexMessage {
  kind: 'index';
  change: IndexChange;
}

export type BusMessage =
  MatchesMessage | PartnerJoinedMessage | PartnersJoinedMessage | KeyRevokedMessage | IndexMessage;

/** Channel name on PostgreSQL and Redis. */
export const CHANNEL = 'matchmaker_events';

/** What made a match new: a stakeholder joined or changed, a challenge was posted or changed. */
export type MatchOrigin = 'STAKEHOLDER_CHANGED' | 'CHALLENGE_POSTED' | 'CHALLENGE_CHANGED';

/** Lowest score stored as a match event; subscribers may not ask for less. */
export const EVENT_FLOOR = 0.3;
/** `minScore` when a subscriber gives none. */
export const DEFAULT_MIN_SCORE = 0.5;

function isIndexChange(c: unknown): c is IndexChange {
  if (!c || typeof c !== 'object') return false;
  const x = c as Record<string, unknown>;
  const p = x.partnership as Record<string, unknown> | undefined;
  return (
    typeof x.stakeholderId === 'string' ||
    typeof x.challengeId === 'string' ||
    x.expertise === true ||
    x.all === true ||
    (typeof p === 'object' && p !== null && typeof p.challengeId === 'string' && typeof p.stakeholderId === 'string')
  );
}

export function parseMessage(raw: string): BusMessage | undefined {
  try {
    const m = JSON.parse(raw) as BusMessage;
    if (m.kind === 'matches' && Number.isInteger(m.from) && Number.isInteger(m.to)) return m;
    if (m.kind === 'partner-joined' && typeof m.stakeholderId === 'string') return m;
    if (
      m.kind === 'partners-joined' &&
      Array.isArray(m.stakeholderIds) &&
      m.stakeholderIds.every((x) => typeof x === 'string')
    )
      return m;
    if (m.kind === 'key-revoked' && typeof m.keyId === 'string') return m;
    if (m.kind === 'index' && isIndexChange(m.change)) return m;
  } catch {
    // A foreign or malformed message on the channel is ignored.
  }
  return undefined;
}
