import { AuthChecker } from 'type-graphql';
import { EntityManager } from 'typeorm';
import { KEY_RULES, Role, Viewer } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import * as v from '../domain/validate';
import { Context } from './context';
import type { Actor } from '../domain/brokering/activity.service';
import { hubsManagingChallenge } from '../domain/challenge/managing-hubs';

/**
 * Who may call each mutation: the one table resolvers take their `@Authorized` roles from, and
 * the table the access tests walk. A mutation missing here fails the schema test.
 *
 * PUBLISHABLE is in no row, on purpose: a publishable key sits in public HTML, so whoever reads
 * the page holds it. The widget's only write without a coordinator is `invitePartner`, exactly
 * the write a copied key must not make; the widget with a publishable key only reads.
 */
export const MUTATION_ROLES = {
  createHub: [Role.ADMIN],
  addHubMembers: [Role.ADMIN, Role.COORDINATOR],
  createMission: [Role.ADMIN, Role.COORDINATOR],
  createStakeholder: [Role.ADMIN, Role.COORDINATOR],
  updateStakeholder: [Role.ADMIN, Role.COORDINATOR],
  eraseStakeholder: [Role.ADMIN, Role.COORDINATOR],
  createChallenge: [Role.ADMIN, Role.COORDINATOR],
  updateChallenge: [Role.ADMIN, Role.COORDINATOR],
  invitePartner: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  respondToInvitation: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  importStakeholders: [Role.ADMIN],
  shortlistPartner: [Role.ADMIN, Role.COORDINATOR],
  removeFromShortlist: [Role.ADMIN, Role.COORDINATOR],
  dismissSuggestion: [Role.ADMIN, Role.COORDINATOR],
  undoDismissal: [Role.ADMIN, Role.COORDINATOR],
  approveInvitation: [Role.ADMIN, Role.COORDINATOR],
  withdrawInvitation: [Role.ADMIN, Role.COORDINATOR],
  completePartnership: [Role.ADMIN, Role.COORDINATOR],
  updateHub: [Role.ADMIN, Role.COORDINATOR],
  createApiKey: [Role.ADMIN],
  revokeApiKey: [Role.ADMIN],
  createWebhookEndpoint: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  updateWebhookEndpoint: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  rotateWebhookSecret: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  deleteWebhookEndpoint: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  redeliverWebhook: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  subscribeToDigest: [Role.ADMIN, Role.COORDINATOR],
  // A portal records for the partners of its hubs (as it answers for them); only a coordinator verifies.
  recordSafeguardingCheck: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  verifySafeguardingCheck: [Role.ADMIN, Role.COORDINATOR],
  withdrawSafeguardingCheck: [Role.ADMIN, Role.COORDINATOR],
} satisfies Record<string, Role[]>;

/** Query fields that need a key (everything else is a public read, which is all a PUBLISHABLE key gets). */
export const QUERY_ROLES = {
  apiKeys: [Role.ADMIN],
  hubBoard: [Role.ADMIN, Role.COORDINATOR],
  activity: [Role.ADMIN, Role.COORDINATOR],
  invitationDraft: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  webhookEndpoints: [Role.ADMIN, Role.COORDINATOR, Role.PORTAL],
  webhookHealth: [Role.ADMIN],
  digestSubscriptions: [Role.ADMIN, Role.COORDINATOR],
} satisfies Record<string, Role[]>;

/** The domain's view of who acts: the key and its role. */
export function actorOf(ctx: Context): Actor {
  return { keyId: ctx.viewer.keyId, role: ctx.viewer.role };
}

/** Refusal for a viewer outside `roles`: no key → UNAUTHENTICATED, a key without the right → FORBIDDEN. */
export function refusal(viewer: Viewer, operation: string, roles: readonly string[]): DomainError {
  if (viewer.role === 'PUBLIC') {
    return new DomainError(
      DomainErrorCode.Unauthenticated,
      `${operation} needs an API key with role ${roles.join(' or ')}`,
    );
  }
  return new DomainError(
    DomainErrorCode.Forbidden,
    `${operation} is not allowed for a ${viewer.role} key; it needs ${roles.join(' or ')}`,
  );
}

/** type-graphql's check behind every `@Authorized(...)`: it throws our own errors, with codes. */
export const authChecker: AuthChecker<Context> = ({ context, info }, roles) => {
  if (roles.includes(context.viewer.role)) return true;
  throw refusal(context.viewer, info.fieldName, roles);
};

/** Roles whose keys act for hubs; any other key (PUBLISHABLE) reaches nothing through hubs. */
export const HUB_ROLES: readonly string[] = Object.values(Role).filter((r) => KEY_RULES[r].hubs === 'some');

/** What a hub-scoped write is about; a COORDINATOR or PORTAL key must reach it through its hubs. */
export type Scope =
  | { stakeholderId: string }
  | { stakeholderIds: readonly string[] }
  | { challengeId: string }
  | { partnershipId: string }
  | { hubIds: readonly string[] };

async function inScope(db: EntityManager, scope: Scope, hubIds: readonly string[]): Promise<boolean> {
  const hubs = [...hubIds];
  if ('hubIds' in scope) return scope.hubIds.length > 0 && scope.hubIds.every((h) => hubs.includes(h));
  let rows: unknown[];
  if ('stakeholderIds' in scope) {
    // Every one of them: rights over a stakeholder come from a hub that already holds it.
    const ids = [...new Set(scope.stakeholderIds.map((id, i) => v.uuid(`stakeholderIds[${i}]`, id)))];
    const held: { n: number }[] = await db.query(
      `SELECT count(DISTINCT stakeholder_id)::int AS n FROM hub_member
       WHERE stakeholder_id = ANY($1::uuid[]) AND hub_id = ANY($2::uuid[])`,
      [ids, hubs],
    );
    return ids.length === 0 || held[0].n === ids.length;
  }
  if ('stakeholderId' in scope) {
    rows = await db.query('SELECT 1 FROM hub_member WHERE stakeholder_id = $1 AND hub_id = ANY($2::uuid[]) LIMIT 1', [
      v.uuid('stakeholderId', scope.stakeholderId),
      hubs,
    ]);
  } else if ('challengeId' in scope) {
    // Who manages a challenge has one definition (managing-hubs.ts).
    const managing = await hubsManagingChallenge(db, v.uuid('challengeId', scope.challengeId));
    rows = managing?.some((h) => hubs.includes(h)) ? [managing] : [];
  } else {
    // Responding is done on behalf of the invited stakeholder.
    rows = await db.query(
      `SELECT 1 FROM partnership p JOIN hub_member m ON m.stakeholder_id = p.stakeholder_id
       WHERE p.id = $1 AND m.hub_id = ANY($2::uuid[]) LIMIT 1`,
      [v.uuid('partnershipId', scope.partnershipId), hubs],
    );
  }
  return rows.length > 0;
}

/**
 * Refuses a COORDINATOR or PORTAL key whose hubs do not reach what the write is about. Runs
 * before the write's transaction, so a refusal never leaves anything half-written.
 */
export async function requireScope(ctx: Context, operation: string, scope: Scope): Promise<void> {
  if (ctx.viewer.role === Role.ADMIN) return;
  if (ctx.viewer.role === 'PUBLIC') throw refusal(ctx.viewer, operation, [Role.ADMIN]);
  // Explicit, not left to an empty hub list: a key that acts for no hub never passes a hub check.
  if (!HUB_ROLES.includes(ctx.viewer.role)) throw refusal(ctx.viewer, operation, [Role.ADMIN, ...HUB_ROLES]);
  if (await inScope(ctx.dataSource.manager, scope, ctx.viewer.hubIds)) return;
  const what =
    'hubIds' in scope
      ? 'those hubs'
      : 'stakeholderIds' in scope
        ? 'every one of those stakeholders'
        : `the hubs of that ${Object.keys(scope)[0].replace(/Id$/, '')}`;
  throw new DomainError(
    DomainErrorCode.Forbidden,
    `${operation}: this ${ctx.viewer.role} key does not act for ${what}`,
  );
}
