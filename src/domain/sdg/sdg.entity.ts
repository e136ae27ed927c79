import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One of the 17 UN Sustainable Development Goals. */
@ObjectType({ description: 'One of the 17 UN Sustainable Development Goals' })
@Entity('sdg')
export class Sdg {
  @Field(() => Int, { description: '1 to 17' })
  @PrimaryColumn('smallint')
  id: number;

  @Field({ description: 'Short code, e.g. "SDG 13"' })
  @Column('text')
  code: string;

  /** Title in English; the GraphQL `title(lang:)` field picks the language. */
  @Column('text')
  title: string;

  @Field({ description: 'Title in Dutch (also `title(lang: NL)`)' })
  @Column('text', { name: 'title_nl' })
  titleNl: string;

  @Column('text', { name: 'title_fr' })
  titleFr: string;
}
