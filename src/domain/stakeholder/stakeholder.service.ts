import { boundingBox } from '../geo/bounding-box';
import { EntityManager } from 'typeorm';
import { appendOutbox } from '../outbox';
import type { CreateStakeholderCommand, StakeholderQuery, UpdateStakeholderCommand } from '../commands';
import { StakeholderKind, UnderservedContext } from '../enums';
import { badInput, DomainError, DomainErrorCode, notFound } from '../errors';
import { resolveExpertiseLabels } from '../expertise/expertise.service';
import { HubMember } from '../hub/hub.entity';
import { requireHubs } from '../hub/hub.service';
import { resolvePlace } from '../geo/resolve-place';
import { keysetPage, Page, PageArgs } from '../pagination';
import { regionTreeSql, requireRegion, requireRegionIn } from '../region/region.service';
import { slugify } from '../text';
import * as v from '../validate';
import { describeDuplicates, FamilyVisibility, findLikelyDuplicates, lockDuplicateKeys } from './duplicates';
import { coarsen } from './privacy';
import { Stakeholder } from './stakeholder.entity';
import { inTransaction } from '../unit-of-work';

/** Default for `capacity`: partnerships a stakeholder can take on at once. */
export const DEFAULT_CAPACITY = 3;

const contexts = (values: UnderservedContext[] | null | undefined): UnderservedContext[] =>
  v.enumList('input.underservedContexts', values ?? [], Object.values(UnderservedContext));

// A family's exact address is never stored: only a ~1 km grid point, enough for matching.
function familySafe<P extends { latitude: number | null; longitude: number | null }>(
  kind: StakeholderKind,
  place: P,
): P {
  if (kind !== StakeholderKind.FAMILY || place.latitude === null || place.longitude === null) return place;
  return { ...place, latitude: coarsen(place.latitude), longitude: coarsen(place.longitude) };
}

/** How {@link createStakeholder} looks for likely duplicates. */
export interface CreateStakeholderOptions {
  /**
   * The families the caller may see: only these can be reported (and refuse the create) as
   * likely duplicates; any other is passed over in silence.
   * @default [] (none)
   */
  families?: FamilyVisibility;
}

/**
 * Creates a stakeholder in one transaction, creating new expertise tags on the way. One that looks
 * like a stored stakeholder (see duplicates.ts) is refused with CONFLICT, naming the stored ones
 * (`extensions.existingIds`), unless `input.allowDuplicate` is true.
 */
export async function createStakeholder(
  db: EntityManager,
  input: CreateStakeholderCommand,
  options: CreateStakeholderOptions = {},
): Promise<Stakeholder> {
  // Families are people: they are only ever in the network because they said yes.
  if (input.kind === StakeholderKind.FAMILY && input.consentGiven !== true) {
    throw badInput('input.consentGiven', 'must be true to register a FAMILY: record their consent first');
  }
  const hubIds = [...new Set((input.hubIds ?? []).map((id, i) => v.uuid(`input.hubIds[${i}]`, id)))];
  return inTransaction(db, async (manager) => {
    const place = familySafe(input.kind, await resolvePlace(manager, input));
    const s = manager.create(Stakeholder, {
      kind: input.kind,
      name: v.requireText('input.name', input.name, 200),
      description: v.optionalText('input.description', input.description, 5000),
      ...place,
      sdgIds: v.sdgList('input.sdgs', input.sdgs, { nonEmpty: false }),
      expertiseIds: await resolveExpertiseLabels(
        manager,
        'input.expertise',
        v.textList('input.expertise', input.expertise, 100),
      ),
      languages: v.languageList('input.languages', input.languages ?? []),
      educationLevels: v.intList('input.educationLevels', input.educationLevels ?? [], 0, 8),
      capacity: v.intInRange('input.capacity', input.capacity ?? DEFAULT_CAPACITY, 0, 1000),
      serviceArea: input.serviceArea ?? null,
      underservedContexts: contexts(input.underservedContexts),
      contactEmail: v.optionalEmail('input.contactEmail', input.contactEmail),
      contactPhone: v.optionalText('input.contactPhone', input.contactPhone, 50),
      website: v.optionalWebsite('input.website', input.website),
      consentGivenAt: input.consentGiven ? new Date() : null,
    });
    await requireHubs(manager, hubIds, 'input.hubIds');
    if (input.allowDuplicate !== true) await refuseDuplicates(manager, s, options.families ?? []);
    const saved = await manager.save(s);
    await manager.insert(
      HubMember,
      hubIds.map((hubId) => ({ hubId, stakeholderId: saved.id })),
    );
    await appendOutbox(manager, { kind: 'stakeholder', id: saved.id, created: true });
    return saved;
  });
}

async function refuseDuplicates(manager: EntityManager, s: Stakeholder, families: FamilyVisibility): Promise<void> {
  await lockDuplicateKeys(manager, s);
  const found = await findLikelyDuplicates(manager, [s], families);
  if (found.length === 0) return;
  const field = found[0].rule === 'name' ? 'input.name' : 'input.website';
  throw new DomainError(
    DomainErrorCode.Conflict,
    `${field} looks like a stored stakeholder: ${describeDuplicates(found)}; ` +
      'to create it anyway, send input.allowDuplicate: true',
    field,
    found.map((d) => d.id),
  );
}

/** Applies the given fields of a patch; a location change re-derives the region unless one is given. */
export async function updateStakeholder(
  db: EntityManager,
  id: string,
  input: UpdateStakeholderCommand,
): Promise<Stakeholder> {
  return inTransaction(db, async (manager) => {
    const s = await manager.findOne(Stakeholder, {
      where: { id: v.uuid('id', id) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!s) throw notFound('Stakeholder', id, 'id');
    if (s.erasedAt) throw erased(s.id);
    if (input.name != null) s.name = v.requireText('input.name', input.name, 200);
    if (input.description !== undefined) s.description = v.optionalText('input.description', input.description, 5000);
    if (input.location != null || input.city != null || input.countryCode != null) {
      Object.assign(
        s,
        familySafe(s.kind, await resolvePlace(manager, { city: s.city, countryCode: s.countryCode, ...input })),
      );
    } else if (input.regionCode != null) {
      s.regionCode = (await requireRegionIn(manager, 'input.regionCode', input.regionCode, s.countryCode)).code;
    }
    if (input.sdgs != null) s.sdgIds = v.sdgList('input.sdgs', input.sdgs, { nonEmpty: false });
    if (input.expertise != null) {
      s.expertiseIds = await resolveExpertiseLabels(
        manager,
        'input.expertise',
        v.textList('input.expertise', input.expertise, 100),
      );
    }
    if (input.languages != null) s.languages = v.languageList('input.languages', input.languages);
    if (input.educationLevels != null)
      s.educationLevels = v.intList('input.educationLevels', input.educationLevels, 0, 8);
    if (input.capacity != null) s.capacity = v.intInRange('input.capacity', input.capacity, 0, 1000);
    if (input.serviceArea !== undefined) s.serviceArea = input.serviceArea;
    if (input.underservedContexts != null) s.underservedContexts = contexts(input.underservedContexts);
    if (input.contactEmail !== undefined) s.contactEmail = v.optionalEmail('input.contactEmail', input.contactEmail);
    if (input.contactPhone !== undefined) s.contactPhone = v.optionalText('input.contactPhone', input.contactPhone, 50);
    if (input.website !== undefined) s.website = v.optionalWebsite('input.website', input.website);
    const saved = await manager.save(s);
    await appendOutbox(manager, { kind: 'stakeholder', id: saved.id, created: false });
    return saved;
  });
}

const erased = (id: string) =>
  new DomainError(DomainErrorCode.Conflict, `id "${id}" names a stakeholder whose data was erased`, 'id');

/** Shown instead of an erased stakeholder's name. */
export const ERASED_NAME = 'Erased stakeholder';

/**
 * What an erased stakeholder keeps of its `externalId` (often a family's e-mail address), as SQL
 * over the column or value `sql`: a one-way digest, enough for an import to recognise the row and
 * leave it erased, not to read the id back.
 */
export const ERASED_EXTERNAL_ID_SQL = (sql: string) => `'erased:' || encode(sha256(convert_to(${sql}, 'UTF8')), 'hex')`;

/**
 * Removes a stakeholder's personal data for good, in one transaction: name, description, place,
 * contacts, profile, external id (a digest stays), hub memberships, stored matches, and the
 * messages of its partnerships. The row stays (kind, country and when consent was given) so that
 * partnerships stay counted, anonymously; it is never suggested again, and a re-import of the same
 * externalId does not bring it back.
 */
export async function eraseStakeholder(db: EntityManager, id: string): Promise<Stakeholder> {
  return inTransaction(db, async (manager) => {
    const s = await manager.findOne(Stakeholder, {
      where: { id: v.uuid('id', id) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!s) throw notFound('Stakeholder', id, 'id');
    if (s.erasedAt) return s;
    await manager.query(
      `UPDATE stakeholder SET name = $2, description = NULL, latitude = NULL, longitude = NULL, city = NULL,
         region_code = NULL,
         contact_email = NULL, contact_phone = NULL, website = NULL, sdg_ids = '{}', expertise_ids = '{}',
           languages = '{}',
         education_levels = '{}', capacity = 0, underserved_contexts = '{}', service_area = NULL,
         external_id = ${ERASED_EXTERNAL_ID_SQL('external_id')}, erased_at = now(), updated_at = now()
       WHERE id = $1`,
      [s.id, ERASED_NAME],
    );
    await manager.query('DELETE FROM hub_member WHERE stakeholder_id = $1', [s.id]);
    await manager.query('DELETE FROM match_event WHERE stakeholder_id = $1', [s.id]);
    await manager.query('DELETE FROM match_state WHERE stakeholder_id = $1', [s.id]);
    await manager.query('UPDATE partnership SET message = NULL WHERE stakeholder_id = $1', [s.id]);
    // What coordinators wrote about it goes too; the rows stay so a dismissal keeps holding.
    await manager.query('DELETE FROM shortlist_entry WHERE stakeholder_id = $1', [s.id]);
    // Safeguarding checks are facts about a person: erased with it.
    await manager.query('DELETE FROM safeguarding_check WHERE stakeholder_id = $1', [s.id]);
    await manager.query('UPDATE dismissal SET note = NULL WHERE stakeholder_id = $1', [s.id]);
    await manager.query('UPDATE activity SET detail = NULL WHERE stakeholder_id = $1', [s.id]);
    await manager.query(
      `UPDATE partnership_event SET note = NULL
       WHERE partnership_id IN (SELECT id FROM partnership WHERE stakeholder_id = $1)`,
      [s.id],
    );
    await appendOutbox(manager, { kind: 'stakeholder', id: s.id, created: false });
    return manager.findOneByOrFail(Stakeholder, { id: s.id });
  });
}

const LIKE_ESCAPED = (sql: string) => `replace(replace(replace(${sql}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;

/** One page of stakeholders matching a filter, in creation order. */
export async function listStakeholders(
  manager: EntityManager,
  filter: StakeholderQuery | null | undefined,
  page: PageArgs,
  opts: { familiesByName: 'all' | 'none' | readonly string[] } = { familiesByName: 'none' },
): Promise<Page<Stakeholder>> {
  const qb = manager.getRepository(Stakeholder).createQueryBuilder('s').where('s.erasedAt IS NULL');
  const f = filter ?? {};
  if (f.kinds?.length) qb.andWhere('s.kind IN (:...kinds)', { kinds: f.kinds });
  if (f.regionCode) {
    const region = await requireRegion(manager, 'filter.regionCode', f.regionCode);
    qb.andWhere(`s.regionCode IN ${regionTreeSql(':region')}`, { region: region.code });
  }
  if (f.sdgs?.length)
    qb.andWhere('s.sdgIds && CAST(:sdgs AS smallint[])', {
      sdgs: v.sdgList('filter.sdgs', f.sdgs, { nonEmpty: false }),
    });
  if (f.expertise?.length) {
    qb.andWhere('s.expertiseIds && ARRAY(SELECT id FROM expertise WHERE slug = ANY(CAST(:slugs AS text[])))', {
      slugs: f.expertise.map(slugify),
    });
  }
  if (f.hubId) {
    qb.andWhere('s.id IN (SELECT stakeholder_id FROM hub_member WHERE hub_id = :hubId)', {
      hubId: v.uuid('filter.hubId', f.hubId),
    });
  }
  if (f.search?.trim()) {
    // The text matches itself only: LIKE's `%`, `_` and escape `\` in it are escaped (after folding,
    // which could make one), so "50%" finds "50%", not every name with "50" in it.
    qb.andWhere(`fold_text(s.name) LIKE '%' || ${LIKE_ESCAPED('fold_text(:search)')} || '%'`, {
      search: f.search.trim(),
    });
    // Nobody finds a family by its name, except those who may see it.
    if (opts.familiesByName === 'none') qb.andWhere(`s.kind <> 'FAMILY'`);
    else if (opts.familiesByName !== 'all') {
      qb.andWhere(
        `(s.kind <> 'FAMILY' OR s.id IN (
           SELECT stakeholder_id FROM hub_member WHERE hub_id = ANY(CAST(:viewerHubs AS uuid[]))))`,
        {
          viewerHubs: opts.familiesByName,
        },
      );
    }
  }
  if (f.near) {
    const near = v.geoPoint('filter.near', f.near);
    const km = v.numberInRange('filter.near.radiusKm', f.near.radiusKm, 0, 20000);
    // The circle's box reads the point index (migration PointIndex); the great-circle distance decides.
    const box = boundingBox(near.latitude, near.longitude, km);
    qb.andWhere('s.latitude IS NOT NULL')
      .andWhere('point(s.longitude, s.latitude) <@ box(point(:lonMin, :latMin), point(:lonMax, :latMax))')
      .andWhere('earth_distance(ll_to_earth(:lat, :lon), ll_to_earth(s.latitude, s.longitude)) <= :m')
      .setParameters({ ...box, lat: near.latitude, lon: near.longitude, m: km * 1000 });
  }
  return keysetPage(qb, 's', page);
}

/** Whether a stakeholder is a school, as a challenge's poser must be. */
export function isSchool(s: Stakeholder): boolean {
  return s.kind === StakeholderKind.SCHOOL;
}
