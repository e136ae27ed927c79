import { DataSource } from 'typeorm';
import { createApiKey, revokeApiKey } from '../domain/access/api-key.service';
import { Role } from '../domain/access/role';
import { DEMO_HUB_NAMES } from './seed-demo';

/** The keys a development start makes for the demo network, so that every IDE tab runs as shipped. */
export interface DemoKeys {
  /** The demo hub they act for. */
  hubId: string;
  hubName: string;
  /** A COORDINATOR key of that hub: its board, the brokering loop, registering partners, posting challenges. */
  coordinator: string;
  /** A PORTAL key of that hub: inviting partners to its challenges. */
  portal: string;
  /** How many keys of earlier starts this start revoked. */
  revoked: number;
}

/** The names the demo keys carry; a development start finds the previous start's keys by them. */
export const DEMO_KEY_NAMES: Readonly<Record<Role.COORDINATOR | Role.PORTAL, string>> = {
  [Role.COORDINATOR]: 'Demo coordinator (development start)',
  [Role.PORTAL]: 'Demo portal (development start)',
};

/**
 * Makes a COORDINATOR and a PORTAL key of the demo hub `hubId`, after revoking the ones an earlier
 * start made. The service stores only a key's hash, so a start cannot show an earlier start's
 * secret again: it revokes and recreates instead, in one transaction, and at most one pair is ever
 * live however often the service restarts. Returns undefined, making nothing, when `hubId` is
 * not one of the demo network's hubs (a database of real hubs never gets keys it did not ask for).
 * The caller decides that this is a development start ({@link Config.production} false).
 */
export async function renewDemoKeys(dataSource: DataSource, hubId: string | undefined): Promise<DemoKeys | undefined> {
  if (!hubId) return undefined;
  const [hub]: { name: string }[] = await dataSource.query('SELECT name FROM hub WHERE id = $1', [hubId]);
  if (!hub || !DEMO_HUB_NAMES.includes(hub.name)) return undefined;
  return dataSource.transaction(async (m) => {
    const earlier: { id: string }[] = await m.query(
      `SELECT id FROM api_key WHERE revoked_at IS NULL AND ((role = $1 AND name = $2) OR (role = $3 AND name = $4))`,
      [Role.COORDINATOR, DEMO_KEY_NAMES[Role.COORDINATOR], Role.PORTAL, DEMO_KEY_NAMES[Role.PORTAL]],
    );
    for (const { id } of earlier) await revokeApiKey(m, id);
    const make = async (role: Role.COORDINATOR | Role.PORTAL) =>
      (await createApiKey(m, { name: DEMO_KEY_NAMES[role], role, hubIds: [hubId] })).secret;
    return {
      hubId,
      hubName: hub.name,
      coordinator: await make(Role.COORDINATOR),
      portal: await make(Role.PORTAL),
      revoked: earlier.length,
    };
  });
}
