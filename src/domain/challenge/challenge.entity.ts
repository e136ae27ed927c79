import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ChallengePhase, PupilContact, StakeholderKind } from '../enums';

/** A locally relevant question posed by a school, tied to SDGs, that partners can help answer. */
@ObjectType({ description: 'A locally relevant question posed by a school, tied to SDGs' })
@Entity('challenge')
@Index('challenge_created_idx', ['createdAt', 'id'])
export class Challenge {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Index('challenge_school_idx')
  @Column('uuid', { name: 'school_id' })
  schoolId: string;

  @Index('challenge_hub_idx')
  @Column('uuid', { name: 'hub_id', nullable: true })
  hubId: string | null;

  @Index('challenge_mission_idx')
  @Column('uuid', { name: 'mission_id', nullable: true })
  missionId: string | null;

  @Column('smallint', { name: 'sdg_ids', array: true })
  sdgIds: number[];

  @Column('integer', { name: 'expertise_needed_ids', array: true, default: () => "'{}'" })
  expertiseNeededIds: number[];

  @Field(() => [StakeholderKind], { description: 'Kinds of partner wanted; empty means any' })
  @Column('text', { name: 'wanted_kinds', array: true, default: () => "'{}'" })
  wantedKinds: StakeholderKind[];

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  @Column('text', { name: 'region_code', nullable: true })
  regionCode: string | null;

  @Field(() => Float, { description: 'How far partners may be, in km' })
  @Column('double precision', { name: 'radius_km', default: 50 })
  radiusKm: number;

  @Field(() => ChallengePhase)
  @Column('text', { default: ChallengePhase.IDEA })
  phase: ChallengePhase;

  @Field(() => PupilContact, {
    description: "How its partners meet pupils; with its hub's policy, decides whether they need a safeguarding check",
  })
  @Column('text', { name: 'pupil_contact', default: PupilContact.SUPERVISED })
  pupilContact: PupilContact;

  @Field(() => String, {
    nullable: true,
    description: 'Planned end (YYYY-MM-DD): a safeguarding check must still count on that day',
  })
  @Column('date', { name: 'planned_end_on', nullable: true })
  plannedEndOn: string | null;

  @Field(() => String, { nullable: true, description: 'Id in the source spreadsheet of an import' })
  @Column('text', { name: 'external_id', nullable: true, unique: true })
  externalId: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
