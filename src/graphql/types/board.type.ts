import { Field, Int, ObjectType } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { PartnershipStatus, StakeholderKind } from '../../domain/enums';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { Hub } from '../../domain/hub/hub.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';

@ObjectType({ description: 'How many invitations of a challenge are in one status' })
export class StatusCount {
  @Field(() => PartnershipStatus)
  status: PartnershipStatus;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'An open challenge of the hub, with its shortlist and invitations' })
export class BoardChallenge {
  @Field(() => Challenge)
  challenge: Challenge;

  @Field(() => Int)
  shortlistSize: number;

  @Field(() => [StatusCount])
  invitations: StatusCount[];
}

@ObjectType({ description: 'An introduction or invitation still waiting for an answer' })
export class WaitingInvitation {
  @Field(() => Partnership)
  partnership: Partnership;

  @Field(() => Int)
  daysWaiting: number;
}

@ObjectType({ description: 'What the partners engaged so far do not bring to an open challenge' })
export class TeamGap {
  @Field(() => Challenge)
  challenge: Challenge;

  @Field(() => [Expertise])
  missingExpertise: Expertise[];

  @Field(() => [StakeholderKind])
  missingKinds: StakeholderKind[];
}

@ObjectType({ description: 'A member at or one short of its capacity' })
export class CapacityInfo {
  @Field(() => Stakeholder)
  stakeholder: Stakeholder;

  @Field(() => Int)
  accepted: number;

  @Field(() => Int)
  capacity: number;
}

@ObjectType({ description: 'An open challenge with no activity for a while' })
export class QuietChallenge {
  @Field(() => Challenge)
  challenge: Challenge;

  @Field(() => Int)
  daysQuiet: number;
}

@ObjectType({
  description: "A coordinator's board: what is open, waiting, missing, full and quiet in one hub (50 rows each)",
})
export class HubBoard {
  @Field(() => Hub)
  hub: Hub;

  @Field(() => [BoardChallenge], { description: 'Open challenges, oldest first' })
  openChallenges: BoardChallenge[];

  @Field(() => [WaitingInvitation], {
    description: 'Introductions and invitations without an answer, longest waiting first',
  })
  waitingLongest: WaitingInvitation[];

  @Field(() => [TeamGap], {
    description: 'Open challenges whose engaged partners still miss needed expertise or kinds',
  })
  teamGaps: TeamGap[];

  @Field(() => [CapacityInfo], { description: 'Members at or near their capacity' })
  nearCapacity: CapacityInfo[];

  @Field(() => [QuietChallenge], { description: 'Open challenges with no activity for 30 days' })
  quietChallenges: QuietChallenge[];
}
