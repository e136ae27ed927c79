/**
 * The latitude/longitude box around a circle on the earth's surface, for an index range scan that
 * a great-circle distance then decides (the stakeholder list's `near` filter). The box holds every
 * point within the radius: at the poles and across the antimeridian it widens to every longitude.
 */
import { EARTH_RADIUS_KM } from '../../matching/proximity';

/** A box in degrees; `lonMin` ≤ `lonMax` always (a box that would wrap spans every longitude). */
export interface LatLonBox {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}

// Floating point in the box and in earth_distance(): a point on the circle stays inside (relative
// slack, and an absolute one of about a micrometre for the smallest radii).
const SLACK = 1 + 1e-9;
const EPSILON = 1e-12;

/** The box around the circle of `radiusKm` about (`latitude`, `longitude`). */
export function boundingBox(latitude: number, longitude: number, radiusKm: number): LatLonBox {
  const deg = 180 / Math.PI;
  const angle = (radiusKm / EARTH_RADIUS_KM) * SLACK + EPSILON;
  const latMin = latitude - angle * deg;
  const latMax = latitude + angle * deg;
  // The circle reaches a pole, or is half the earth: every longitude.
  if (latMin <= -90 || latMax >= 90 || angle >= Math.PI / 2) {
    return { latMin: Math.max(-90, latMin), latMax: Math.min(90, latMax), lonMin: -180, lonMax: 180 };
  }
  // The widest longitude of a circle of angular radius `angle` about latitude φ: asin(sin angle / cos φ).
  const spread = (Math.asin(Math.min(1, Math.sin(angle) / Math.cos(latitude / deg))) * SLACK + EPSILON) * deg;
  const lonMin = longitude - spread;
  const lonMax = longitude + spread;
  if (lonMin < -180 || lonMax > 180) return { latMin, latMax, lonMin: -180, lonMax: 180 };
  return { latMin, latMax, lonMin, lonMax };
}
