/**
 * GraphQL fields for the score components, made from the registry: one Float per component on
 * `ScoreBreakdown` and on `MatchWeightsInput`, documented from the component's definition. A
 * component added to the registry appears in both without touching them.
 */
import { Field, Float } from 'type-graphql';
import { REGISTRY } from '../../matching/components/registry';

/** Adds one Float field per registered component to a type-graphql class. */
export function addComponentFields(
  target: { prototype: object },
  field: (component: (typeof REGISTRY)[number]) => { nullable: boolean; description: string },
): void {
  for (const component of REGISTRY) Field(() => Float, field(component))(target.prototype, component.name);
}

/** "0.30": a default weight as the documentation shows it. */
export const weightText = (weight: number) => weight.toFixed(2);
