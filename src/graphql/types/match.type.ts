import { Field, Float, ObjectType } from 'type-graphql';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { StakeholderKind } from '../../domain/enums';
import type { ScoredMatch } from '../../matching/match.service';
import { Components, REGISTRY } from '../../matching/components/registry';
import { addComponentFields } from './component-fields';
import { roundScore, SCORE_DECIMALS } from '../../matching/score-precision';

@ObjectType({ description: `The components of a match score, each in [0, 1] to ${SCORE_DECIMALS} decimals` })
export class ScoreBreakdown {
  @Field(() => Float, { nullable: true, description: 'Distance between challenge and partner, in km' })
  distanceKm: number | null;
}
// One field per registered component.
addComponentFields(ScoreBreakdown, (c) => ({ nullable: false, description: c.description }));

@ObjectType({ description: 'A suggested pairing of a challenge and a stakeholder, with its score and why' })
export class Match {
  @Field(() => Float, {
    description:
      `Weighted mean of the breakdown, in [0, 1], rounded to ${SCORE_DECIMALS} decimals; ` +
      'lists are ordered by the exact score, then by stakeholder id',
  })
  score: number;

  @Field(() => ScoreBreakdown)
  breakdown: ScoreBreakdown & Components;

  @Field(() => String, {
    nullable: true,
    description: 'For live and stored matches: resume or catch up after this one',
  })
  eventCursor: string | null;

  @Field(() => Date, { nullable: true, description: 'For live and stored matches: when the match became new' })
  foundAt: Date | null;

  @Field({
    description:
      'The partner holds no valid safeguarding check this challenge needs (shown only when a coordinator ' +
      'asked for such partners with filter.includeUnchecked)',
  })
  needsSafeguardingCheck: boolean;

  /** The facts behind the match, for the field resolvers. */
  data: ScoredMatch;

  static from(data: ScoredMatch, event?: { cursor: string; at: Date }): Match {
    const m = new Match();
    m.data = data;
    // Shown rounded (score-precision.ts); the order of a page was decided on the exact values.
    m.score = roundScore(data.score);
    // A family's exact distance would give its address away: whole km only.
    const distanceKm =
      data.distanceKm !== null && data.kind === StakeholderKind.FAMILY ? Math.round(data.distanceKm) : data.distanceKm;
    // Events stored before a component existed carry no value for it: its registered absent value.
    const stored = data.components as Partial<Components>;
    const components = Object.fromEntries(REGISTRY.map((c) => [c.name, roundScore(stored[c.name] ?? c.absentValue)]));
    m.breakdown = Object.assign(new ScoreBreakdown(), components as Components, { distanceKm });
    m.needsSafeguardingCheck = data.safeguarding?.needsCheck ?? false;
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
