import { SafeguardingCheck } from '../domain/safeguarding/safeguarding-check.entity';
import { checksOf } from '../domain/safeguarding/safeguarding.service';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { DataSource, In, ObjectLiteral } from 'typeorm';
import { Challenge } from '../domain/challenge/challenge.entity';
import { Expertise } from '../domain/expertise/expertise.entity';
import { Hub, HubCoordinator } from '../domain/hub/hub.entity';
import { Mission } from '../domain/mission/mission.entity';
import { Partnership, PartnershipEvent } from '../domain/partnership/partnership.entity';
import { Region } from '../domain/region/region.entity';
import { Sdg } from '../domain/sdg/sdg.entity';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { LIST_BOUNDS } from './list-bounds';
import { Dismissal, ShortlistEntry } from '../domain/brokering/brokering.entity';

type Key = string | number;

// Batch over a whole event-loop turn rather than one microtask tick: resolvers that await a
// parent first then land in the same batch as their siblings, so a page costs the same SQL
// whatever its size or timing.
const BATCH = { batchScheduleFn: (run: () => void) => setImmediate(run) };

/** The first `cap` rows of each key, in the order given. */
function firstPerKey<T extends { key: Key }>(rows: T[], cap: number): T[] {
  const seen = new Map<Key, number>();
  return rows.filter((r) => {
    const n = (seen.get(r.key) ?? 0) + 1;
    seen.set(r.key, n);
    return n <= cap;
  });
}

/** Throws when the request may do no more work (its execution deadline passed). */
type Checkpoint = () => void;

/** One row per key, in key order, with an Error where no row has that key (DataLoader's contract). */
function byKey<K extends Key, T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: new () => T,
  keyField: keyof T & string,
  what: string,
  checkpoint: Checkpoint,
): DataLoader<K, T> {
  return new DataLoader<K, T>(async (keys) => {
    checkpoint();
    const rows = await dataSource.getRepository(entity).findBy({ [keyField]: In([...keys]) } as never);
    const map = new Map(rows.map((r) => [String(r[keyField]), r]));
    return keys.map((k) => map.get(String(k)) ?? new RowNotFound(what, k));
  }, BATCH);
}

/** Rows grouped under each key, in key order; a key with no rows gets an empty list. */
function grouped<K extends Key, T>(
  checkpoint: Checkpoint,
  fetch: (keys: K[]) => Promise<{ key: K; row: T }[]>,
): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
    checkpoint();
    const map = new Map<string, T[]>(keys.map((k) => [String(k), []]));
    for (const { key, row } of await fetch([...keys])) map.get(String(key))?.push(row);
    return keys.map((k) => map.get(String(k))!);
  }, BATCH);
}

// The 17 SDGs change only through migrations: read once per data source, then served from memory.
const sdgCache = new WeakMap<DataSource, Promise<Map<number, Sdg>>>();

function sdgLoader(dataSource: DataSource): DataLoader<number, Sdg> {
  return new DataLoader<number, Sdg>(async (keys) => {
    let all = sdgCache.get(dataSource);
    if (!all) {
      all = dataSource
        .getRepository(Sdg)
        .find()
        .then((rows) => new Map(rows.map((r) => [r.id, r])));
      sdgCache.set(dataSource, all);
      all.catch(() => sdgCache.delete(dataSource));
    }
    const map = await all;
    return keys.map((k) => map.get(k) ?? new RowNotFound('SDG', k));
  }, BATCH);
}

/**
 * Expertise tags are written once and never changed (inserted with `ON CONFLICT DO NOTHING`,
 * never updated or deleted): once read, a tag is served from memory, per data source. Bounded,
 * so a flood of unknown ids cannot grow it.
 */
const expertiseCache = new WeakMap<DataSource, LRUCache<number, Expertise>>();

function expertiseLoader(dataSource: DataSource, checkpoint: Checkpoint): DataLoader<number, Expertise> {
  return new DataLoader<number, Expertise>(async (keys) => {
    let known = expertiseCache.get(dataSource);
    if (!known) expertiseCache.set(dataSource, (known = new LRUCache<number, Expertise>({ max: 100_000 })));
    const missing = keys.filter((k) => !known.has(k));
    if (missing.length) {
      checkpoint();
      for (const row of await dataSource.getRepository(Expertise).findBy({ id: In(missing) })) known.set(row.id, row);
    }
    return keys.map((k) => known.get(k) ?? new RowNotFound('Expertise', k));
  }, BATCH);
}

const NO_CHECKPOINT: Checkpoint = () => undefined;

/**
 * Per-request DataLoaders for every relation. Build a fresh set for each request (and for
 * each subscription event): their caches must never outlive the data they were read from.
 * `checkpoint` runs before every batch (the request's execution deadline): a request past it
 * sends no more SQL, and each of its loads rejects with the checkpoint's error.
 */
export function createLoaders(dataSource: DataSource, checkpoint: Checkpoint = NO_CHECKPOINT) {
  const repo = <T extends ObjectLiteral>(e: new () => T) => dataSource.getRepository(e);
  const hub = byKey<string, Hub>(dataSource, Hub, 'id', 'Hub', checkpoint);
  const stakeholder = byKey<string, Stakeholder>(dataSource, Stakeholder, 'id', 'Stakeholder', checkpoint);
  const challenge = byKey<string, Challenge>(dataSource, Challenge, 'id', 'Challenge', checkpoint);
  const partnership = byKey<string, Partnership>(dataSource, Partnership, 'id', 'Partnership', checkpoint);
  const capped = <K extends Key>(sql: string, cap: number) =>
    grouped<K, string>(checkpoint, async (keys) =>
      dataSource.query(`SELECT key, row FROM (${sql}) x WHERE n <= $2 ORDER BY key, n`, [keys, cap]),
    );
  // Ids of at most `cap` rows per parent, in the list's order; the rows then come through the
  // entity loaders, so one hub shared by many members is fetched (and cached) once.
  const hubIdsOfStakeholder = capped<string>(
    `SELECT m.stakeholder_id AS key, m.hub_id AS row,
       row_number() OVER (PARTITION BY m.stakeholder_id ORDER BY h.name, h.id) AS n
     FROM hub_member m JOIN hub h ON h.id = m.hub_id WHERE m.stakeholder_id = ANY($1::uuid[])`,
    LIST_BOUNDS['Stakeholder.hubs'].max,
  );
  // Families last and by id: their names are private, so they must not decide an order anyone sees.
  const memberIdsOfHub = capped<string>(
    `SELECT m.hub_id AS key, m.stakeholder_id AS row, row_number() OVER (PARTITION BY m.hub_id
       ORDER BY s.kind = 'FAMILY', CASE WHEN s.kind = 'FAMILY' THEN '' ELSE s.name END, s.id) AS n
     FROM hub_member m JOIN stakeholder s ON s.id = m.stakeholder_id WHERE m.hub_id = ANY($1::uuid[])`,
    LIST_BOUNDS['Hub.members'].max,
  );
  const byCreation = (table: string, column: string) =>
    `SELECT ${column} AS key, id AS row, row_number() OVER (PARTITION BY ${column} ORDER BY created_at, id) AS n
     FROM ${table} WHERE ${column} = ANY($1::uuid[])`;
  const partnershipIdsOfChallenge = capped<string>(
    byCreation('partnership', 'challenge_id'),
    LIST_BOUNDS['Challenge.partnerships'].max,
  );
  const partnershipIdsOfStakeholder = capped<string>(
    byCreation('partnership', 'stakeholder_id'),
    LIST_BOUNDS['Stakeholder.partnerships'].max,
  );
  const challengeIdsOfMission = capped<string>(
    byCreation('challenge', 'mission_id'),
    LIST_BOUNDS['Mission.challenges'].max,
  );
  const through = <T>(ids: DataLoader<string, string[]>, rows: DataLoader<string, T>) => ({
    load: async (key: string) => loadExisting(rows, await ids.load(key)),
  });
  return {
    // Served from memory after the first read: no checkpoint needed.
    sdg: sdgLoader(dataSource),
    region: byKey<string, Region>(dataSource, Region, 'code', 'Region', checkpoint),
    expertise: expertiseLoader(dataSource, checkpoint),
    stakeholder,
    hub,
    hubsOfStakeholder: through(hubIdsOfStakeholder, hub),
    membersOfHub: through(memberIdsOfHub, stakeholder),
    mission: byKey<string, Mission>(dataSource, Mission, 'id', 'Mission', checkpoint),
    challenge,
    partnership,
    // Both lists are short by construction (createHub takes at most 20 coordinators; a
    // partnership changes status a few times); the cap is a second wall.
    coordinatorsOfHub: grouped<string, HubCoordinator>(checkpoint, async (ids) =>
      firstPerKey(
        (await repo(HubCoordinator).find({ where: { hubId: In(ids) }, order: { name: 'ASC', id: 'ASC' } })).map(
          (row) => ({
            key: row.hubId,
            row,
          }),
        ),
        LIST_BOUNDS['Hub.coordinators'].max,
      ),
    ),
    partnershipsOfChallenge: through(partnershipIdsOfChallenge, partnership),
    partnershipsOfStakeholder: through(partnershipIdsOfStakeholder, partnership),
    historyOfPartnership: grouped<string, PartnershipEvent>(checkpoint, async (ids) =>
      firstPerKey(
        (await repo(PartnershipEvent).find({ where: { partnershipId: In(ids) }, order: { id: 'ASC' } })).map((row) => ({
          key: row.partnershipId,
          row,
        })),
        LIST_BOUNDS['Partnership.history'].max,
      ),
    ),
    challengesOfMission: through(challengeIdsOfMission, challenge),
    checksOfStakeholder: grouped<string, SafeguardingCheck>(checkpoint, async (ids) =>
      (await checksOf(dataSource.manager, ids)).map((row) => ({ key: row.stakeholderId, row })),
    ),
    shortlistOfChallenge: grouped<string, ShortlistEntry>(checkpoint, async (ids) =>
      firstPerKey(
        (
          await repo(ShortlistEntry).find({
            where: { challengeId: In(ids) },
            order: { createdAt: 'ASC', stakeholderId: 'ASC' },
          })
        ).map((row) => ({ key: row.challengeId, row })),
        LIST_BOUNDS['Challenge.shortlist'].max,
      ),
    ),
    dismissalsOfChallenge: grouped<string, Dismissal>(checkpoint, async (ids) =>
      firstPerKey(
        (
          await repo(Dismissal).find({
            where: { challengeId: In(ids) },
            order: { createdAt: 'ASC', stakeholderId: 'ASC' },
          })
        ).map((row) => ({ key: row.challengeId, row })),
        LIST_BOUNDS['Challenge.dismissals'].max,
      ),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The Error a loader gives for a key with no row: the one failure that means "absent". Every
 * other rejection of a load (a lost connection, a timeout) is a failure and must travel as one.
 */
export class RowNotFound extends DomainError {
  override name = 'RowNotFound';

  constructor(what: string, key: unknown) {
    super(DomainErrorCode.NotFound, `${what} "${String(key)}" was not found`);
  }
}

/** A load that answers null for a key with no row, and rejects with any other failure. */
export async function loadOrNull<K, V>(loader: DataLoader<K, V>, key: K): Promise<V | null> {
  try {
    return await loader.load(key);
  } catch (error) {
    if (error instanceof RowNotFound) return null;
    throw error;
  }
}

/**
 * Loads many keys and drops the ones that no longer exist (e.g. an expertise id of a removed
 * tag); any other failure rejects, so a database that cannot answer never reads as "none".
 */
export async function loadExisting<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  // Settled one by one rather than through loadMany, which hands back whatever was thrown as a value.
  const settled = await Promise.allSettled(keys.map((k) => loader.load(k)));
  const failure = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof RowNotFound));
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}
