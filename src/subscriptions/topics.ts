/**
 * What travels between instances: nudges, never payloads. Changes and their match events are
 * stored (the outbox, match_event) and read once per instance, so PostgreSQL's 8 kB NOTIFY limit
 * never bites and a lost message costs a poll interval, not a change.
 */

/** A stored range of new match events (as the relay writes them, see match-events.ts). */
export interface MatchesMessage {
  kind: 'matches';
  from: number;
  to: number;
}

/** The outbox moved: relay what is pending, then read what was relayed. */
export interface OutboxMessage {
  kind: 'outbox';
  /** The change feed that relayed (its own message is not news to it). */
  from?: string;
}

/**
 * What instances tell each other on the bus: only that the outbox moved. Everything else (key
 * revocations too) is an outbox change, so a lost message costs a poll, never an effect.
 */
export type BusMessage = OutboxMessage;

/** Channel name on PostgreSQL and Redis. */
export const CHANNEL = 'matchmaker_events';

/** What made a match new: a stakeholder joined or changed, a challenge was posted or changed. */
export type MatchOrigin = 'STAKEHOLDER_CHANGED' | 'CHALLENGE_POSTED' | 'CHALLENGE_CHANGED';

/** Lowest score stored as a match event; subscribers may not ask for less. */
export const EVENT_FLOOR = 0.3;
/** `minScore` when a subscriber gives none. */
export const DEFAULT_MIN_SCORE = 0.5;

export function parseMessage(raw: string): BusMessage | undefined {
  try {
    const m = JSON.parse(raw) as BusMessage;
    if (m.kind === 'outbox') return typeof m.from === 'string' ? { kind: 'outbox', from: m.from } : { kind: 'outbox' };
  } catch {
    // A foreign or malformed message on the channel is ignored.
  }
  return undefined;
}
