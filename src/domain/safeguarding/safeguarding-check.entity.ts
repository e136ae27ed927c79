import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CheckScope, CheckType } from '../enums';

/**
 * The fact of a safeguarding check for work with minors: its type, whom it covers, when it was
 * issued, and who verified it. Never the document or its number.
 */
@ObjectType({ description: 'A safeguarding check a stakeholder holds: the fact, never the document or its number' })
@Entity('safeguarding_check')
export class SafeguardingCheck {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('safeguarding_check_stakeholder')
  @Column('uuid', { name: 'stakeholder_id' })
  stakeholderId: string;

  @Field(() => CheckType)
  @Column('text')
  type: CheckType;

  @Field(() => String, { nullable: true, description: "The check's name, for type OTHER" })
  @Column('text', { nullable: true })
  label: string | null;

  @Field(() => CheckScope)
  @Column('text')
  scope: CheckScope;

  @Field(() => String, { description: 'Date issued, YYYY-MM-DD' })
  @Column('date', { name: 'issued_on' })
  issuedOn: string;

  @Column('text', { name: 'recorded_by_key_id', nullable: true })
  recordedByKeyId: string | null;

  @Column('text', { name: 'verified_by_key_id', nullable: true })
  verifiedByKeyId: string | null;

  @Field(() => String, { nullable: true, description: 'The coordinator who verified it, by name' })
  @Column('text', { name: 'verified_by_name', nullable: true })
  verifiedByName: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was verified; until then it does not count' })
  @Column({ type: 'timestamptz', name: 'verified_at', nullable: true, precision: 3 })
  verifiedAt: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
