import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PartnershipStatus } from '../enums';

/** A challenge and a stakeholder, from invitation to answer. */
@ObjectType({ description: 'A challenge and a partner stakeholder, from invitation to answer' })
@Entity('partnership')
export class Partnership {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('partnership_challenge_idx')
  @Column('uuid', { name: 'challenge_id' })
  challengeId: string;

  @Index('partnership_stakeholder_idx')
  @Column('uuid', { name: 'stakeholder_id' })
  stakeholderId: string;

  @Field(() => PartnershipStatus)
  @Column('text')
  status: PartnershipStatus;

  @Field(() => String, { nullable: true, description: 'The invitation message' })
  @Column('text', { nullable: true })
  message: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the partner accepted or declined' })
  @Column({ type: 'timestamptz', name: 'answered_at', precision: 3, nullable: true })
  answeredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the project was completed' })
  @Column({ type: 'timestamptz', name: 'completed_at', precision: 3, nullable: true })
  completedAt: Date | null;

  @Field(() => Int, { nullable: true, description: "The school side's rating at completion, 1 to 5" })
  @Column('smallint', { nullable: true })
  rating: number | null;

  // Who acted, for the track record (evidence.ts). Key ids stay out of the API; NULL: not recorded
  // (written before these columns existed), read as the record always read such rows.

  /** The key that invited or proposed. */
  @Column('text', { name: 'invited_by', nullable: true })
  invitedBy: string | null;

  /** The key that let a proposal go out, and when: its invitation is timed from then. */
  @Column('text', { name: 'approved_by', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'timestamptz', name: 'approved_at', precision: 3, nullable: true })
  approvedAt: Date | null;

  /** Whether its sender was entitled to it (evidence.ts): only then does its silence count. */
  @Column('boolean', { nullable: true })
  entitled: boolean | null;

  @Column('text', { name: 'answered_by', nullable: true })
  answeredBy: string | null;

  /** Whether the answer came from the partner or a key that speaks for it (evidence.ts). */
  @Column('boolean', { name: 'answer_counts', nullable: true })
  answerCounts: boolean | null;

  @Column('text', { name: 'completed_by', nullable: true })
  completedBy: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When an open invitation expires unanswered (the hub’s invitationTtlDays after it went out)',
  })
  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3, nullable: true })
  expiresAt: Date | null;
}

/** One status change of a partnership: its history. */
@ObjectType({ description: 'One status change of a partnership' })
@Entity('partnership_event')
export class PartnershipEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Index('partnership_event_partnership_idx')
  @Column('uuid', { name: 'partnership_id' })
  partnershipId: string;

  @Field(() => PartnershipStatus)
  @Column('text')
  status: PartnershipStatus;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  /** The key that made the change (not in the API). */
  @Column('text', { name: 'actor_key_id', nullable: true })
  actorKeyId: string | null;

  /** For an answer: whether it counts as the partner's own (evidence.ts); null for other changes. */
  @Column('boolean', { nullable: true })
  counts: boolean | null;

  @Field()
  @CreateDateColumn({ name: 'at', type: 'timestamptz', precision: 3 })
  at: Date;
}
