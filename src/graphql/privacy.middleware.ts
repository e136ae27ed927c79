/**
 * Field privacy: the private fields of the schema, and the guards that mask them. Only these
 * fields are wrapped (see {@link wrapPrivateFields}); every other field resolves as graphql-js
 * would, synchronously, with no promise per field.
 */
import { defaultFieldResolver, GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { Role } from '../domain/access/role';
import { HubCoordinator } from '../domain/hub/hub.entity';
import { Partnership, PartnershipEvent } from '../domain/partnership/partnership.entity';
import {
  CONTACT_FIELDS,
  FAMILY_FIELDS,
  isPrivateField,
  maskedValue,
  SAFEGUARDING_FIELDS,
} from '../domain/stakeholder/privacy';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { checkDeadline, Context } from './context';
import { markWrapped } from './wrapped-fields';
import { managedThroughSchool, managingHubs } from '../domain/challenge/managing-hubs';

/**
 * Private fields by GraphQL type: personal data and contact details. The schema test fails when
 * a field that looks personal (email, phone, contact…) is not listed here.
 */
export const PRIVATE_FIELDS: Record<string, readonly string[]> = {
  // The domain's own lists (domain/stakeholder/privacy.ts): contacts of everyone, and a family's person.
  Stakeholder: [...CONTACT_FIELDS, ...FAMILY_FIELDS, ...SAFEGUARDING_FIELDS],
  HubCoordinator: ['email'],
  // Who gets a hub's digest: its coordinators' business (the only roles that list them anyway).
  DigestSubscription: ['email'],
  // What people write to each other about an invitation is correspondence, not public data.
  Partnership: ['message'],
  PartnershipEvent: ['note'],
};

/** Whether the viewer sees an object's private fields: known at once, or once a few rows are loaded. */
type Decision = boolean | Promise<boolean>;

/**
 * The decision for one object, made once per object and request (every private field of a row
 * asks the same question), and kept in the context so no other viewer ever reads it.
 */
function decided(ctx: Context, root: object, decide: () => Decision): Decision {
  let decision = ctx.privacy.get(root);
  if (decision === undefined) ctx.privacy.set(root, (decision = decide()));
  return decision;
}

const mine = (ctx: Context, hubs: readonly { id: string }[]) => hubs.some((h) => ctx.viewer.hubIds.includes(h.id));

// Only a coordinator's answer depends on data (the person's hubs); every other role's is its role.
function maySeeStakeholder(ctx: Context, s: Stakeholder): Decision {
  if (ctx.viewer.role === Role.ADMIN) return true;
  if (ctx.viewer.role !== Role.COORDINATOR) return false;
  return ctx.loaders.hubsOfStakeholder.load(s.id).then((hubs) => mine(ctx, hubs));
}

// A coordinator sees an invitation's words when it coordinates the invitee, or manages the
// challenge: its hub when it was posted for one (that hub's alone), else the posing school's hubs.
// The same rule as the challenge's own rights (access.ts), so no other hub of the school reads it.
function maySeePartnership(ctx: Context, partnershipId: string): Decision {
  if (ctx.viewer.role === Role.ADMIN) return true;
  if (ctx.viewer.role !== Role.COORDINATOR) return false;
  return (async () => {
    const p = await ctx.loaders.partnership.load(partnershipId);
    if (mine(ctx, await ctx.loaders.hubsOfStakeholder.load(p.stakeholderId))) return true;
    return managesChallenge(ctx, p.challengeId);
  })();
}

/**
 * Whether the viewer's hubs manage a challenge (managing-hubs.ts), read through the request's
 * loaders, so a page of rows about one challenge asks once. The caller has checked the role.
 */
export async function managesChallenge(ctx: Context, challengeId: string): Promise<boolean> {
  const challenge = await ctx.loaders.challenge.load(challengeId);
  const schoolHubs = managedThroughSchool(challenge)
    ? await ctx.loaders.hubsOfStakeholder.load(challenge.schoolId)
    : [];
  return managingHubs(
    challenge,
    schoolHubs.map((h) => h.id),
  ).some((h) => ctx.viewer.hubIds.includes(h));
}

function maySeeCoordinator(ctx: Context, c: { hubId: string }): boolean {
  return (
    ctx.viewer.role === Role.ADMIN || (ctx.viewer.role === Role.COORDINATOR && ctx.viewer.hubIds.includes(c.hubId))
  );
}

const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';

/** `shown(allowed, value)` once both are known: synchronously when neither is a promise. */
function reveal(decision: Decision, value: unknown, shown: (allowed: boolean, value: unknown) => unknown): unknown {
  if (!isThenable(value) && typeof decision === 'boolean') return shown(decision, value);
  return Promise.all([decision, value]).then(([allowed, v]) => shown(allowed, v));
}

/** What a private field of `row` shows the viewer, given the value the field resolved to. */
type Guard<R extends object = object> = (row: R, ctx: Context, field: string, value: unknown) => unknown;

/**
 * A type's guard as the wrapper calls it, with any parent: graphql-js hands a field's resolver
 * its parent object, which for a field of this type is, by the schema, a row of this type.
 */
const guardOf = <R extends object>(guard: Guard<R>): Guard => guard as Guard;

/** An invitation's words (its message, its events' notes): shown to who may see its partnership. */
function correspondence<T extends object>(partnershipOf: (row: T) => string): Guard {
  return guardOf((row: T, ctx, _field, value) =>
    value === null
      ? null
      : reveal(
          decided(ctx, row, () => maySeePartnership(ctx, partnershipOf(row))),
          value,
          (ok, v) => (ok ? v : null),
        ),
  );
}

// What each type's private field shows a viewer: the same rules as before this became per-field
// wrapping (a family's name becomes its label, contacts null, correspondence null).
const GUARDS: Record<string, Guard> = {
  Stakeholder: guardOf((s: Stakeholder, ctx, field, value) =>
    !isPrivateField(s.kind, field)
      ? value
      : reveal(
          decided(ctx, s, () => maySeeStakeholder(ctx, s)),
          value,
          (ok, v) => (ok ? v : maskedValue(s, field, v)),
        ),
  ),
  HubCoordinator: guardOf((c: HubCoordinator, ctx, _field, value) => (maySeeCoordinator(ctx, c) ? value : null)),
  DigestSubscription: guardOf((d: { hubId: string }, ctx, _field, value) => (maySeeCoordinator(ctx, d) ? value : null)),
  Partnership: correspondence((p: Partnership) => p.id),
  PartnershipEvent: correspondence((e: PartnershipEvent) => e.partnershipId),
};

/**
 * Wraps each field of PRIVATE_FIELDS in its type's guard: the one place field privacy is enforced,
 * on every path (queries, mutation results, matches, subscriptions), since every path resolves
 * these fields of these types. Only ADMIN keys and the coordinators of a hub the person or
 * organisation belongs to see private values.
 */
export function wrapPrivateFields(schema: GraphQLSchema): void {
  for (const [typeName, fields] of Object.entries(PRIVATE_FIELDS)) {
    const type = schema.getType(typeName);
    const guard = GUARDS[typeName];
    if (!isObjectType(type) || !guard) throw new Error(`PRIVATE_FIELDS names ${typeName}, not a guarded object type`);
    for (const name of fields) {
      const field = type.getFields()[name];
      if (!field) throw new Error(`PRIVATE_FIELDS names ${typeName}.${name}, which the schema does not have`);
      const resolve: GraphQLFieldResolver<object, Context> = field.resolve ?? defaultFieldResolver;
      // A field of an object type is resolved on its parent object (graphql-js never resolves one on null).
      field.resolve = markWrapped('privacy', (root: object, args, ctx: Context, info) => {
        checkDeadline(ctx);
        return guard(root, ctx, name, resolve(root, args, ctx, info));
      });
    }
  }
}
