import { EntityManager } from 'typeorm';
import { markOutboxAppended } from './unit-of-work';

/**
 * A committed change that matching must hear about, appended to the outbox in the writing
 * transaction itself (see migration Outbox1795400000014): both land or neither.
 */
export type OutboxChange =
  /** Created, edited (capacity, tags, place…) or erased. */
  | { kind: 'stakeholder'; id: string; created: boolean }
  | { kind: 'challenge'; id: string; created: boolean }
  /** An invitation, answer, approval, withdrawal, completion or dismissal: who is free for a challenge. */
  | {
      kind: 'partnership';
      challengeId: string;
      stakeholderId: string;
      partnershipId?: string;
      /** The status this change set: by the time an instance pushes it, a later one may be stored. */
      status?: string;
    }
  /** One slice of an import. */
  | { kind: 'stakeholders'; created: string[]; updated: string[] }
  | { kind: 'challenges'; created: string[]; updated: string[] }
  /** An API key revoked: every instance closes its open connections (or never had any). */
  | { kind: 'key-revoked'; keyId: string }
  /** The scheduled refresh of the track record's prior: the network's evidence, counted in the database. */
  | { kind: 'track-prior'; tenths: number; observations: number };

/** Appends `change` to the outbox; `manager` must be the writing transaction's. */
export async function appendOutbox(manager: EntityManager, change: OutboxChange): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('appendOutbox needs the writing transaction');
  const [{ seq }]: { seq: string }[] = await manager.query(
    'INSERT INTO outbox (change) VALUES ($1::jsonb) RETURNING seq',
    [JSON.stringify(change)],
  );
  markOutboxAppended(manager, { change, seq: Number(seq) });
}

/** Reads a stored change back, refusing anything this version does not know. */
export function parseOutboxChange(value: unknown): OutboxChange | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  const uuids = (x: unknown) => Array.isArray(x) && x.every((i) => typeof i === 'string');
  switch (c.kind) {
    case 'stakeholder':
    case 'challenge':
      return typeof c.id === 'string' && typeof c.created === 'boolean' ? (c as OutboxChange) : undefined;
    case 'partnership':
      return typeof c.challengeId === 'string' &&
        typeof c.stakeholderId === 'string' &&
        (c.partnershipId === undefined || typeof c.partnershipId === 'string') &&
        (c.status === undefined || typeof c.status === 'string')
        ? (c as OutboxChange)
        : undefined;
    case 'stakeholders':
    case 'challenges':
      return uuids(c.created) && uuids(c.updated) ? (c as OutboxChange) : undefined;
    case 'key-revoked':
      return typeof c.keyId === 'string' ? (c as OutboxChange) : undefined;
    case 'track-prior':
      return Number.isFinite(c.tenths) && Number.isFinite(c.observations) ? (c as OutboxChange) : undefined;
    default:
      return undefined;
  }
}
