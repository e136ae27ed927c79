import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './role';

/** An API key. Its secret is shown once, at creation; only its SHA-256 hash is stored. */
@ObjectType({ description: 'An API key (its secret is never shown again after creation)' })
@Entity('api_key')
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => Role)
  @Column('text')
  role: Role;

  @Field(() => [ID], { description: 'Hubs a COORDINATOR or PORTAL key acts for (none for ADMIN and PUBLISHABLE)' })
  @Column('uuid', { name: 'hub_ids', array: true, default: () => "'{}'" })
  hubIds: string[];

  @Field(() => [String], {
    description:
      'Browser origins the key may be used from (CORS and WebSocket Origin); a PUBLISHABLE key only from these',
  })
  @Column('text', { name: 'allowed_origins', array: true, default: () => "'{}'" })
  allowedOrigins: string[];

  @Field(() => String, {
    nullable: true,
    description: 'The text of a PUBLISHABLE key (pk_…), public by design; null for secret keys, never shown again',
  })
  @Column('text', { name: 'publishable_key', nullable: true })
  publishableKey: string | null;

  @Column('bytea', { name: 'secret_hash', select: false })
  secretHash: Buffer;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'revoked_at', precision: 3, nullable: true })
  revokedAt: Date | null;
}
