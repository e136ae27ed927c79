import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CheckType, PupilContact } from '../enums';

/** A local open-schooling hub or network: a science hub, a city network, a regional consortium. */
@ObjectType({ description: 'A local hub or network that brings schools and partners together' })
@Entity('hub')
export class Hub {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Column('text', { name: 'region_code', nullable: true })
  regionCode: string | null;

  @Field({ description: "Portals' introductions wait for a coordinator's approval (PROPOSED before INVITED)" })
  @Column('boolean', { name: 'requires_approval', default: false })
  requiresApproval: boolean;

  @Field(() => Int, { description: 'Days an invitation stays open before it expires unanswered (default 14)' })
  @Column('int', { name: 'invitation_ttl_days', default: 14 })
  invitationTtlDays: number;

  @Field({ description: 'IANA time zone its reminders and digests are timed in, e.g. Europe/Brussels' })
  @Column('text', { name: 'time_zone', default: 'Europe/Brussels' })
  timeZone: string;

  /** Contact levels whose partners need a safeguarding check (see `safeguardingPolicy`). */
  @Column('text', { name: 'check_contact_levels', array: true, default: () => "'{UNSUPERVISED,REGULAR}'" })
  checkContactLevels: PupilContact[];

  /** Check types that count; null: the defaults of its country. */
  @Column('text', { name: 'check_types', array: true, nullable: true })
  checkTypes: CheckType[] | null;

  /** How old a check may be, in months. */
  @Column('int', { name: 'check_max_age_months', default: 36 })
  checkMaxAgeMonths: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Membership of a stakeholder in a hub. */
@Entity('hub_member')
export class HubMember {
  @PrimaryColumn('uuid', { name: 'hub_id' })
  hubId: string;

  @PrimaryColumn('uuid', { name: 'stakeholder_id' })
  stakeholderId: string;
}

/** A person who brokers partnerships for a hub. */
@ObjectType({ description: 'A person who brokers partnerships for a hub' })
@Entity('hub_coordinator')
export class HubCoordinator {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'hub_id' })
  hubId: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  email: string | null;
}
