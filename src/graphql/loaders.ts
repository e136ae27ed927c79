import DataLoader from 'dataloader';
import { DataSource, In, ObjectLiteral } from 'typeorm';
import { Challenge } from '../domain/challenge/challenge.entity';
import { Expertise } from '../domain/expertise/expertise.entity';
import { Hub, HubCoordinator } from '../domain/hub/hub.entity';
import { Mission } from '../domain/mission/mission.entity';
import { Partnership, PartnershipEvent } from '../domain/partnership/partnership.entity';
import { Region } from '../domain/region/region.entity';
import { Sdg } from '../domain/sdg/sdg.entity';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';

type Key = string | number;

// Batch over a whole event-loop turn rather than one microtask tick: resolvers that await a
// parent first then land in the same batch as their siblings, so a page costs the same SQL
// whatever its size or timing.
const BATCH = { batchScheduleFn: (run: () => void) => setImmediate(run) };

function sortBy<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => key(a).localeCompare(key(b)));
}

/** One row per key, in key order, with an Error where no row has that key (DataLoader's contract). */
function byKey<K extends Key, T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: new () => T,
  keyField: keyof T & string,
  what: string,
): DataLoader<K, T> {
  return new DataLoader<K, T>(async (keys) => {
    const rows = await dataSource.getRepository(entity).findBy({ [keyField]: In([...keys]) } as never);
    const map = new Map(rows.map((r) => [String(r[keyField]), r]));
    return keys.map((k) => map.get(String(k)) ?? new Error(`${what} "${k}" was not found`));
  }, BATCH);
}

/** Rows grouped under each key, in key order; a key with no rows gets an empty list. */
function grouped<K extends Key, T>(fetch: (keys: K[]) => Promise<{ key: K; row: T }[]>): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
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
      all = dataSource.getRepository(Sdg).find().then((rows) => new Map(rows.map((r) => [r.id, r])));
      sdgCache.set(dataSource, all);
      all.catch(() => sdgCache.delete(dataSource));
    }
    const map = await all;
    return keys.map((k) => map.get(k) ?? new Error(`SDG "${k}" was not found`));
  }, BATCH);
}

/**
 * Per-request DataLoaders for every relation. Build a fresh set for each request (and for
 * each subscription event): their caches must never outlive the data they were read from.
 */
export function createLoaders(dataSource: DataSource) {
  const repo = <T extends ObjectLiteral>(e: new () => T) => dataSource.getRepository(e);
  const hub = byKey<string, Hub>(dataSource, Hub, 'id', 'Hub');
  const stakeholder = byKey<string, Stakeholder>(dataSource, Stakeholder, 'id', 'Stakeholder');
  // Memberships are read as id pairs, then the rows come through the entity loaders: one hub
  // shared by many members is fetched (and cached) once.
  const memberships = (column: 'hub_id' | 'stakeholder_id') =>
    grouped<string, string>(async (ids) => {
      const other = column === 'hub_id' ? 'stakeholder_id' : 'hub_id';
      const rows: { key: string; row: string }[] = await dataSource.query(
        `SELECT ${column} AS key, ${other} AS row FROM hub_member WHERE ${column} = ANY($1::uuid[])`,
        [ids],
      );
      return rows;
    });
  const hubIdsOfStakeholder = memberships('stakeholder_id');
  const memberIdsOfHub = memberships('hub_id');
  return {
    sdg: sdgLoader(dataSource),
    region: byKey<string, Region>(dataSource, Region, 'code', 'Region'),
    expertise: byKey<number, Expertise>(dataSource, Expertise, 'id', 'Expertise'),
    stakeholder,
    hub,
    hubsOfStakeholder: {
      load: async (id: string) => sortBy(await loadExisting(hub, await hubIdsOfStakeholder.load(id)), (h) => h.name),
    },
    membersOfHub: {
      load: async (id: string) => sortBy(await loadExisting(stakeholder, await memberIdsOfHub.load(id)), (s) => s.name),
    },
    mission: byKey<string, Mission>(dataSource, Mission, 'id', 'Mission'),
    challenge: byKey<string, Challenge>(dataSource, Challenge, 'id', 'Challenge'),
    partnership: byKey<string, Partnership>(dataSource, Partnership, 'id', 'Partnership'),
    coordinatorsOfHub: grouped<string, HubCoordinator>(async (ids) =>
      (await repo(HubCoordinator).find({ where: { hubId: In(ids) }, order: { name: 'ASC' } })).map((row) => ({ key: row.hubId, row })),
    ),
    partnershipsOfChallenge: grouped<string, Partnership>(async (ids) =>
      (await repo(Partnership).find({ where: { challengeId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } })).map((row) => ({
        key: row.challengeId,
        row,
      })),
    ),
    partnershipsOfStakeholder: grouped<string, Partnership>(async (ids) =>
      (await repo(Partnership).find({ where: { stakeholderId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } })).map((row) => ({
        key: row.stakeholderId,
        row,
      })),
    ),
    historyOfPartnership: grouped<string, PartnershipEvent>(async (ids) =>
      (await repo(PartnershipEvent).find({ where: { partnershipId: In(ids) }, order: { id: 'ASC' } })).map((row) => ({
        key: row.partnershipId,
        row,
      })),
    ),
    challengesOfMission: grouped<string, Challenge>(async (ids) =>
      (await repo(Challenge).find({ where: { missionId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } })).map((row) => ({
        key: row.missionId!,
        row,
      })),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;

/** Loads many keys and drops the ones that no longer exist (e.g. an expertise id of a removed tag). */
export async function loadExisting<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  return values.filter((v): v is V => !(v instanceof Error));
}
