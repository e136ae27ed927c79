import { Field, Float, InputType } from 'type-graphql';

@InputType({ description: 'A WGS 84 position in decimal degrees' })
export class GeoPointInput {
  @Field(() => Float, { description: '-90 to 90' })
  latitude: number;

  @Field(() => Float, { description: '-180 to 180' })
  longitude: number;
}

@InputType({ description: 'A circle on the map' })
export class NearInput {
  @Field(() => Float)
  latitude: number;

  @Field(() => Float)
  longitude: number;

  @Field(() => Float, { description: 'Radius in km' })
  radiusKm: number;
}
