import { Field, ID, InputType, Int } from 'type-graphql';
import { ServiceArea, StakeholderKind, UnderservedContext } from '../../domain/enums';
import { GeoPointInput, NearInput } from './geo-point.input';

@InputType({ description: 'A new stakeholder. Give `location`, or `city` with `countryCode` to geocode it offline.' })
export class CreateStakeholderInput {
  @Field(() => StakeholderKind)
  kind: StakeholderKind;

  @Field({ description: '1 to 200 characters' })
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166 code; derived from the location when absent' })
  regionCode?: string | null;

  @Field(() => GeoPointInput, { nullable: true })
  location?: GeoPointInput | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' })
  countryCode?: string | null;

  @Field(() => [Int], { description: 'SDG numbers, 1 to 17' })
  sdgs: number[];

  @Field(() => [String], { description: 'Free labels; new ones become tags' })
  expertise: string[];

  @Field(() => [String], { nullable: true, description: 'ISO 639 codes, e.g. "nl"' })
  languages?: string[] | null;

  @Field(() => [Int], { nullable: true, description: 'ISCED levels 0 to 8' })
  educationLevels?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'Partnerships it can take on at once (default 3)' })
  capacity?: number | null;

  @Field(() => ServiceArea, {
    nullable: true,
    description:
      'How far it reaches (default by kind: families, schools, local government and entrepreneurs LOCAL; ' +
      'media, civil society and culture REGIONAL; universities, research and industry NATIONAL)',
  })
  serviceArea?: ServiceArea | null;

  @Field(() => [UnderservedContext], { nullable: true })
  underservedContexts?: UnderservedContext[] | null;

  @Field(() => String, { nullable: true })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true })
  website?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Consent to be in the network; must be true for a FAMILY' })
  consentGiven?: boolean | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Hubs it joins; a COORDINATOR key must name at least one of its own',
  })
  hubIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Create it even when it looks like a stored stakeholder (same normalised name within 5 km, or same ' +
      'website host); without it such a create is refused with CONFLICT and `extensions.existingIds`',
  })
  allowDuplicate?: boolean | null;
}

@InputType({ description: 'Changes to a stakeholder; absent fields stay as they are' })
export class UpdateStakeholderInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => GeoPointInput, { nullable: true })
  location?: GeoPointInput | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  countryCode?: string | null;

  @Field(() => [Int], { nullable: true })
  sdgs?: number[] | null;

  @Field(() => [String], { nullable: true })
  expertise?: string[] | null;

  @Field(() => [String], { nullable: true })
  languages?: string[] | null;

  @Field(() => [Int], { nullable: true })
  educationLevels?: number[] | null;

  @Field(() => Int, { nullable: true })
  capacity?: number | null;

  @Field(() => ServiceArea, {
    nullable: true,
    description: 'How far it reaches; null goes back to the default of its kind',
  })
  serviceArea?: ServiceArea | null;

  @Field(() => [UnderservedContext], { nullable: true })
  underservedContexts?: UnderservedContext[] | null;

  @Field(() => String, { nullable: true })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true })
  website?: string | null;
}

@InputType({ description: 'Narrows a stakeholder list; all given conditions must hold' })
export class StakeholderFilter {
  @Field(() => [StakeholderKind], { nullable: true })
  kinds?: StakeholderKind[] | null;

  @Field(() => String, { nullable: true, description: 'A region and everything inside it' })
  regionCode?: string | null;

  @Field(() => [Int], { nullable: true, description: 'Shares at least one of these SDGs' })
  sdgs?: number[] | null;

  @Field(() => [String], { nullable: true, description: 'Has at least one of these expertise tags' })
  expertise?: string[] | null;

  @Field(() => ID, { nullable: true })
  hubId?: string | null;

  @Field(() => String, { nullable: true, description: 'Name contains this text (case and accents ignored)' })
  search?: string | null;

  @Field(() => NearInput, { nullable: true })
  near?: NearInput | null;
}
