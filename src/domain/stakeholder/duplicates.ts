/**
 * Likely duplicates: a stakeholder about to be created that looks like one already stored, by
 * the same normalised name within {@link DUPLICATE_RADIUS_KM}, or by the same website host.
 *
 * The name key is the SQL function `stakeholder_name_key` (migration ForgivingEntry): lower case,
 * accents and punctuation dropped, and the legal forms B.V., N.V., C.V., VOF, vzw, asbl, BVBA,
 * SPRL, SRL, SA, SARL, GmbH, AG, e.V., Ltd, LLC, Inc and PLC left out wherever they stand as a
 * word, so "Deltares B.V." and "DELTARES" share the key "deltares". The host is `website_host`:
 * "https://www.deltares.nl/en" gives "deltares.nl"; hosts many organisations share (social
 * networks, site builders) are left out of the comparison. Both are indexed, and every look-up
 * is bounded: a latitude band around the point, and {@link DUPLICATES_PER_ROW} rows per rule.
 */
import { EntityManager } from 'typeorm';
import { preparedQuery } from '../../db/prepared-query';
import { StakeholderKind } from '../enums';

/** How near two stakeholders of the same name must be to look like one, in km. */
export const DUPLICATE_RADIUS_KM = 5;

/** Most existing stakeholders reported per new one and rule. */
export const DUPLICATES_PER_ROW = 3;

/** Hosts that many organisations share: the same host there says nothing. */
export const SHARED_HOSTS: readonly string[] = [
  'facebook.com',
  'instagram.com',
  'linkedin.com',
  'x.com',
  'twitter.com',
  'youtube.com',
  'sites.google.com',
  'wix.com',
  'wixsite.com',
  'wordpress.com',
  'blogspot.com',
];

/** Which families a caller may see (by name): all, or those in the caller's hubs. */
export type FamilyVisibility = 'all' | readonly string[];

/** A stakeholder about to be created. */
export interface DuplicateCandidate {
  name: string;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  /** An import row's id: a row that updates a stored stakeholder is no new one. */
  externalId?: string | null;
}

/**
 * Serialises the creates that could be duplicates of each other — the same name key, or the same
 * website host — for the rest of the caller's transaction: a create that waited here then sees the
 * other's row in its check, so two callers creating one organisation at once store it once.
 * The keys are locked in one order (no deadlock between two creates sharing both).
 */
export async function lockDuplicateKeys(manager: EntityManager, candidate: DuplicateCandidate): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('lockDuplicateKeys runs in the create transaction');
  await manager.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended(x, 7301407) AS k
       FROM unnest(ARRAY['name:' || stakeholder_name_key($1), 'host:' || website_host($2)]) AS x
       WHERE x IS NOT NULL) keys
     ORDER BY k`,
    [candidate.name, candidate.website],
  );
}

/** A stored stakeholder a candidate looks like, and why. */
export interface LikelyDuplicate {
  /** Index of the candidate in the list given. */
  index: number;
  id: string;
  kind: StakeholderKind;
  name: string;
  rule: 'name' | 'website';
}

// 1° of latitude is 111.2 km: the band bounds the index range scan; earth_distance decides.
const BAND_DEGREES = DUPLICATE_RADIUS_KM / 111;

const VISIBLE = `($3::boolean OR s.kind <> 'FAMILY' OR EXISTS (
    SELECT 1 FROM hub_member h WHERE h.stakeholder_id = s.id AND h.hub_id = ANY($4::uuid[])))`;

/**
 * The look-up: per candidate, an index range scan by name key and latitude band, and an index
 * scan by website host, each stopped after {@link DUPLICATES_PER_ROW} rows.
 */
export const LIKELY_DUPLICATES_SQL = `WITH c AS (
    SELECT c.*, stakeholder_name_key(c.name) AS name_key, website_host(c.website) AS host
    FROM jsonb_to_recordset($1::jsonb) AS c("index" int, name text, latitude float8, longitude float8,
      website text, external_id text)
    WHERE c.external_id IS NULL OR NOT EXISTS (SELECT 1 FROM stakeholder e WHERE e.external_id = c.external_id)
  )
  SELECT c."index", d.id, d.kind, d.name, d.rule FROM c CROSS JOIN LATERAL (
    (SELECT s.id, s.kind, s.name, 'name' AS rule FROM stakeholder s
     WHERE c.latitude IS NOT NULL AND c.name_key <> '' AND s.erased_at IS NULL
       AND stakeholder_name_key(s.name) = c.name_key
       AND s.latitude BETWEEN c.latitude - $5 AND c.latitude + $5
       AND earth_distance(ll_to_earth(c.latitude, c.longitude), ll_to_earth(s.latitude, s.longitude)) <= $6
       AND ${VISIBLE}
     LIMIT $2)
    UNION ALL
    (SELECT s.id, s.kind, s.name, 'website' AS rule FROM stakeholder s
     WHERE c.host IS NOT NULL AND c.host <> ALL($7::text[]) AND s.erased_at IS NULL AND s.website IS NOT NULL
       AND website_host(s.website) = c.host AND ${VISIBLE}
     LIMIT $2)
  ) d
  ORDER BY c."index", d.rule, d.id`;

/** The parameters of {@link LIKELY_DUPLICATES_SQL}. */
export function likelyDuplicatesParams(candidates: readonly DuplicateCandidate[], families: FamilyVisibility) {
  const rows = candidates.map((c, index) => ({
    index,
    name: c.name,
    latitude: c.latitude,
    longitude: c.longitude,
    website: c.website,
    external_id: c.externalId ?? null,
  }));
  return [
    JSON.stringify(rows),
    DUPLICATES_PER_ROW,
    families === 'all',
    families === 'all' ? [] : families,
    BAND_DEGREES,
    DUPLICATE_RADIUS_KM * 1000,
    SHARED_HOSTS,
  ];
}

/**
 * Stored stakeholders that the candidates look like, in one indexed query. Erased stakeholders
 * never count; a family counts only for a caller who may see it (`families`), so that no
 * warning tells anyone else that a family of that name lives there. A candidate without a
 * location is compared by website only; one whose `externalId` is stored is an update, not
 * compared at all.
 */
export async function findLikelyDuplicates(
  manager: EntityManager,
  candidates: readonly DuplicateCandidate[],
  families: FamilyVisibility,
): Promise<LikelyDuplicate[]> {
  if (candidates.length === 0) return [];
  const found = await preparedQuery<LikelyDuplicate>(
    manager,
    LIKELY_DUPLICATES_SQL,
    likelyDuplicatesParams(candidates, families),
  );
  // Reported once per stored stakeholder, under the first rule that found it.
  const seen = new Set<string>();
  return found.filter((d) => {
    const key = `${d.index}|${d.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "looks like "Deltares" (id …), the same name within 5 km; and "X" (id …), the same website host". */
export function describeDuplicates(found: readonly LikelyDuplicate[]): string {
  return found.map((d) => `"${d.name}" (id ${d.id}), ${ruleWords(d.rule)}`).join('; and ');
}

/** A rule in words: "the same name within 5 km", "the same website host". */
export function ruleWords(rule: LikelyDuplicate['rule']): string {
  return rule === 'name' ? `the same name within ${DUPLICATE_RADIUS_KM} km` : 'the same website host';
}
