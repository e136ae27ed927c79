import { DataSource, EntityManager } from 'typeorm';
import { appendOutbox } from '../outbox';
import { StakeholderKind } from '../enums';
import { nearestPlace } from '../geo/gazetteer';
import { coarsen } from '../stakeholder/privacy';
import { ERASED_EXTERNAL_ID_SQL } from '../stakeholder/stakeholder.service';
import { regionCatalogue } from '../region/region.service';
import { slugify } from '../text';
import { IMPORT_WRITERS, sideBySide } from './side-by-side';
import { holdBackDuplicates, ImportOptions, RowWarning } from './import-duplicates';
import {
  ChallengeRow,
  isRowError,
  Record,
  RowError,
  StakeholderRow,
  toChallengeRow,
  toStakeholderRow,
} from './import-row';
import { inTransaction, relayCommitted } from '../unit-of-work';

// Reading a file is its own module; callers find it beside the import.
export { readImportFile, readRecords } from './import-file';
export type { ImportFile } from './import-file';
export type { ImportOptions, RowWarning } from './import-duplicates';

/** What an import did (or, on a dry run, would do). */
export interface ImportReport {
  dryRun: boolean;
  rows: number;
  stakeholders: { inserted: number; updated: number };
  challenges: { inserted: number; updated: number };
  failed: number;
  errors: RowError[];
  /** Stakeholder rows held back because they look like stored stakeholders (see `warnings`). */
  heldBack: number;
  /** Why each held-back row was held back, naming the stored stakeholders it looks like. */
  warnings: RowWarning[];
  /** Stakeholders this import created (for live matching and partnerJoined); empty on a dry run. */
  newStakeholderIds: string[];
}

/** Rows per transaction: an interrupted import leaves whole batches, and re-running it resumes. */
export const IMPORT_BATCH = 2000;

async function expertiseIds(m: EntityManager, labels: string[]): Promise<Map<string, number>> {
  const bySlug = new Map<string, string>();
  for (const l of labels) {
    const slug = slugify(l);
    if (slug && !bySlug.has(slug)) bySlug.set(slug, l);
  }
  if (bySlug.size === 0) return new Map();
  // In one order (by slug): slices written side by side then never wait on each other's new tags in a cycle.
  const slugs = [...bySlug.keys()].sort();
  await m.query(
    `INSERT INTO expertise (slug, label) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`,
    [slugs, slugs.map((slug) => bySlug.get(slug))],
  );
  const rows: { id: number; slug: string }[] = await m.query(
    `SELECT id, slug FROM expertise WHERE slug = ANY($1::text[])`,
    [[...bySlug.keys()]],
  );
  return new Map(rows.map((r) => [r.slug, r.id]));
}

const ids = (labels: string[], map: Map<string, number>) => [
  ...new Set(labels.map((l) => map.get(slugify(l))!).filter((x) => x !== undefined)),
];

/** The one row an upsert statement returns: how many rows it inserted and updated, and their ids. */
interface UpsertSummary {
  inserted: number;
  updated: number;
  ids: string[];
  updated_ids: string[];
}

/**
 * Writes a slice of stakeholders (`$1`: their rows as JSON) and returns how many were inserted and
 * updated, with their ids. A row whose externalId an erasure left as a digest stays out: the check
 * reads only erased rows (migration ErasedExternalIds), never every stored stakeholder.
 */
export const UPSERT_STAKEHOLDERS_SQL = `WITH upserted AS (
       INSERT INTO stakeholder (external_id, kind, name, description, city, country_code, latitude, longitude,
         region_code,
         sdg_ids, expertise_ids, languages, education_levels, capacity, underserved_contexts, contact_email,
           contact_phone, website, consent_given_at,
         service_area)
       SELECT external_id, kind, name, description, city, country_code, latitude, longitude, region_code,
         ARRAY(SELECT jsonb_array_elements_text(sdg_ids))::smallint[],
           ARRAY(SELECT jsonb_array_elements_text(expertise_ids))::int[],
         ARRAY(SELECT jsonb_array_elements_text(languages)),
           ARRAY(SELECT jsonb_array_elements_text(education_levels))::smallint[],
         capacity, ARRAY(SELECT jsonb_array_elements_text(underserved_contexts)), contact_email, contact_phone, website,
         CASE WHEN consent THEN now() END, service_area
       FROM jsonb_to_recordset($1::jsonb) AS t(external_id text, kind text, name text, description text, city text,
         country_code text,
         latitude float8, longitude float8, region_code text, sdg_ids jsonb, expertise_ids jsonb, languages jsonb,
         education_levels jsonb, capacity int, underserved_contexts jsonb, contact_email text, contact_phone text,
           website text, consent boolean,
         service_area text)
       -- Erasure keeps only a digest of the externalId: a row that matches it stays out.
       WHERE NOT EXISTS (
         SELECT 1 FROM stakeholder e
         WHERE e.external_id = ${ERASED_EXTERNAL_ID_SQL('t.external_id')} AND e.erased_at IS NOT NULL
       )
       ON CONFLICT (external_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
         description = EXCLUDED.description,
         city = EXCLUDED.city, country_code = EXCLUDED.country_code, latitude = EXCLUDED.latitude,
           longitude = EXCLUDED.longitude,
         region_code = EXCLUDED.region_code, sdg_ids = EXCLUDED.sdg_ids, expertise_ids = EXCLUDED.expertise_ids,
         languages = EXCLUDED.languages, education_levels = EXCLUDED.education_levels, capacity = EXCLUDED.capacity,
         underserved_contexts = EXCLUDED.underserved_contexts, contact_email = EXCLUDED.contact_email,
         contact_phone = EXCLUDED.contact_phone, website = EXCLUDED.website, service_area = EXCLUDED.service_area,
         consent_given_at = COALESCE(stakeholder.consent_given_at, EXCLUDED.consent_given_at), updated_at = now()
       -- An erased stakeholder stays erased: a re-import of an old spreadsheet must not bring it back.
       WHERE stakeholder.erased_at IS NULL
       RETURNING id, (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
       coalesce(array_agg(id::text) FILTER (WHERE inserted), '{}') AS ids,
       coalesce(array_agg(id::text) FILTER (WHERE NOT inserted), '{}') AS updated_ids FROM upserted`;

async function writeStakeholders(
  m: EntityManager,
  rows: StakeholderRow[],
): Promise<{ inserted: number; updated: number; ids: string[] }> {
  const tags = await expertiseIds(
    m,
    rows.flatMap((r) => r.expertise),
  );
  const data = rows.map((r) => {
    // A family's exact address is never stored (see domain/stakeholder/privacy.ts).
    const family = r.kind === StakeholderKind.FAMILY && r.latitude !== null && r.longitude !== null;
    return {
      external_id: r.externalId,
      kind: r.kind,
      name: r.name,
      description: r.description,
      city: r.city,
      country_code: r.countryCode,
      latitude: family ? coarsen(r.latitude!) : r.latitude,
      longitude: family ? coarsen(r.longitude!) : r.longitude,
      region_code: r.regionCode,
      sdg_ids: r.sdgIds,
      expertise_ids: ids(r.expertise, tags),
      languages: r.languages,
      education_levels: r.educationLevels,
      capacity: r.capacity,
      underserved_contexts: r.underservedContexts,
      contact_email: r.contactEmail,
      contact_phone: r.contactPhone,
      website: r.website,
      consent: r.consentGiven,
      service_area: r.serviceArea,
    };
  });
  const [result]: UpsertSummary[] = await m.query(UPSERT_STAKEHOLDERS_SQL, [JSON.stringify(data)]);
  await appendOutbox(m, { kind: 'stakeholders', created: result.ids, updated: result.updated_ids });
  return { inserted: result.inserted, updated: result.updated, ids: result.ids };
}

async function writeChallenges(m: EntityManager, rows: ChallengeRow[]): Promise<{ inserted: number; updated: number }> {
  const tags = await expertiseIds(
    m,
    rows.flatMap((r) => r.expertiseNeeded),
  );
  const data = rows.map((r) => ({
    external_id: r.externalId,
    school: r.schoolExternalId,
    title: r.title,
    description: r.description,
    sdg_ids: r.sdgIds,
    expertise_needed_ids: ids(r.expertiseNeeded, tags),
    wanted_kinds: r.wantedKinds,
    radius_km: r.radiusKm,
    phase: r.phase,
    pupil_contact: r.pupilContact,
    planned_end_on: r.plannedEndOn,
  }));
  const [result]: UpsertSummary[] = await m.query(
    `WITH upserted AS (
       INSERT INTO challenge (external_id, school_id, title, description, sdg_ids, expertise_needed_ids,
         wanted_kinds, radius_km, phase, pupil_contact, planned_end_on,
         latitude, longitude, region_code)
       SELECT t.external_id, s.id, t.title, t.description,
         ARRAY(SELECT jsonb_array_elements_text(t.sdg_ids))::smallint[],
         ARRAY(SELECT jsonb_array_elements_text(t.expertise_needed_ids))::int[],
           ARRAY(SELECT jsonb_array_elements_text(t.wanted_kinds)),
         t.radius_km, t.phase, t.pupil_contact, t.planned_end_on, s.latitude, s.longitude, s.region_code
       FROM jsonb_to_recordset($1::jsonb) AS t(external_id text, school text, title text, description text,
         sdg_ids jsonb,
         expertise_needed_ids jsonb, wanted_kinds jsonb, radius_km float8, phase text, pupil_contact text,
         planned_end_on date)
       JOIN stakeholder s ON s.external_id = t.school
       ON CONFLICT (external_id) DO UPDATE SET school_id = EXCLUDED.school_id, title = EXCLUDED.title,
         description = EXCLUDED.description,
         sdg_ids = EXCLUDED.sdg_ids, expertise_needed_ids = EXCLUDED.expertise_needed_ids,
           wanted_kinds = EXCLUDED.wanted_kinds,
         radius_km = EXCLUDED.radius_km, phase = EXCLUDED.phase, pupil_contact = EXCLUDED.pupil_contact,
         planned_end_on = EXCLUDED.planned_end_on, latitude = EXCLUDED.latitude,
           longitude = EXCLUDED.longitude,
         region_code = EXCLUDED.region_code, updated_at = now()
       RETURNING id, (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
       count(*) FILTER (WHERE NOT inserted)::int AS updated,
       coalesce(array_agg(id::text) FILTER (WHERE inserted), '{}') AS ids,
       coalesce(array_agg(id::text) FILTER (WHERE NOT inserted), '{}') AS updated_ids FROM upserted`,
    [JSON.stringify(data)],
  );
  await appendOutbox(m, { kind: 'challenges', created: result.ids, updated: result.updated_ids });
  return { inserted: result.inserted, updated: result.updated };
}

/**
 * Imports stakeholders and challenges (a `record` column says which; stakeholder by default).
 * Every bad row is reported with its line, field and reason while the good rows go in, in
 * batches of {@link IMPORT_BATCH}, each in its own transaction; `externalId` makes a re-import
 * update rows instead of duplicating them.
 */
export async function importRecords(
  dataSource: DataSource,
  records: { line: number; record: Record }[],
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const errors: RowError[] = [];
  const stakeholders: StakeholderRow[] = [];
  const challenges: ChallengeRow[] = [];
  const seen = new Set<string>();
  const regions = await regionCatalogue(dataSource.manager);
  for (const { line, record } of records) {
    const type = (record.record ?? 'stakeholder').trim().toLowerCase();
    const row =
      type === 'challenge'
        ? toChallengeRow(line, record)
        : type === 'stakeholder'
          ? toStakeholderRow(line, record)
          : {
              line,
              field: 'record',
              message: `record must be "stakeholder" or "challenge", got "${record.record}"`,
            };
    if (isRowError(row)) {
      errors.push(row);
      continue;
    }
    const key = `${type}|${row.externalId}`;
    if (seen.has(key)) {
      errors.push({ line, field: 'externalId', message: `externalId "${row.externalId}" appears twice in this file` });
      continue;
    }
    seen.add(key);
    if ('kind' in row) {
      if (row.regionCode && !regions.has(row.regionCode)) {
        errors.push({
          line,
          field: 'regionCode',
          message: `regionCode must be a known ISO 3166 region code, got "${row.regionCode}"`,
        });
        continue;
      }
      if (!row.regionCode && row.latitude !== null && row.longitude !== null) {
        const place = nearestPlace(row.latitude, row.longitude);
        row.regionCode = regions.has(place.regionCode)
          ? place.regionCode
          : regions.has(place.country)
            ? place.country
            : null;
      }
      stakeholders.push(row);
    } else {
      challenges.push(row);
    }
  }
  const batch = opts.batchSize ?? IMPORT_BATCH;
  const { kept, held, warnings } = await holdBackDuplicates(dataSource, stakeholders, opts, batch);
  // A challenge needs its school: in this file or already in the database, and of kind SCHOOL.
  const schoolsInFile = new Map(stakeholders.map((s) => [s.externalId, s.kind]));
  const wanted = challenges.map((c) => c.schoolExternalId).filter((id) => !schoolsInFile.has(id));
  const stored: { external_id: string; kind: string }[] = wanted.length
    ? await dataSource.query('SELECT external_id, kind FROM stakeholder WHERE external_id = ANY($1::text[])', [wanted])
    : [];
  const schoolKind = new Map<string, string>([
    ...schoolsInFile,
    ...stored.map((s) => [s.external_id, s.kind] as [string, string]),
  ]);
  const goodChallenges = challenges.filter((c) => {
    const heldAt = held.get(c.schoolExternalId);
    if (heldAt !== undefined) {
      errors.push({
        line: c.line,
        field: 'schoolExternalId',
        message: `schoolExternalId "${c.schoolExternalId}" was held back as a likely duplicate (line ${heldAt})`,
      });
      return false;
    }
    const kind = schoolKind.get(c.schoolExternalId);
    if (kind === StakeholderKind.SCHOOL) return true;
    errors.push({
      line: c.line,
      field: 'schoolExternalId',
      message: kind
        ? `schoolExternalId must name a SCHOOL, got a ${kind}`
        : `schoolExternalId "${c.schoolExternalId}" is not in this file nor imported before`,
    });
    return false;
  });

  const report: ImportReport = {
    dryRun: Boolean(opts.dryRun),
    rows: records.length,
    stakeholders: { inserted: 0, updated: 0 },
    challenges: { inserted: 0, updated: 0 },
    failed: errors.length,
    errors: errors.sort((a, b) => a.line - b.line),
    heldBack: held.size,
    warnings,
    newStakeholderIds: [],
  };
  const total = kept.length + goodChallenges.length;
  let done = 0;
  type Written = { inserted: number; updated: number; ids?: string[] };
  const run = async <T extends { externalId: string }>(
    rows: T[],
    table: string,
    write: (m: EntityManager, rows: T[]) => Promise<Written>,
    into: { inserted: number; updated: number },
  ) => {
    const slices = Array.from({ length: Math.ceil(rows.length / batch) }, (_, k) =>
      rows.slice(k * batch, (k + 1) * batch),
    );
    const written = await sideBySide(slices.length, IMPORT_WRITERS, async (k): Promise<Written> => {
      const slice = slices[k];
      let r: Written;
      if (opts.dryRun) {
        const existing: { n: number }[] = await dataSource.query(
          `SELECT count(*)::int AS n FROM ${table} WHERE external_id = ANY($1::text[])`,
          [slice.map((row) => row.externalId)],
        );
        r = { updated: existing[0].n, inserted: slice.length - existing[0].n };
      } else {
        // Slices commit one by one (a few side by side); the import relays once, at its end.
        r = await inTransaction(dataSource.manager, (m) => write(m, slice), { relay: false });
      }
      done += slice.length;
      opts.onProgress?.(done, total);
      return r;
    });
    for (const r of written) {
      if (r.ids) report.newStakeholderIds.push(...r.ids);
      into.inserted += r.inserted;
      into.updated += r.updated;
    }
  };
  await run(kept, 'stakeholder', writeStakeholders, report.stakeholders);
  await run(goodChallenges, 'challenge', writeChallenges, report.challenges);
  if (!opts.dryRun) await relayCommitted(dataSource.manager, 'matching the import');
  return report;
}
