import { Field, Float, ObjectType } from 'type-graphql';

/** A WGS 84 position. */
@ObjectType({ description: 'A WGS 84 position in decimal degrees' })
export class GeoPoint {
  @Field(() => Float)
  latitude: number;

  @Field(() => Float)
  longitude: number;
}

/** Builds a GeoPoint from nullable columns; null when either is missing. */
export function toGeoPoint(latitude: number | null, longitude: number | null): GeoPoint | null {
  if (latitude === null || longitude === null) return null;
  return Object.assign(new GeoPoint(), { latitude, longitude });
}
