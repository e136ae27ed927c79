import { SafeguardingPolicyInput } from './safeguarding.input';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'A person who brokers partnerships for a hub' })
export class CoordinatorInput {
  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

@InputType({ description: 'A new local hub or network' })
export class CreateHubInput {
  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Stakeholders that belong to the hub' })
  memberIds?: string[] | null;

  @Field(() => [CoordinatorInput], { nullable: true })
  coordinators?: CoordinatorInput[] | null;
}

@InputType({ description: 'A new shared mission' })
export class CreateMissionInput {
  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [Int])
  sdgs: number[];
}

@InputType({ description: 'Changes to a hub; fields left out stay as they are' })
export class UpdateHubInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Portals' introductions wait for a coordinator's approval (PROPOSED before INVITED)",
  })
  requiresApproval?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Days an invitation stays open (1 to 365); open ones keep the term they went out with',
  })
  invitationTtlDays?: number | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. Europe/Amsterdam' })
  timeZone?: string | null;

  @Field(() => SafeguardingPolicyInput, {
    nullable: true,
    description: 'Which pupil contact needs a safeguarding check, which checks count, how old one may be',
  })
  safeguarding?: SafeguardingPolicyInput | null;
}
