import { Field, Float, InputType, Int } from 'type-graphql';
import { ComponentName } from '../../matching/components/registry';
import { addComponentFields, weightText } from '../types/component-fields';
import { NearInput } from './geo-point.input';
import { StakeholderKind } from '../../domain/enums';

@InputType({ description: 'Narrows partner suggestions; all given conditions must hold' })
export class PartnerFilter {
  @Field(() => [StakeholderKind], { nullable: true })
  kinds?: StakeholderKind[] | null;

  @Field(() => Float, {
    nullable: true,
    description: "Farthest a partner may be from the challenge, in km (may exceed the challenge's radius)",
  })
  maxDistanceKm?: number | null;

  @Field(() => String, { nullable: true, description: 'Partner lies in this region (or inside it)' })
  regionCode?: string | null;

  @Field(() => [Int], { nullable: true, description: 'Partner works on at least one of these SDGs' })
  sdgs?: number[] | null;

  @Field(() => [String], { nullable: true, description: 'Partner has at least one of these expertise tags' })
  expertise?: string[] | null;

  @Field(() => NearInput, { nullable: true, description: 'Partner lies within this circle' })
  near?: NearInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Also partners the safeguarding rule holds back (no valid check the challenge's hub requires), each " +
      'marked needsSafeguardingCheck: coordinators of the challenge and ADMIN only',
  })
  includeUnchecked?: boolean | null;
}

@InputType({
  description: 'Weights of the score components for one query (0 to 10 each); absent ones keep their default',
})
export class MatchWeightsInput {}
/** What a `MatchWeightsInput` holds: an optional weight per registered component. */
export type MatchWeightsValue = Partial<Record<ComponentName, number | null>>;
// One optional weight per registered component, documented with its default.
addComponentFields(MatchWeightsInput, (c) => ({
  nullable: true,
  description: `${c.description}. Default ${weightText(c.defaultWeight)}`,
}));
