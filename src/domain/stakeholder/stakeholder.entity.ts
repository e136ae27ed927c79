import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ServiceArea, StakeholderKind, UnderservedContext } from '../enums';

/**
 * An actor in an open-schooling network: a school, a family, a university, a company…
 * Relations (region, SDGs, expertise, hubs) are resolved through per-request loaders.
 */
@ObjectType({ description: 'An actor in the network: a school, family, university, company, NGO…' })
@Entity('stakeholder')
@Index('stakeholder_created_idx', ['createdAt', 'id'])
export class Stakeholder {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => StakeholderKind)
  @Column('text')
  kind: StakeholderKind;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Column('text', { name: 'region_code', nullable: true })
  regionCode: string | null;

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' })
  @Column('char', { name: 'country_code', length: 2, nullable: true })
  countryCode: string | null;

  @Column('smallint', { name: 'sdg_ids', array: true, default: () => "'{}'" })
  sdgIds: number[];

  @Column('integer', { name: 'expertise_ids', array: true, default: () => "'{}'" })
  expertiseIds: number[];

  @Field(() => [String], { description: 'ISO 639 codes of the languages it works in' })
  @Column('text', { array: true, default: () => "'{}'" })
  languages: string[];

  @Field(() => [Int], { description: 'ISCED levels (0 to 8) it teaches or serves' })
  @Column('smallint', { name: 'education_levels', array: true, default: () => "'{}'" })
  educationLevels: number[];

  @Field(() => Int, { description: 'How many partnerships it can take on at once' })
  @Column('integer', { default: 3 })
  capacity: number;

  /** The reach it chose; null means its kind's default (the GraphQL field shows the effective one). */
  @Column('text', { name: 'service_area', nullable: true })
  serviceArea: ServiceArea | null;

  @Field(() => [UnderservedContext])
  @Column('text', { name: 'underserved_contexts', array: true, default: () => "'{}'" })
  underservedContexts: UnderservedContext[];

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'contact_email', nullable: true })
  contactEmail: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'contact_phone', nullable: true })
  contactPhone: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  website: string | null;

  @Field(() => String, { nullable: true, description: 'Id in the source spreadsheet of an import' })
  @Column('text', { name: 'external_id', nullable: true, unique: true })
  externalId: string | null;

  /** When consent to be in the network was recorded (required for families). */
  @Column({ type: 'timestamptz', name: 'consent_given_at', precision: 3, nullable: true })
  consentGivenAt: Date | null;

  /** When its personal data was erased for good; the row stays so partnerships stay counted. */
  @Column({ type: 'timestamptz', name: 'erased_at', precision: 3, nullable: true })
  erasedAt: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
