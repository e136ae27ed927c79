import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A shared open-schooling mission that groups challenges across hubs. */
@ObjectType({ description: 'A shared mission (e.g. "Climate-proof schoolyards") grouping challenges across hubs' })
@Entity('mission')
export class Mission {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Column('smallint', { name: 'sdg_ids', array: true, default: () => "'{}'" })
  sdgIds: number[];

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
