import { MiddlewareFn } from 'type-graphql';
import { isPrivateField, maskedValue } from '../domain/stakeholder/privacy';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { Context } from './context';

/** Who is asking. Until API keys exist every request is PUBLIC. */
export interface Viewer {
  role: 'ADMIN' | 'COORDINATOR' | 'PORTAL' | 'PUBLIC';
  /** Hubs a COORDINATOR key coordinates. */
  hubIds: string[];
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ role: 'PUBLIC', hubIds: [] }) as Viewer;

async function maySeePrivate(ctx: Context, s: Stakeholder): Promise<boolean> {
  if (ctx.viewer.role === 'ADMIN') return true;
  if (ctx.viewer.role !== 'COORDINATOR') return false;
  const hubs = await ctx.loaders.hubsOfStakeholder.load(s.id);
  return hubs.some((h) => ctx.viewer.hubIds.includes(h.id));
}

/**
 * The one place field privacy is enforced: every Stakeholder field, on every path (queries,
 * mutation results, matches, subscriptions), passes through here.
 */
export const PrivacyMiddleware: MiddlewareFn<Context> = async ({ root, info, context }, next) => {
  const value = await next();
  if (info.parentType.name !== 'Stakeholder') return value;
  const s = root as Stakeholder;
  if (!isPrivateField(s.kind, info.fieldName)) return value;
  return (await maySeePrivate(context, s)) ? value : maskedValue(s, info.fieldName, value);
};
