import { Field, Float, ObjectType } from 'type-graphql';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { StakeholderKind } from '../../domain/enums';
import type { ScoredMatch } from '../../matching/match.service';
import { NEUTRAL } from '../../matching/track';
import type { Components } from '../../matching/combine';

@ObjectType({ description: 'The components of a match score, each in [0, 1]' })
export class ScoreBreakdown {
  @Field(() => Float, { description: 'SDG overlap (two-sided)' })
  sdg: number;

  @Field(() => Float, { description: 'Expertise fit: exact, related and similarly spelled tags' })
  expertise: number;

  @Field(() => Float, { description: '1 at the challenge, falling to 0 at its radius' })
  proximity: number;

  @Field(() => Float, { description: 'Wanted kind, education levels and languages' })
  kind: number;

  @Field(() => Float, { description: 'Bonus for underserved communities on either side' })
  inclusion: number;

  @Field(() => Float, {
    description:
      'Track record: answers and completed projects as a Bayesian average from a neutral 0.5, so a newcomer ' +
      'starts in the middle',
  })
  track: number;

  @Field(() => Float, { nullable: true, description: 'Distance between challenge and partner, in km' })
  distanceKm: number | null;
}

@ObjectType({ description: 'A suggested pairing of a challenge and a stakeholder, with its score and why' })
export class Match {
  @Field(() => Float, { description: 'Weighted mean of the breakdown, in [0, 1]' })
  score: number;

  @Field(() => ScoreBreakdown)
  breakdown: ScoreBreakdown;

  @Field(() => String, {
    nullable: true,
    description: 'For live and stored matches: resume or catch up after this one',
  })
  eventCursor: string | null;

  @Field(() => Date, { nullable: true, description: 'For live and stored matches: when the match became new' })
  foundAt: Date | null;

  /** The facts behind the match, for the field resolvers. */
  data: ScoredMatch;

  static from(data: ScoredMatch, event?: { cursor: string; at: Date }): Match {
    const m = new Match();
    m.data = data;
    m.score = data.score;
    // A family's exact distance would give its address away: whole km only.
    const distanceKm =
      data.distanceKm !== null && data.kind === StakeholderKind.FAMILY ? Math.round(data.distanceKm) : data.distanceKm;
    // Events stored before the track component existed had none: a newcomer's neutral value.
    m.breakdown = Object.assign(new ScoreBreakdown(), {
      ...data.components,
      track: (data.components as Partial<Components>).track ?? NEUTRAL,
      distanceKm,
    });
    m.eventCursor = event?.cursor ?? null;
    m.foundAt = event?.at ?? null;
    return m;
  }
}

@ObjectType({ description: 'Partners that together cover what a challenge needs, and what stays uncovered' })
export class TeamSuggestion {
  @Field(() => [Match])
  members: Match[];

  @Field(() => [Expertise])
  coveredExpertise: Expertise[];

  @Field(() => [Expertise])
  missingExpertise: Expertise[];

  @Field(() => [StakeholderKind])
  coveredKinds: StakeholderKind[];

  @Field(() => [StakeholderKind])
  missingKinds: StakeholderKind[];
}
