import { EntityManager } from 'typeorm';
import type { CreateHubCommand } from '../commands';
import { badInput, notFound } from '../errors';
import { requireRegion } from '../region/region.service';
import * as v from '../validate';
import { Hub, HubCoordinator, HubMember } from './hub.entity';
import { inTransaction } from '../unit-of-work';

async function requireStakeholders(manager: EntityManager, ids: string[], field: string): Promise<void> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM stakeholder WHERE id = ANY($1::uuid[])`, [ids]);
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw notFound('Stakeholder', ids[missing], `${field}[${missing}]`);
}

/** Refuses ids that name no hub, pointing at the first one (`field[i]`). */
export async function requireHubs(manager: EntityManager, ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const rows: { id: string }[] = await manager.query(`SELECT id FROM hub WHERE id = ANY($1::uuid[])`, [ids]);
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw notFound('Hub', ids[missing], `${field}[${missing}]`);
}

/** Most coordinators one hub lists. */
export const MAX_COORDINATORS = 20;

/** Creates a hub with its members and coordinators in one transaction. */
export async function createHub(db: EntityManager, input: CreateHubCommand): Promise<Hub> {
  return inTransaction(db, async (manager) => {
    const memberIds = [...new Set((input.memberIds ?? []).map((id, i) => v.uuid(`input.memberIds[${i}]`, id)))];
    await requireStakeholders(manager, memberIds, 'input.memberIds');
    const hub = await manager.save(
      manager.create(Hub, {
        name: v.requireText('input.name', input.name, 200),
        description: v.optionalText('input.description', input.description, 5000),
        regionCode: input.regionCode ? (await requireRegion(manager, 'input.regionCode', input.regionCode)).code : null,
      }),
    );
    await manager.insert(
      HubMember,
      memberIds.map((stakeholderId) => ({ hubId: hub.id, stakeholderId })),
    );
    if ((input.coordinators ?? []).length > MAX_COORDINATORS) {
      throw badInput(
        'input.coordinators',
        `must have at most ${MAX_COORDINATORS} items, got ${input.coordinators!.length}`,
      );
    }
    const coordinators = (input.coordinators ?? []).map((c, i) =>
      manager.create(HubCoordinator, {
        hubId: hub.id,
        name: v.requireText(`input.coordinators[${i}].name`, c.name, 200),
        email: v.optionalEmail(`input.coordinators[${i}].email`, c.email),
      }),
    );
    if (coordinators.length) await manager.save(coordinators);
    return hub;
  });
}

/** Adds stakeholders to a hub; members already in it stay once. */
export async function addHubMembers(db: EntityManager, hubId: string, stakeholderIds: string[]): Promise<Hub> {
  return inTransaction(db, async (manager) => {
    const hub = await manager.findOneBy(Hub, { id: v.uuid('hubId', hubId) });
    if (!hub) throw notFound('Hub', hubId, 'hubId');
    if (stakeholderIds.length === 0) throw badInput('stakeholderIds', 'must name at least one stakeholder');
    const ids = [...new Set(stakeholderIds.map((id, i) => v.uuid(`stakeholderIds[${i}]`, id)))];
    await requireStakeholders(manager, ids, 'stakeholderIds');
    await manager.query(
      `INSERT INTO hub_member (hub_id, stakeholder_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [hub.id, ids],
    );
    return hub;
  });
}
