import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tag of know-how, in a small parent/child taxonomy. */
@ObjectType({ description: 'A tag of know-how, e.g. "hydrology"; may have a broader parent tag' })
@Entity('expertise')
export class Expertise {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'Case- and accent-folded key, e.g. "water-management"' })
  @Column('text', { unique: true })
  slug: string;

  @Field({ description: 'Label as first written' })
  @Column('text')
  label: string;

  /** Dutch and French labels of a seeded tag (migration TagLabels); null for a free tag, which keeps its text. */
  @Column('text', { name: 'label_nl', nullable: true })
  labelNl: string | null;

  @Column('text', { name: 'label_fr', nullable: true })
  labelFr: string | null;

  @Column('integer', { name: 'parent_id', nullable: true })
  parentId: number | null;
}
