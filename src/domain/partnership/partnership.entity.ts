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

  @Field()
  @CreateDateColumn({ name: 'at', type: 'timestamptz', precision: 3 })
  at: Date;
}
