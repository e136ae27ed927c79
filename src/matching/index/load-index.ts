/**
 * Filling the match index from PostgreSQL and keeping it current: a streamed load at start (in
 * batches, with progress), and `refreshIndex` for each change, which re-reads the changed rows
 * from the database, so the index never trusts what a writer said.
 */
import { trackRecordSql, TrackRecord } from '../track';
import { DataSource, EntityManager } from 'typeorm';
import { contextsCodeSql } from '../inclusion';
import { takenCountSql } from '../availability';
import { ChallengeFacts, StakeholderFacts } from './index-facts';
import { kindNo, sdgMaskOf } from './column-codes';
import { MatchIndex } from './match-index';
import { CHECK_TYPES, DEFAULT_CHECK_LEVELS, DEFAULT_CHECK_MAX_AGE_MONTHS } from '../safeguarding';
import { CheckType, PupilContact } from '../../domain/enums';
import { publishTrackPrior, TrackEvidence } from './track-prior';
import { preparedQuery } from '../../db/prepared-query';
import { streamStakeholders } from './stakeholder-stream';

/** What changed, as far as matching is concerned. */
export type IndexChange =
  | { stakeholderId: string }
  | { stakeholderIds: string[] }
  | { challengeId: string }
  | { challengeIds: string[] }
  | { partnership: { challengeId: string; stakeholderId: string } }
  | { expertise: true }
  /** The scheduled refresh of the track record's prior (track-prior.ts). */
  | { trackPrior: TrackEvidence }
  /** Many rows at once (an import): everything is read again. */
  | { all: true };

/** Statuses that hold a pair: the partner is busy on that challenge and not suggested for it. */
export const HOLDING_STATUSES = ['PROPOSED', 'INVITED', 'ACCEPTED'];

// A few named stakeholders' columns as text rows (a change relayed; a full load streams them in
// binary, stakeholder-stream.ts). SDGs and education levels come as bit masks (sdgMaskOf, levelMaskOf).
const STAKEHOLDER_COLUMNS = `s.id, s.kind, s.latitude, s.longitude,
  (SELECT coalesce(bit_or(1 << x), 0) FROM unnest(s.sdg_ids) x)::int AS "sdgMask",
  s.expertise_ids AS "expertiseIds", s.languages,
  (SELECT coalesce(bit_or(1 << x), 0) FROM unnest(s.education_levels) x)::int AS "levelMask", s.capacity,
  ${contextsCodeSql('s')}::int AS contexts,
  s.region_code AS "regionCode", s.country_code AS "countryCode", s.erased_at IS NOT NULL AS erased,
  s.service_area AS "serviceArea"`;

const CHALLENGE_SQL = `
  SELECT c.id, c.school_id AS "schoolId", c.hub_id AS "hubId", c.sdg_ids AS "sdgIds",
    c.expertise_needed_ids AS "neededIds",
    c.wanted_kinds AS "wantedKinds", c.latitude, c.longitude, c.radius_km AS "radiusKm", c.region_code AS "regionCode",
    coalesce(left(c.region_code, 2),
      (SELECT sc.country_code FROM stakeholder sc WHERE sc.id = c.school_id)) AS "countryCode",
    c.phase <> 'COMPLETED' AS open,
    coalesce((SELECT json_agg(json_build_object('needId', l.need_id, 'tagId', l.tag_id, 'credit', l.credit, 'how',
      l.how))
      FROM expertise_links(c.expertise_needed_ids) l), '[]') AS links,
    ARRAY(SELECT p.stakeholder_id::text FROM partnership p
      WHERE p.challenge_id = c.id AND p.status = ANY('{${HOLDING_STATUSES.join(',')}}'::text[])) AS active,
    ARRAY(SELECT d.stakeholder_id::text FROM dismissal d WHERE d.challenge_id = c.id) AS dismissed,
    c.pupil_contact AS "pupilContact", to_char(c.planned_end_on, 'YYYY-MM-DD') AS "plannedEndOn",
    h.id IS NOT NULL AS "hasHub", h.check_contact_levels AS "checkLevels", h.check_types AS "checkTypes",
    h.check_max_age_months AS "checkMaxAgeMonths", left(h.region_code, 2) AS "hubCountry"
  FROM challenge c LEFT JOIN hub h ON h.id = c.hub_id`;

type ChallengeRow = Omit<
  ChallengeFacts,
  'sdgMask' | 'wantedMask' | 'linksByTag' | 'active' | 'dismissed' | 'checkPolicy'
> & {
  active: string[];
  dismissed: string[];
  hasHub: boolean;
  checkLevels: PupilContact[] | null;
  checkTypes: CheckType[] | null;
  checkMaxAgeMonths: number | null;
  hubCountry: string | null;
};

function toChallenge({ hasHub, checkLevels, checkTypes, checkMaxAgeMonths, hubCountry, ...row }: ChallengeRow) {
  const neededIds = [...new Set(row.neededIds)];
  const linksByTag: (number[] | undefined)[] = [];
  for (const l of row.links) {
    const need = neededIds.indexOf(l.needId);
    if (need < 0) continue;
    (linksByTag[l.tagId] ??= []).push(need, l.credit);
  }
  let wantedMask = 0;
  for (const k of row.wantedKinds) wantedMask |= 1 << kindNo(k);
  return {
    ...row,
    neededIds,
    sdgMask: sdgMaskOf(row.sdgIds),
    wantedKinds: row.wantedKinds,
    wantedMask,
    links: row.links,
    linksByTag,
    active: new Set(row.active),
    dismissed: new Set(row.dismissed),
    // A challenge without a hub follows the defaults, by its own country.
    checkPolicy: {
      levels: hasHub ? checkLevels! : DEFAULT_CHECK_LEVELS,
      types: hasHub ? checkTypes : null,
      maxAgeMonths: hasHub ? checkMaxAgeMonths! : DEFAULT_CHECK_MAX_AGE_MONTHS,
      country: (hasHub ? hubCountry : null) ?? row.countryCode,
    },
  } satisfies ChallengeFacts;
}

/** SQL of each stakeholder's latest verified check per type (`$1`, when `only`, names the stakeholders). */
const checkDaysSql = (only: boolean): string => {
  const slots = CHECK_TYPES.map(
    (t) => `coalesce(max(issued_on - DATE '1999-12-31') FILTER (WHERE type = '${t}'), 0)`,
  ).join(', ');
  return `SELECT stakeholder_id AS id, ARRAY[${slots}]::int[] AS days FROM safeguarding_check
     WHERE verified_at IS NOT NULL ${only ? 'AND stakeholder_id = ANY($1::uuid[])' : ''} GROUP BY stakeholder_id`;
};

/** Each stakeholder's latest verified check per type, as day numbers in CHECK_TYPES order (safeguarding.ts). */
export async function checkDaysOf(db: EntityManager | DataSource, ids?: string[]): Promise<Map<string, number[]>> {
  const rows: { id: string; days: number[] }[] = await db.query(checkDaysSql(ids !== undefined), ids ? [ids] : []);
  return new Map(rows.map((r) => [r.id, r.days]));
}

/** The named stakeholders' rows, each with its room taken, track record and checks, in one statement. */
async function readStakeholders(
  db: EntityManager | DataSource,
  ids: string[],
  unansweredAfterDays: number,
): Promise<StakeholderFacts[]> {
  type Row = StakeholderFacts & { track: (TrackRecord & { stakeholderId?: string }) | null };
  const rows = await preparedQuery<Row>(
    db,
    `WITH taken AS (${takenCountSql(true)}), track AS (${trackRecordSql(unansweredAfterDays, true)}),
       checks AS (${checkDaysSql(true)})
     SELECT ${STAKEHOLDER_COLUMNS}, coalesce(taken.n, 0) AS accepted, to_jsonb(track) AS track, checks.days AS checks
     FROM stakeholder s LEFT JOIN taken ON taken.id = s.id LEFT JOIN track ON track."stakeholderId" = s.id
       LEFT JOIN checks ON checks.id = s.id
     WHERE s.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map(({ track, checks, ...row }) => {
    if (!track) return { ...row, checks: checks ?? undefined };
    const { stakeholderId: _, ...record } = track;
    return { ...row, record, checks: checks ?? undefined };
  });
}

/** Each partner's accepted partnerships and open invitations: what takes up its room (availability.ts). */
async function acceptedCounts(db: EntityManager | DataSource, ids?: string[]): Promise<Map<string, number>> {
  const rows: { id: string; n: number }[] = await db.query(takenCountSql(ids !== undefined), ids ? [ids] : []);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Every (or the named) stakeholders' track records, from their partnerships. */
export async function trackRecords(
  db: EntityManager | DataSource,
  ids: string[] | undefined,
  unansweredAfterDays: number,
): Promise<Map<string, TrackRecord>> {
  const rows: (TrackRecord & { stakeholderId: string })[] = await db.query(
    trackRecordSql(unansweredAfterDays, ids !== undefined),
    ids ? [ids] : [],
  );
  return new Map(rows.map(({ stakeholderId, ...record }) => [stakeholderId, record]));
}

async function loadRegions(index: MatchIndex, db: DataSource): Promise<void> {
  const rows: { code: string; parent: string | null }[] = await db.query(
    'SELECT code, parent_code AS parent FROM region',
  );
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.code]);
  const tree = new Map<string, Set<string>>();
  for (const r of rows) {
    const all = new Set<string>();
    const stack = [r.code];
    while (stack.length) {
      const code = stack.pop()!;
      if (all.has(code)) continue;
      all.add(code);
      stack.push(...(children.get(code) ?? []));
    }
    tree.set(r.code, all);
  }
  index.regionTree = tree;
}

/** A write to the index, prepared from rows already read: applied under the index's lock. */
type IndexWrite = () => void;

/** Reads challenges (all, or the ones named); the returned write puts them into the index. */
async function readChallenges(index: MatchIndex, db: EntityManager | DataSource, ids?: string[]): Promise<IndexWrite> {
  const rows: ChallengeRow[] = await db.query(
    `${CHALLENGE_SQL} ${ids ? 'WHERE c.id = ANY($1::uuid[])' : ''}`,
    ids ? [ids] : [],
  );
  return () => {
    index.challengeVersion++;
    for (const id of ids ?? []) index.challenges.delete(id);
    for (const row of rows) index.challenges.set(row.id, toChallenge(row));
    index.maxTagId = Math.max(index.maxTagId, ...rows.flatMap((r) => r.neededIds));
  };
}

/** The highest expertise tag id there is. */
async function maxTagIdOf(db: EntityManager | DataSource): Promise<number> {
  const [{ m }]: { m: number }[] = await db.query('SELECT coalesce(max(id), 0)::int AS m FROM expertise');
  return m;
}

/** (Re)reads challenges (all, or the ones named) into the index. */
export async function loadChallenges(index: MatchIndex, db: EntityManager | DataSource, ids?: string[]): Promise<void> {
  const write = await readChallenges(index, db, ids);
  await index.lock.write(write);
}

/** Options for {@link loadMatchIndex}. */
export interface LoadOptions {
  /**
   * Stakeholders loaded between progress reports.
   * @default 20000
   */
  batchSize?: number;
  /** Called after each batch with the rows loaded so far and the total. */
  onProgress?: (loaded: number, total: number) => void;
}

/** Builds an index from the database, streaming the stakeholders (binary COPY, stakeholder-stream.ts). */
export async function loadMatchIndex(
  db: DataSource,
  options: LoadOptions = {},
  index = new MatchIndex(),
): Promise<MatchIndex> {
  const batch = options.batchSize ?? 20_000;
  // One after another, one connection at a time: a reload shares its pool with the writers and the
  // relay (side by side, these five reads took every connection of a pool of five).
  await loadRegions(index, db);
  const [{ total }]: { total: number }[] = await db.query('SELECT count(*)::int AS total FROM stakeholder');
  const accepted = await acceptedCounts(db);
  const records = await trackRecords(db, undefined, index.unansweredAfterDays);
  const checks = await checkDaysOf(db);
  // Sized once for what is there now (stakeholders created during the load grow it as ever).
  await index.lock.write(() => index.reserveRows(index.size + total));
  // One binary COPY in the table's order, into the columns a chunk at a time as it arrives.
  const asLoaded = { summarise: false, idBytes: undefined as Uint8Array | undefined, idAt: 0 };
  let reported = 0;
  for await (const chunk of streamStakeholders(db)) {
    await index.lock.write(() =>
      chunk.forEach((facts, idBytes, idAt) => {
        asLoaded.idBytes = idBytes;
        asLoaded.idAt = idAt;
        index.setStakeholder(facts, asLoaded);
      }),
    );
    if (index.size - reported >= batch) {
      reported = index.size;
      options.onProgress?.(index.size, total);
    }
  }
  // What partnerships and checks say of the few that have any, by id.
  await index.lock.write(() => {
    for (const id of new Set([...accepted.keys(), ...records.keys(), ...checks.keys()])) {
      const row = index.rowOf(id);
      if (row >= 0)
        index.setActivity(row, { accepted: accepted.get(id) ?? 0, record: records.get(id), checks: checks.get(id) });
    }
  });
  options.onProgress?.(index.size, total);
  // Rows came in the table's order, which is no order at all for ranking's blocks: sort them into tight
  // ones, and number the rows in that order so that a block's rows are neighbours in memory (row-order.ts).
  // A load (a start, a reload) publishes the prior of what it read; until then ranking waits anyway.
  await index.lock.write(() => {
    index.organize();
    publishTrackPrior(index);
  });
  index.maxTagId = await maxTagIdOf(db);
  await loadChallenges(index, db);
  index.loaded = true;
  return index;
}

/** Each index's refresh in progress (the last one begun): see {@link refreshIndex}. */
const refreshing = new WeakMap<MatchIndex, Promise<void>>();

/**
 * Re-reads what a change touched, then applies it in one write of the index (index-lock.ts): a
 * ranking sees the index before the change or after it, never halfway. An index's refreshes run
 * one at a time, each read and written before the next reads: a writer's own change and the
 * relay's changes are applied from different places, and a refresh that read earlier must never
 * write over one that read later.
 */
export function refreshIndex(index: MatchIndex, db: DataSource | EntityManager, change: IndexChange): Promise<void> {
  // After the one before, whether it succeeded or failed (its caller was told): this one reads afresh.
  const refresh = () => refreshNow(index, db, change);
  const before = refreshing.get(index);
  const mine = before ? before.then(refresh, refresh) : refresh();
  refreshing.set(index, mine);
  return mine;
}

async function refreshNow(index: MatchIndex, db: DataSource | EntityManager, change: IndexChange): Promise<void> {
  if ('all' in change) {
    const fresh = await loadMatchIndex(
      db as DataSource,
      {},
      new MatchIndex({ unansweredAfterDays: index.unansweredAfterDays }),
    );
    await index.lock.write(() => index.replaceWith(fresh));
    return;
  }
  const writes = await readChange(index, db, change);
  await index.lock.write(() => writes.forEach((write) => write()));
}

/** Reads what a change touched; the writes that apply it, in order. */
async function readChange(
  index: MatchIndex,
  db: DataSource | EntityManager,
  change: Exclude<IndexChange, { all: true }>,
): Promise<IndexWrite[]> {
  if ('stakeholderId' in change) return readChange(index, db, { stakeholderIds: [change.stakeholderId] });
  if ('challengeId' in change) return [await readChallenges(index, db, [change.challengeId])];
  if ('challengeIds' in change) return [await readChallenges(index, db, change.challengeIds)];
  if ('trackPrior' in change) return [() => publishTrackPrior(index, change.trackPrior)];
  if ('partnership' in change) {
    const { challengeId, stakeholderId } = change.partnership;
    return [
      await readChallenges(index, db, [challengeId]),
      ...(await readChange(index, db, { stakeholderIds: [stakeholderId] })),
    ];
  }
  if ('expertise' in change) {
    const maxTagId = await maxTagIdOf(db);
    const challenges = await readChallenges(index, db);
    return [
      () => {
        index.maxTagId = maxTagId;
        index.challengeVersion++;
      },
      challenges,
    ];
  }
  const ids = change.stakeholderIds;
  if (!ids.length) return [];
  const rows = await readStakeholders(db, ids, index.unansweredAfterDays);
  const found = new Set(rows.map((r) => r.id));
  const write = () => {
    index.pageRows.forget(ids);
    for (const id of ids) if (!found.has(id)) index.removeStakeholder(id);
    for (const row of rows) index.setStakeholder(row);
  };
  // A new tag can be spelled like a tag some challenge needs: the challenges' links change.
  if (rows.some((row) => row.expertiseIds.some((t) => t > index.maxTagId)))
    return [write, ...(await readChange(index, db, { expertise: true }))];
  return [write];
}
