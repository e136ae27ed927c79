/**
 * The `near` filter's box: every point within the radius (by the great-circle distance that
 * PostgreSQL's earth_distance also computes) lies in it, wherever the centre is — at the poles,
 * on the antimeridian, for radii up to half the earth.
 */
import fc from 'fast-check';
import { boundingBox } from '../../src/domain/geo/bounding-box';
import { distanceKm } from '../../src/matching/proximity';

const inside = (b: ReturnType<typeof boundingBox>, lat: number, lon: number) =>
  lat >= b.latMin && lat <= b.latMax && lon >= b.lonMin && lon <= b.lonMax;

const lat = fc.double({ min: -90, max: 90, noNaN: true });
const lon = fc.double({ min: -180, max: 180, noNaN: true });

it('holds every point within the radius, anywhere on earth', () => {
  fc.assert(
    fc.property(lat, lon, fc.double({ min: 0, max: 20_000, noNaN: true }), lat, lon, (cLat, cLon, km, pLat, pLon) => {
      fc.pre(distanceKm(cLat, cLon, pLat, pLon) <= km);
      expect(inside(boundingBox(cLat, cLon, km), pLat, pLon)).toBe(true);
    }),
    { numRuns: 20_000 },
  );
});

it('holds the points on the circle itself, in every direction (the box is tight, not loose)', () => {
  fc.assert(
    fc.property(
      fc.double({ min: -85, max: 85, noNaN: true }),
      lon,
      fc.double({ min: 0.01, max: 500, noNaN: true }),
      fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      (cLat, cLon, km, bearing) => {
        // The point at `km` along `bearing` (the direct geodesic problem on the sphere).
        const r = Math.PI / 180;
        const a = km / 6378.168;
        const φ = Math.asin(Math.sin(cLat * r) * Math.cos(a) + Math.cos(cLat * r) * Math.sin(a) * Math.cos(bearing));
        const λ =
          cLon * r +
          Math.atan2(
            Math.sin(bearing) * Math.sin(a) * Math.cos(cLat * r),
            Math.cos(a) - Math.sin(cLat * r) * Math.sin(φ),
          );
        const pLon = ((((λ / r + 180) % 360) + 360) % 360) - 180;
        expect(inside(boundingBox(cLat, cLon, km), φ / r, pLon)).toBe(true);
      },
    ),
    { numRuns: 20_000 },
  );
});

it.each([
  ['the north pole within reach', 89.9, 10, 50, { lonMin: -180, lonMax: 180 }],
  ['across the antimeridian', 0, 179.9, 50, { lonMin: -180, lonMax: 180 }],
  ['half the earth', 50, 4, 20_000, { latMin: -90, latMax: 90, lonMin: -180, lonMax: 180 }],
])('%s: the box widens (%p, %p, %p km)', (_, cLat, cLon, km, expected) => {
  expect(boundingBox(cLat, cLon, km)).toMatchObject(expected);
});

it('stays narrow where it can: 10 km around Leuven spans well under a degree', () => {
  const b = boundingBox(50.88, 4.7, 10);
  expect(b.latMax - b.latMin).toBeLessThan(0.2);
  expect(b.lonMax - b.lonMin).toBeLessThan(0.3);
});
