import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ChallengePhase, PupilContact, StakeholderKind } from '../../domain/enums';
import { GeoPointInput } from './geo-point.input';

@InputType({ description: 'A new challenge posed by a school' })
export class CreateChallengeInput {
  @Field(() => ID, { description: 'A stakeholder of kind SCHOOL' })
  schoolId: string;

  @Field({ description: '1 to 200 characters' })
  title: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [Int], { description: 'At least one SDG, 1 to 17' })
  sdgs: number[];

  @Field(() => [String])
  expertiseNeeded: string[];

  @Field(() => [StakeholderKind], { nullable: true, description: 'Kinds of partner wanted; absent or empty means any' })
  wantedKinds?: StakeholderKind[] | null;

  @Field(() => Float, { nullable: true, description: 'How far partners may be, in km (default 50)' })
  radiusKm?: number | null;

  @Field(() => ID, { nullable: true })
  hubId?: string | null;

  @Field(() => ID, { nullable: true })
  missionId?: string | null;

  @Field(() => ChallengePhase, { nullable: true, description: 'Default IDEA' })
  phase?: ChallengePhase | null;

  @Field(() => PupilContact, { nullable: true, description: 'How partners meet pupils (default SUPERVISED)' })
  pupilContact?: PupilContact | null;

  @Field(() => String, { nullable: true, description: 'Planned end, YYYY-MM-DD' })
  plannedEndOn?: string | null;

  @Field(() => GeoPointInput, { nullable: true, description: "Default: the school's location" })
  location?: GeoPointInput | null;

  @Field(() => String, { nullable: true, description: "Default: the school's region" })
  regionCode?: string | null;
}

@InputType({ description: 'Changes to a challenge; absent fields stay as they are' })
export class UpdateChallengeInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [Int], { nullable: true })
  sdgs?: number[] | null;

  @Field(() => [String], { nullable: true })
  expertiseNeeded?: string[] | null;

  @Field(() => [StakeholderKind], { nullable: true })
  wantedKinds?: StakeholderKind[] | null;

  @Field(() => Float, { nullable: true })
  radiusKm?: number | null;

  @Field(() => ID, { nullable: true })
  hubId?: string | null;

  @Field(() => ID, { nullable: true })
  missionId?: string | null;

  @Field(() => ChallengePhase, { nullable: true })
  phase?: ChallengePhase | null;

  @Field(() => PupilContact, { nullable: true })
  pupilContact?: PupilContact | null;

  @Field(() => String, { nullable: true, description: 'Planned end, YYYY-MM-DD; null clears it' })
  plannedEndOn?: string | null;

  @Field(() => GeoPointInput, { nullable: true })
  location?: GeoPointInput | null;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;
}

@InputType({ description: 'Narrows a challenge list; all given conditions must hold' })
export class ChallengeFilter {
  @Field(() => ID, { nullable: true })
  schoolId?: string | null;

  @Field(() => ID, { nullable: true })
  hubId?: string | null;

  @Field(() => ID, { nullable: true })
  missionId?: string | null;

  @Field(() => [ChallengePhase], { nullable: true })
  phases?: ChallengePhase[] | null;

  @Field(() => [Int], { nullable: true, description: 'Shares at least one of these SDGs' })
  sdgs?: number[] | null;

  @Field(() => String, { nullable: true, description: 'A region and everything inside it' })
  regionCode?: string | null;
}
