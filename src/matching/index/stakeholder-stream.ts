/**
 * Every stakeholder's columns for a full load of the index, streamed with `COPY … TO STDOUT
 * (FORMAT binary)`: one snapshot, one sequential scan in the table's own order (the load sorts
 * rows into blocks afterwards), and no text to parse. Rows are read into one reused object (ids
 * stay bytes, codes are shared strings), so a million-row load makes almost no garbage; SDG and
 * education-level masks are made here from the arrays, cheaper than PostgreSQL's subqueries.
 */
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { contextsCodeSql } from '../inclusion';
import { BinaryCopyReader, BinaryTuple } from './binary-copy';
import { StakeholderFacts } from './index-facts';

// The reader below reads these by position; each is a type binary-copy.ts reads.
const COPY_SQL = `COPY (SELECT s.id, s.kind, s.latitude, s.longitude, s.sdg_ids, s.expertise_ids, s.languages,
    s.education_levels, s.capacity, ${contextsCodeSql('s')}::int4, s.region_code, s.country_code,
    s.erased_at IS NOT NULL, s.service_area
  FROM stakeholder s) TO STDOUT (FORMAT binary)`;
const FIELDS = 14;

/** A row as the index takes it: `facts` (reused for every row: read it then) and its id's bytes. */
export type StakeholderRow = (facts: StakeholderFacts, idBytes: Uint8Array, idAt: number) => void;

/** Reads one tuple of {@link COPY_SQL} into `into` (its room, record and checks left empty). */
export function readStakeholder(t: BinaryTuple, into: StakeholderFacts): StakeholderFacts {
  into.kind = t.codeOrNull(1)!;
  into.latitude = t.float8OrNull(2);
  into.longitude = t.float8OrNull(3);
  into.sdgMask = t.bitMask(4);
  t.intsInto(5, into.expertiseIds);
  t.codesInto(6, into.languages);
  into.levelMask = t.bitMask(7);
  into.capacity = t.int4(8);
  into.contexts = t.int4(9);
  into.regionCode = t.codeOrNull(10);
  into.countryCode = t.codeOrNull(11);
  into.erased = t.bool(12);
  into.serviceArea = t.codeOrNull(13);
  return into;
}

/** The chunks of the stream as they arrive, each read into rows with `forEach` (synchronously). */
export interface StakeholderChunk {
  /** Hands each whole row of this chunk to `row`; returns how many. */
  forEach(row: StakeholderRow): number;
}

/**
 * Streams every stakeholder, a chunk of the socket's at a time: the caller reads each chunk's rows
 * (under its index's lock) before the next is taken. Leaving the loop early, or a failure, ends the
 * COPY and drops its connection from the pool (a connection in the middle of a COPY is no use).
 */
export async function* streamStakeholders(db: DataSource): AsyncGenerator<StakeholderChunk> {
  const [client, release] = (await (db.driver as PostgresDriver).obtainMasterConnection()) as [
    PoolClient,
    (error?: Error) => void,
  ];
  const reader = new BinaryCopyReader(FIELDS);
  const facts: StakeholderFacts = {
    id: '',
    kind: '',
    latitude: null,
    longitude: null,
    sdgMask: 0,
    expertiseIds: [],
    languages: [],
    levelMask: 0,
    capacity: 0,
    contexts: 0,
    accepted: 0,
    regionCode: null,
    countryCode: null,
    erased: false,
    serviceArea: null,
  };
  const stream = client.query(copyTo(COPY_SQL));
  let finished = false;
  try {
    for await (const chunk of stream) {
      yield {
        forEach: (row) => reader.push(chunk as Buffer, (t) => row(readStakeholder(t, facts), t.buffer, t.uuidAt(0))),
      };
    }
    reader.end();
    finished = true;
  } finally {
    // The driver's read timeout (`query_timeout`) is cleared by a query's callback, which a COPY
    // stream never calls: left alone, it fires later on the finished stream (an 'error' with
    // nobody listening) and keeps the process alive until then.
    (stream as unknown as { callback?: () => void }).callback?.();
    if (finished) release();
    else {
      stream.destroy();
      release(new Error('the stakeholders’ COPY was left before its end'));
    }
  }
}
