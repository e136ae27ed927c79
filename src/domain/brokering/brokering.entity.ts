import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CheckType, DismissReason } from '../enums';

/** A partner a coordinator keeps in mind for a challenge. */
@ObjectType({ description: 'A partner kept in mind for a challenge, by its coordinators' })
@Entity('shortlist_entry')
export class ShortlistEntry {
  @PrimaryColumn('uuid', { name: 'challenge_id' })
  challengeId: string;

  @PrimaryColumn('uuid', { name: 'stakeholder_id' })
  stakeholderId: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Field({ description: 'Name of the API key that added it' })
  @Column('text', { name: 'created_by' })
  createdBy: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A partner ruled out for a challenge: never suggested for it again until undone. */
@ObjectType({ description: 'A partner ruled out for a challenge; never suggested for it again until undone' })
@Entity('dismissal')
export class Dismissal {
  @PrimaryColumn('uuid', { name: 'challenge_id' })
  challengeId: string;

  @PrimaryColumn('uuid', { name: 'stakeholder_id' })
  stakeholderId: string;

  @Field(() => DismissReason)
  @Column('text')
  reason: DismissReason;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Field({ description: 'Name of the API key that ruled it out' })
  @Column('text', { name: 'created_by' })
  createdBy: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** What was done in a hub's brokering, by whom and when. */
export enum ActivityAction {
  SHORTLIST = 'SHORTLIST',
  UNSHORTLIST = 'UNSHORTLIST',
  DISMISS = 'DISMISS',
  UNDISMISS = 'UNDISMISS',
  INVITE = 'INVITE',
  PROPOSE = 'PROPOSE',
  APPROVE = 'APPROVE',
  WITHDRAW = 'WITHDRAW',
  ACCEPT = 'ACCEPT',
  DECLINE = 'DECLINE',
  COMPLETE = 'COMPLETE',
  /** An invitation nobody answered within the hub's term. */
  EXPIRE = 'EXPIRE',
  UPDATE_HUB = 'UPDATE_HUB',
  /** A safeguarding check recorded for a partner (it counts once verified). */
  RECORD_CHECK = 'RECORD_CHECK',
  /** A coordinator vouched for a partner's check: from now on it counts in matching. */
  VERIFY_CHECK = 'VERIFY_CHECK',
  /** A partner's check withdrawn: it no longer counts. */
  WITHDRAW_CHECK = 'WITHDRAW_CHECK',
}

registerEnumType(ActivityAction, { name: 'ActivityAction', description: 'What was done in a hub' });

/** One entry of a hub's audit trail. */
@ObjectType({ description: "One entry of a hub's audit trail: who did what, to which challenge or partnership, when" })
@Entity('activity')
export class Activity {
  /** Orders the entries; never shown, since it counts every hub's entries (see `publicId`). */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** The id clients see, in `Activity.id` and in page cursors: random, so it reveals no count. */
  @Field(() => ID, { name: 'id' })
  @Column('uuid', { name: 'public_id', default: () => 'gen_random_uuid()' })
  publicId: string;

  @Column('uuid', { name: 'hub_id', nullable: true })
  hubId: string | null;

  @Column('text', { name: 'actor_key_id', nullable: true })
  actorKeyId: string | null;

  @Field({ description: 'The API key that did it, by name' })
  @Column('text', { name: 'actor_name' })
  actorName: string;

  @Field(() => ActivityAction)
  @Column('text')
  action: ActivityAction;

  @Column('uuid', { name: 'challenge_id', nullable: true })
  challengeId: string | null;

  @Column('uuid', { name: 'stakeholder_id', nullable: true })
  stakeholderId: string | null;

  @Column('uuid', { name: 'partnership_id', nullable: true })
  partnershipId: string | null;

  @Column('jsonb', { nullable: true })
  detail: { reason?: string; rating?: number | null; changes?: string[]; checkType?: CheckType } | null;

  @Field()
  @CreateDateColumn({ name: 'at', type: 'timestamptz', precision: 3 })
  at: Date;
}

/** A rating given at completion. */
export const RATING = { min: 1, max: 5 } as const;
