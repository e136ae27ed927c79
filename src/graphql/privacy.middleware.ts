import { MiddlewareFn } from 'type-graphql';
import { Role } from '../domain/access/role';
import { HubCoordinator } from '../domain/hub/hub.entity';
import { Partnership, PartnershipEvent } from '../domain/partnership/partnership.entity';
import { CONTACT_FIELDS, FAMILY_FIELDS, isPrivateField, maskedValue } from '../domain/stakeholder/privacy';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { Context } from './context';

/**
 * Private fields by GraphQL type: personal data and contact details. The schema test fails when
 * a field that looks personal (email, phone, contact…) is not listed here.
 */
export const PRIVATE_FIELDS: Record<string, readonly string[]> = {
  // The domain's own lists (domain/stakeholder/privacy.ts): contacts of everyone, and a family's person.
  Stakeholder: [...CONTACT_FIELDS, ...FAMILY_FIELDS],
  HubCoordinator: ['email'],
  // What people write to each other about an invitation is correspondence, not public data.
  Partnership: ['message'],
  PartnershipEvent: ['note'],
};

async function maySeeStakeholder(ctx: Context, s: Stakeholder): Promise<boolean> {
  if (ctx.viewer.role === Role.ADMIN) return true;
  if (ctx.viewer.role !== Role.COORDINATOR) return false;
  const hubs = await ctx.loaders.hubsOfStakeholder.load(s.id);
  return hubs.some((h) => ctx.viewer.hubIds.includes(h.id));
}

// A coordinator sees an invitation's words when it coordinates the invitee, or manages the
// challenge: its hub when it was posted for one (that hub's alone), else the posing school's hubs.
// The same rule as the challenge's own rights (access.ts), so no other hub of the school reads it.
async function maySeePartnership(ctx: Context, partnershipId: string): Promise<boolean> {
  if (ctx.viewer.role === Role.ADMIN) return true;
  if (ctx.viewer.role !== Role.COORDINATOR) return false;
  const p = await ctx.loaders.partnership.load(partnershipId);
  const challenge = await ctx.loaders.challenge.load(p.challengeId);
  const mine = (hubs: readonly { id: string }[]) => hubs.some((h) => ctx.viewer.hubIds.includes(h.id));
  if (mine(await ctx.loaders.hubsOfStakeholder.load(p.stakeholderId))) return true;
  if (challenge.hubId) return ctx.viewer.hubIds.includes(challenge.hubId);
  return mine(await ctx.loaders.hubsOfStakeholder.load(challenge.schoolId));
}

function maySeeCoordinator(ctx: Context, c: HubCoordinator): boolean {
  return (
    ctx.viewer.role === Role.ADMIN || (ctx.viewer.role === Role.COORDINATOR && ctx.viewer.hubIds.includes(c.hubId))
  );
}

/**
 * The one place field privacy is enforced: every field of a type with private fields, on every
 * path (queries, mutation results, matches, subscriptions), passes through here. Only ADMIN keys
 * and the coordinators of a hub the person or organisation belongs to see private values.
 */
export const PrivacyMiddleware: MiddlewareFn<Context> = async ({ root, info, context }, next) => {
  const value = await next();
  switch (info.parentType.name) {
    case 'Stakeholder': {
      const s = root as Stakeholder;
      if (!isPrivateField(s.kind, info.fieldName)) return value;
      return (await maySeeStakeholder(context, s)) ? value : maskedValue(s, info.fieldName, value);
    }
    case 'HubCoordinator':
      return info.fieldName === 'email' && !maySeeCoordinator(context, root as HubCoordinator) ? null : value;
    case 'Partnership':
      return info.fieldName === 'message' &&
        value !== null &&
        !(await maySeePartnership(context, (root as Partnership).id))
        ? null
        : value;
    case 'PartnershipEvent':
      return info.fieldName === 'note' &&
        value !== null &&
        !(await maySeePartnership(context, (root as PartnershipEvent).partnershipId))
        ? null
        : value;
    default:
      return value;
  }
};
