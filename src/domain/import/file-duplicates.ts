/**
 * Likely duplicates within one import file: a new row that looks like an earlier new row of the
 * same file — the same name key within {@link DUPLICATE_RADIUS_KM}, or the same website host —
 * by the same rules as against stored stakeholders (stakeholder/duplicates.ts). The keys are the
 * database's own functions (`stakeholder_name_key`, `website_host`), read for a slice of rows per
 * statement; the comparison is bounded: rows are bucketed by key and latitude band, and at most
 * {@link FILE_COMPARISONS_PER_ROW} earlier rows are looked at per row and rule.
 */
import { DataSource } from 'typeorm';
import { distanceKm } from '../../matching/proximity';
import { DUPLICATE_RADIUS_KM, DUPLICATES_PER_ROW, SHARED_HOSTS } from '../stakeholder/duplicates';
import { StakeholderRow } from './import-row';
import { pushTo } from '../map-lists';

/**
 * Earlier rows looked at per row and rule (a file of thousands of same-named chapters stays linear).
 * @default 200
 */
export const FILE_COMPARISONS_PER_ROW = 200;

/** An earlier row of the file a row looks like, and why. */
export interface FileDuplicate {
  line: number;
  name: string;
  rule: 'name' | 'website';
}

// A band a little wider than the radius (1° of latitude is 111.2 km): a row's neighbours within
// the radius lie in its band or the next one on either side.
const BAND_DEGREES = 0.05;

interface Keys {
  nameKey: string | null;
  host: string | null;
  /** Its externalId is stored: an update, not a new stakeholder. */
  stored: boolean;
}

async function keysOf(db: DataSource, rows: readonly StakeholderRow[]): Promise<Keys[]> {
  const found: (Keys & { i: number })[] = await db.query(
    `SELECT c.i, stakeholder_name_key(c.name) AS "nameKey", website_host(c.website) AS host,
       EXISTS (SELECT 1 FROM stakeholder e WHERE e.external_id = c.external_id) AS stored
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(name, website, external_id, i)`,
    [rows.map((r) => r.name), rows.map((r) => r.website), rows.map((r) => r.externalId)],
  );
  const keys: Keys[] = [];
  for (const k of found) keys[Number(k.i) - 1] = k;
  return keys;
}

/**
 * For each row of `rows` (in file order) that looks like earlier new rows of the file, those rows
 * (at most {@link DUPLICATES_PER_ROW} per rule). Updates of stored rows are not compared; a row
 * that `allowed` says may be a duplicate is not held back, but later rows are compared with it.
 */
export async function findFileDuplicates(
  db: DataSource,
  rows: readonly StakeholderRow[],
  batch: number,
  allowed: (row: StakeholderRow) => boolean,
): Promise<Map<StakeholderRow, FileDuplicate[]>> {
  const keys: Keys[] = [];
  for (let i = 0; i < rows.length; i += batch) keys.push(...(await keysOf(db, rows.slice(i, i + batch))));
  const byName = new Map<string, StakeholderRow[]>();
  const byHost = new Map<string, StakeholderRow[]>();
  const found = new Map<StakeholderRow, FileDuplicate[]>();
  const shared = new Set(SHARED_HOSTS);
  rows.forEach((row, i) => {
    const { nameKey, host, stored } = keys[i];
    if (stored) return;
    const same: FileDuplicate[] = [];
    const located = row.latitude !== null && row.longitude !== null;
    const band = located ? Math.floor(row.latitude! / BAND_DEGREES) : 0;
    if (nameKey && located) {
      const near: FileDuplicate[] = [];
      for (const b of [band - 1, band, band + 1]) {
        for (const earlier of (byName.get(`${nameKey}|${b}`) ?? []).slice(0, FILE_COMPARISONS_PER_ROW)) {
          const km = distanceKm(row.latitude!, row.longitude!, earlier.latitude!, earlier.longitude!);
          if (km <= DUPLICATE_RADIUS_KM) near.push({ line: earlier.line, name: earlier.name, rule: 'name' });
        }
      }
      same.push(...near.sort((a, b) => a.line - b.line).slice(0, DUPLICATES_PER_ROW));
      pushTo(byName, `${nameKey}|${band}`, row);
    }
    if (host && !shared.has(host)) {
      for (const earlier of (byHost.get(host) ?? []).slice(0, DUPLICATES_PER_ROW)) {
        if (!same.some((d) => d.line === earlier.line))
          same.push({ line: earlier.line, name: earlier.name, rule: 'website' });
      }
      pushTo(byHost, host, row);
    }
    if (same.length && !allowed(row)) found.set(row, same);
  });
  return found;
}
