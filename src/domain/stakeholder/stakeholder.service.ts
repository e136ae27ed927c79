import { EntityManager } from 'typeorm';
import type {
  CreateStakeholderInput,
  StakeholderFilter,
  UpdateStakeholderInput,
} from '../../graphql/inputs/stakeholder.input';
import { StakeholderKind, UnderservedContext } from '../enums';
import { notFound } from '../errors';
import { resolveExpertiseLabels } from '../expertise/expertise.service';
import { resolvePlace } from '../geo/resolve-place';
import { keysetPage, Page, PageArgs } from '../pagination';
import { regionTreeSql, requireRegion } from '../region/region.service';
import { slugify } from '../text';
import * as v from '../validate';
import { coarsen } from './privacy';
import { Stakeholder } from './stakeholder.entity';

/** Default for `capacity`: partnerships a stakeholder can take on at once. */
export const DEFAULT_CAPACITY = 3;

function contexts(values: UnderservedContext[] | null | undefined): UnderservedContext[] {
  return [...new Set(values ?? [])];
}

// A family's exact address is never stored: only a ~1 km grid point, enough for matching.
function familySafe<P extends { latitude: number | null; longitude: number | null }>(kind: StakeholderKind, place: P): P {
  if (kind !== StakeholderKind.FAMILY || place.latitude === null || place.longitude === null) return place;
  return { ...place, latitude: coarsen(place.latitude), longitude: coarsen(place.longitude) };
}

/** Creates a stakeholder in one transaction, creating new expertise tags on the way. */
export async function createStakeholder(db: EntityManager, input: CreateStakeholderInput): Promise<Stakeholder> {
  return db.transaction(async (manager) => {
    const place = familySafe(input.kind, await resolvePlace(manager, input));
    const s = manager.create(Stakeholder, {
      kind: input.kind,
      name: v.requireText('input.name', input.name, 200),
      description: v.optionalText('input.description', input.description, 5000),
      ...place,
      sdgIds: v.sdgList('input.sdgs', input.sdgs, { nonEmpty: false }),
      expertiseIds: await resolveExpertiseLabels(manager, 'input.expertise', v.textList('input.expertise', input.expertise, 100)),
      languages: v.languageList('input.languages', input.languages ?? []),
      educationLevels: v.intList('input.educationLevels', input.educationLevels ?? [], 0, 8),
      capacity: v.intInRange('input.capacity', input.capacity ?? DEFAULT_CAPACITY, 0, 1000),
      underservedContexts: contexts(input.underservedContexts),
      contactEmail: v.optionalEmail('input.contactEmail', input.contactEmail),
      contactPhone: v.optionalText('input.contactPhone', input.contactPhone, 50),
      website: v.optionalText('input.website', input.website, 500),
    });
    return manager.save(s);
  });
}

/** Applies the given fields of a patch; a location change re-derives the region unless one is given. */
export async function updateStakeholder(db: EntityManager, id: string, input: UpdateStakeholderInput): Promise<Stakeholder> {
  return db.transaction(async (manager) => {
    const s = await manager.findOne(Stakeholder, { where: { id: v.uuid('id', id) }, lock: { mode: 'pessimistic_write' } });
    if (!s) throw notFound('Stakeholder', id, 'id');
    if (input.name != null) s.name = v.requireText('input.name', input.name, 200);
    if (input.description !== undefined) s.description = v.optionalText('input.description', input.description, 5000);
    if (input.location != null || input.city != null || input.countryCode != null) {
      Object.assign(s, familySafe(s.kind, await resolvePlace(manager, { city: s.city, countryCode: s.countryCode, ...input })));
    } else if (input.regionCode != null) {
      s.regionCode = (await requireRegion(manager, 'input.regionCode', input.regionCode)).code;
    }
    if (input.sdgs != null) s.sdgIds = v.sdgList('input.sdgs', input.sdgs, { nonEmpty: false });
    if (input.expertise != null) {
      s.expertiseIds = await resolveExpertiseLabels(manager, 'input.expertise', v.textList('input.expertise', input.expertise, 100));
    }
    if (input.languages != null) s.languages = v.languageList('input.languages', input.languages);
    if (input.educationLevels != null) s.educationLevels = v.intList('input.educationLevels', input.educationLevels, 0, 8);
    if (input.capacity != null) s.capacity = v.intInRange('input.capacity', input.capacity, 0, 1000);
    if (input.underservedContexts != null) s.underservedContexts = contexts(input.underservedContexts);
    if (input.contactEmail !== undefined) s.contactEmail = v.optionalEmail('input.contactEmail', input.contactEmail);
    if (input.contactPhone !== undefined) s.contactPhone = v.optionalText('input.contactPhone', input.contactPhone, 50);
    if (input.website !== undefined) s.website = v.optionalText('input.website', input.website, 500);
    return manager.save(s);
  });
}

/** One page of stakeholders matching a filter, in creation order. */
export async function listStakeholders(
  manager: EntityManager,
  filter: StakeholderFilter | null | undefined,
  page: PageArgs,
  opts: { familiesByName: boolean } = { familiesByName: false },
): Promise<Page<Stakeholder>> {
  const qb = manager.getRepository(Stakeholder).createQueryBuilder('s');
  const f = filter ?? {};
  if (f.kinds?.length) qb.andWhere('s.kind IN (:...kinds)', { kinds: f.kinds });
  if (f.regionCode) {
    const region = await requireRegion(manager, 'filter.regionCode', f.regionCode);
    qb.andWhere(
      `s.regionCode IN ${regionTreeSql(':region')}`,
      { region: region.code },
    );
  }
  if (f.sdgs?.length) qb.andWhere('s.sdgIds && CAST(:sdgs AS smallint[])', { sdgs: v.sdgList('filter.sdgs', f.sdgs, { nonEmpty: false }) });
  if (f.expertise?.length) {
    qb.andWhere('s.expertiseIds && ARRAY(SELECT id FROM expertise WHERE slug = ANY(CAST(:slugs AS text[])))', {
      slugs: f.expertise.map(slugify),
    });
  }
  if (f.hubId) {
    qb.andWhere('s.id IN (SELECT stakeholder_id FROM hub_member WHERE hub_id = :hubId)', { hubId: v.uuid('filter.hubId', f.hubId) });
  }
  if (f.search?.trim()) {
    qb.andWhere(`fold_text(s.name) LIKE '%' || fold_text(:search) || '%'`, { search: f.search.trim() });
    // Nobody finds a family by its name, except those who may see it.
    if (!opts.familiesByName) qb.andWhere(`s.kind <> 'FAMILY'`);
  }
  if (f.near) {
    const near = v.geoPoint('filter.near', f.near);
    const km = v.numberInRange('filter.near.radiusKm', f.near.radiusKm, 0, 20000);
    qb.andWhere('s.latitude IS NOT NULL')
      .andWhere('earth_box(ll_to_earth(:lat, :lon), :m) @> ll_to_earth(s.latitude, s.longitude)')
      .andWhere('earth_distance(ll_to_earth(:lat, :lon), ll_to_earth(s.latitude, s.longitude)) <= :m')
      .setParameters({ lat: near.latitude, lon: near.longitude, m: km * 1000 });
  }
  return keysetPage(qb, 's', page);
}

/** Whether a stakeholder is a school, as a challenge's poser must be. */
export function isSchool(s: Stakeholder): boolean {
  return s.kind === StakeholderKind.SCHOOL;
}
