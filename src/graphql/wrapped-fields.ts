/**
 * The few fields that run code of ours around their resolver, and why. Everything else resolves
 * as graphql-js does (a property read, or the resolver alone): wrapping every field of every type
 * in async middleware cost a promise per field, most of a large query's CPU.
 */
import { GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';

/** Why a field is wrapped: its privacy guard, or the operation's entry (budget, deadline, work share). */
export type WrapReason = 'privacy' | 'entry';

const WRAPPED = Symbol('wrapped');

/** Tags a wrapper with its reason, so that a test can list exactly which fields carry one. */
export function markWrapped<TSource, TContext, TArgs>(
  reason: WrapReason,
  wrapper: GraphQLFieldResolver<TSource, TContext, TArgs>,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  return Object.assign(wrapper, { [WRAPPED]: reason });
}

/** Every wrapped field of the schema (`Type.field` → reason), for tests and the bench. */
export function wrappedFields(schema: GraphQLSchema): Map<string, WrapReason> {
  const found = new Map<string, WrapReason>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const reason =
        (field.resolve as { [WRAPPED]?: WrapReason } | undefined)?.[WRAPPED] ??
        (field.subscribe as { [WRAPPED]?: WrapReason } | undefined)?.[WRAPPED];
      if (reason) found.set(`${type.name}.${field.name}`, reason);
    }
  }
  return found;
}
