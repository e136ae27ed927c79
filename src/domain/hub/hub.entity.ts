import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

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
