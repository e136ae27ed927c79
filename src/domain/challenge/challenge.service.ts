import { EntityManager } from 'typeorm';
import { appendOutbox } from '../outbox';
import type { ChallengeQuery, CreateChallengeCommand, UpdateChallengeCommand } from '../commands';
import { ChallengePhase, PupilContact, StakeholderKind } from '../enums';
import { badInput, notFound } from '../errors';
import { resolveExpertiseLabels } from '../expertise/expertise.service';
import { resolvePlace } from '../geo/resolve-place';
import { Hub } from '../hub/hub.entity';
import { Mission } from '../mission/mission.entity';
import { keysetPage, Page, PageArgs } from '../pagination';
import { regionTreeSql, requireRegion } from '../region/region.service';
import { Stakeholder } from '../stakeholder/stakeholder.entity';
import * as v from '../validate';
import { Challenge } from './challenge.entity';
import { inTransaction } from '../unit-of-work';

/** Default search radius of a challenge, in km. */
export const DEFAULT_RADIUS_KM = 50;

async function requireSchool(manager: EntityManager, id: string): Promise<Stakeholder> {
  const school = await manager.findOneBy(Stakeholder, { id: v.uuid('input.schoolId', id) });
  if (!school) throw notFound('Stakeholder', id, 'input.schoolId');
  if (school.kind !== StakeholderKind.SCHOOL) {
    throw badInput('input.schoolId', `must be a stakeholder of kind SCHOOL, got ${school.kind}`);
  }
  return school;
}

async function requireOptional<T extends Hub | Mission>(
  manager: EntityManager,
  entity: new () => T,
  field: string,
  id: string | null | undefined,
): Promise<string | null> {
  if (id === undefined || id === null) return null;
  const found = await manager.findOneBy(entity as never, { id: v.uuid(field, id) } as never);
  if (!found) throw notFound(entity.name, id, field);
  return id;
}

const kinds = (values: StakeholderKind[] | null | undefined): StakeholderKind[] =>
  v.enumList('input.wantedKinds', values ?? [], Object.values(StakeholderKind));

/** Creates a challenge; location and region default to the school's. */
export async function createChallenge(db: EntityManager, input: CreateChallengeCommand): Promise<Challenge> {
  return inTransaction(db, async (manager) => {
    const school = await requireSchool(manager, input.schoolId);
    const place = input.location || input.regionCode ? await resolvePlace(manager, input) : school;
    const c = manager.create(Challenge, {
      title: v.requireText('input.title', input.title, 200),
      description: v.optionalText('input.description', input.description, 5000),
      schoolId: school.id,
      hubId: await requireOptional(manager, Hub, 'input.hubId', input.hubId),
      missionId: await requireOptional(manager, Mission, 'input.missionId', input.missionId),
      sdgIds: v.sdgList('input.sdgs', input.sdgs, { nonEmpty: true }),
      expertiseNeededIds: await resolveExpertiseLabels(
        manager,
        'input.expertiseNeeded',
        v.textList('input.expertiseNeeded', input.expertiseNeeded, 100),
      ),
      wantedKinds: kinds(input.wantedKinds),
      latitude: place.latitude ?? school.latitude,
      longitude: place.longitude ?? school.longitude,
      regionCode: place.regionCode ?? school.regionCode,
      radiusKm: v.numberInRange('input.radiusKm', input.radiusKm ?? DEFAULT_RADIUS_KM, 0.1, 20000),
      phase: input.phase ?? ChallengePhase.IDEA,
      pupilContact: input.pupilContact ?? PupilContact.SUPERVISED,
      plannedEndOn: input.plannedEndOn == null ? null : v.isoDate('input.plannedEndOn', input.plannedEndOn),
    });
    const saved = await manager.save(c);
    await appendOutbox(manager, { kind: 'challenge', id: saved.id, created: true });
    return saved;
  });
}

/** Applies the given fields of a patch in one transaction. */
export async function updateChallenge(
  db: EntityManager,
  id: string,
  input: UpdateChallengeCommand,
): Promise<Challenge> {
  return inTransaction(db, async (manager) => {
    const c = await manager.findOne(Challenge, {
      where: { id: v.uuid('id', id) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!c) throw notFound('Challenge', id, 'id');
    if (input.title != null) c.title = v.requireText('input.title', input.title, 200);
    if (input.description !== undefined) c.description = v.optionalText('input.description', input.description, 5000);
    if (input.sdgs != null) c.sdgIds = v.sdgList('input.sdgs', input.sdgs, { nonEmpty: true });
    if (input.expertiseNeeded != null) {
      c.expertiseNeededIds = await resolveExpertiseLabels(
        manager,
        'input.expertiseNeeded',
        v.textList('input.expertiseNeeded', input.expertiseNeeded, 100),
      );
    }
    if (input.wantedKinds != null) c.wantedKinds = kinds(input.wantedKinds);
    if (input.radiusKm != null) c.radiusKm = v.numberInRange('input.radiusKm', input.radiusKm, 0.1, 20000);
    if (input.hubId !== undefined) c.hubId = await requireOptional(manager, Hub, 'input.hubId', input.hubId);
    if (input.missionId !== undefined)
      c.missionId = await requireOptional(manager, Mission, 'input.missionId', input.missionId);
    if (input.phase != null) c.phase = input.phase;
    if (input.pupilContact != null) c.pupilContact = input.pupilContact;
    if (input.plannedEndOn !== undefined)
      c.plannedEndOn = input.plannedEndOn === null ? null : v.isoDate('input.plannedEndOn', input.plannedEndOn);
    if (input.location != null) {
      const place = await resolvePlace(manager, { location: input.location, regionCode: input.regionCode });
      Object.assign(c, { latitude: place.latitude, longitude: place.longitude, regionCode: place.regionCode });
    } else if (input.regionCode != null) {
      c.regionCode = (await requireRegion(manager, 'input.regionCode', input.regionCode)).code;
    }
    const saved = await manager.save(c);
    await appendOutbox(manager, { kind: 'challenge', id: saved.id, created: false });
    return saved;
  });
}

/** One page of challenges matching a filter, in creation order. */
export async function listChallenges(
  manager: EntityManager,
  filter: ChallengeQuery | null | undefined,
  page: PageArgs,
): Promise<Page<Challenge>> {
  const qb = manager.getRepository(Challenge).createQueryBuilder('c');
  const f = filter ?? {};
  if (f.schoolId) qb.andWhere('c.schoolId = :schoolId', { schoolId: v.uuid('filter.schoolId', f.schoolId) });
  if (f.hubId) qb.andWhere('c.hubId = :hubId', { hubId: v.uuid('filter.hubId', f.hubId) });
  if (f.missionId) qb.andWhere('c.missionId = :missionId', { missionId: v.uuid('filter.missionId', f.missionId) });
  if (f.phases?.length) qb.andWhere('c.phase IN (:...phases)', { phases: f.phases });
  if (f.sdgs?.length)
    qb.andWhere('c.sdgIds && CAST(:sdgs AS smallint[])', {
      sdgs: v.sdgList('filter.sdgs', f.sdgs, { nonEmpty: false }),
    });
  if (f.regionCode) {
    const region = await requireRegion(manager, 'filter.regionCode', f.regionCode);
    qb.andWhere(`c.regionCode IN ${regionTreeSql(':region')}`, { region: region.code });
  }
  return keysetPage(qb, 'c', page);
}
