import { EntityManager } from 'typeorm';
import type { CreateMissionCommand } from '../commands';
import * as v from '../validate';
import { Mission } from './mission.entity';

/** Creates a shared mission. */
export async function createMission(db: EntityManager, input: CreateMissionCommand): Promise<Mission> {
  return db.getRepository(Mission).save({
    title: v.requireText('input.title', input.title, 200),
    description: v.optionalText('input.description', input.description, 5000),
    sdgIds: v.sdgList('input.sdgs', input.sdgs, { nonEmpty: true }),
  });
}
