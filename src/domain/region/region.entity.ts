import { Field, Float, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A country (ISO 3166-1 alpha-2) or subdivision (ISO 3166-2) with its centroid. */
@ObjectType({ description: 'A country (ISO 3166-1 alpha-2) or subdivision (ISO 3166-2), e.g. "NL-OV"' })
@Entity('region')
export class Region {
  @Field({ description: 'ISO code: "NL" for a country, "NL-OV" for a subdivision' })
  @PrimaryColumn('text')
  code: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'ISO 3166-1 alpha-2 code of the country it lies in' })
  @Column('char', { length: 2 })
  country: string;

  @Column('text', { name: 'parent_code', nullable: true })
  parentCode: string | null;

  @Field(() => Float, { description: 'Latitude of the centroid' })
  @Column('double precision')
  latitude: number;

  @Field(() => Float, { description: 'Longitude of the centroid' })
  @Column('double precision')
  longitude: number;
}
