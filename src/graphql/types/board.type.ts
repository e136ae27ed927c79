import { Field, Int, ObjectType } from 'type-graphql';
import { Challenge } from '../../domain/challenge/challenge.entity';
import { CheckType, PartnershipStatus, StakeholderKind } from '../../domain/enums';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { Hub } from '../../domain/hub/hub.entity';
import { Partnership } from '../../domain/partnership/partnership.entity';
import { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { Match } from './match.type';

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

@ObjectType({ description: 'An open challenge whose latest invitation was declined or expired: who to ask next' })
export class NextPartnerNeeded {
  @Field(() => Challenge)
  challenge: Challenge;

  @Field(() => Partnership, { description: 'The invitation that was declined or expired' })
  partnership: Partnership;

  @Field(() => [Match], {
    description: 'The best suggestions not yet contacted for it (never invited, proposed or dismissed), best first',
  })
  suggestions: Match[];
}

@ObjectType({ description: "A partner's verified safeguarding check that stops counting soon" })
export class ExpiringCheck {
  @Field(() => Stakeholder)
  stakeholder: Stakeholder;

  @Field(() => CheckType)
  type: CheckType;

  @Field({ description: 'The last day it counts under the hub policy, YYYY-MM-DD' })
  validUntil: string;
}

@ObjectType({ description: 'An accepted partnership whose partner lacks the safeguarding check its challenge needs' })
export class UncheckedPartnership {
  @Field(() => Challenge)
  challenge: Challenge;

  @Field(() => Partnership)
  partnership: Partnership;
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

  @Field(() => [NextPartnerNeeded], {
    description: 'Open challenges whose latest invitation was declined or expired in the last 30 days, newest first',
  })
  needsNextPartner: NextPartnerNeeded[];

  @Field(() => [ExpiringCheck], {
    description:
      'Verified safeguarding checks that stop counting within 30 days, of partners with open or accepted ' +
      "partnerships on the hub's challenges, soonest first",
  })
  checksExpiring: ExpiringCheck[];

  @Field(() => [UncheckedPartnership], {
    description: "Accepted partnerships on the hub's challenges whose partner lacks the check the challenge needs",
  })
  uncheckedPartnerships: UncheckedPartnership[];
}
