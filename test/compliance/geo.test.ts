import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EARTH_RADIUS_KM,
  haversineKm,
  isInsideExclusion,
  type GeoPoint,
} from '../../src/compliance/geo.js';

const point = (latitude: number, longitude: number): GeoPoint => ({ latitude, longitude });
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;
const HALF_CIRCUMFERENCE = Math.PI * EARTH_RADIUS_KM;

describe('haversineKm', () => {
  it('is 0 between a point and itself', () => {
    expect(haversineKm(point(40.7128, -74.006), point(40.7128, -74.006))).toBe(0);
  });

  it.each([
    // Great-circle distances on a 6371 km sphere, as published calculators give them.
    ['London', 'Paris', point(51.5074, -0.1278), point(48.8566, 2.3522), 343.6],
    ['New York', 'Los Angeles', point(40.7128, -74.006), point(34.0522, -118.2437), 3935.7],
    ['Sydney', 'Melbourne', point(-33.8688, 151.2093), point(-37.8136, 144.9631), 713.4],
    ['Delhi', 'Mumbai', point(28.6139, 77.209), point(19.076, 72.8777), 1148.1],
  ])('%s to %s is about the published distance', (_from, _to, a, b, km) => {
    expect(Math.abs(haversineKm(a, b) - km)).toBeLessThan(km * 0.002);
  });

  it('takes the short way across the antimeridian (Fiji to Samoa)', () => {
    const suva = point(-18.1416, 178.4419);
    const apia = point(-13.8333, -171.7667);
    const km = haversineKm(suva, apia);
    expect(km).toBeGreaterThan(1140);
    expect(km).toBeLessThan(1160);
    // The same two points with Samoa's longitude written past 180 give the same distance.
    expect(haversineKm(suva, point(-13.8333, 188.2333))).toBeCloseTo(km, 6);
  });

  it('measures 1 degree of the equator across 180 as across 0', () => {
    const acrossDateLine = haversineKm(point(0, 179.5), point(0, -179.5));
    const acrossGreenwich = haversineKm(point(0, 0.5), point(0, -0.5));
    expect(acrossDateLine).toBeCloseTo(KM_PER_DEGREE, 6);
    expect(acrossGreenwich).toBeCloseTo(KM_PER_DEGREE, 6);
    expect(haversineKm(point(0, 180), point(0, -180))).toBeCloseTo(0, 6);
  });

  it('measures from a pole to every point of a latitude alike, whatever the longitude', () => {
    for (const latitude of [89.9, 60, 0, -45, -89]) {
      const expected = (90 - latitude) * KM_PER_DEGREE;
      for (const longitude of [-180, -123.4, 0, 45, 179.99]) {
        expect(haversineKm(point(90, 0), point(latitude, longitude))).toBeCloseTo(expected, 6);
        expect(haversineKm(point(90, 77), point(latitude, longitude))).toBeCloseTo(expected, 6);
      }
    }
    // The pole's longitude is meaningless: all its spellings are one point.
    expect(haversineKm(point(90, 0), point(90, 135))).toBeCloseTo(0, 6);
    expect(haversineKm(point(-90, -180), point(-90, 180))).toBeCloseTo(0, 6);
    expect(haversineKm(point(90, 0), point(-90, 0))).toBeCloseTo(HALF_CIRCUMFERENCE, 6);
  });

  it('returns half the circumference for antipodes, not NaN', () => {
    expect(haversineKm(point(0, 0), point(0, 180))).toBeCloseTo(HALF_CIRCUMFERENCE, 6);
    expect(haversineKm(point(45, 10), point(-45, -170))).toBeCloseTo(HALF_CIRCUMFERENCE, 6);
    expect(haversineKm(point(-33.8688, 151.2093), point(33.8688, -28.7907))).toBeCloseTo(
      HALF_CIRCUMFERENCE,
      6,
    );
  });

  it('stays accurate just short of the antipode, where 1 - h by subtraction would lose it', () => {
    // 1 micro-degree short of antipodal is 0.11 m short of half the circumference.
    const shortBy = haversineKm(point(0, 0), point(0, 180 - 1e-6));
    expect((HALF_CIRCUMFERENCE - shortBy) * 1000).toBeCloseTo(KM_PER_DEGREE * 1e-6 * 1000, 3);
  });

  it('resolves metres for nearby points', () => {
    // 0.0001 degree of latitude is about 11.1 m.
    expect(haversineKm(point(40, -74), point(40.0001, -74)) * 1000).toBeCloseTo(11.119, 2);
  });
});

describe('properties', () => {
  const latitude = fc.double({ min: -90, max: 90, noNaN: true });
  const longitude = fc.double({ min: -180, max: 180, noNaN: true });
  const geoPoint = fc.record({ latitude, longitude });

  it('is symmetric, non-negative and at most half the circumference', () => {
    fc.assert(
      fc.property(geoPoint, geoPoint, (a, b) => {
        const ab = haversineKm(a, b);
        expect(Number.isFinite(ab)).toBe(true);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(HALF_CIRCUMFERENCE + 1e-9);
        expect(haversineKm(b, a)).toBeCloseTo(ab, 9);
      }),
      { numRuns: 500 },
    );
  });

  it('satisfies the triangle inequality', () => {
    fc.assert(
      fc.property(geoPoint, geoPoint, geoPoint, (a, b, c) => {
        expect(haversineKm(a, c)).toBeLessThanOrEqual(haversineKm(a, b) + haversineKm(b, c) + 1e-6);
      }),
      { numRuns: 500 },
    );
  });

  it('does not change when both points turn about the axis by the same angle', () => {
    fc.assert(
      fc.property(
        geoPoint,
        geoPoint,
        fc.double({ min: -360, max: 360, noNaN: true }),
        (a, b, turn) => {
          const turned = (p: GeoPoint): GeoPoint => point(p.latitude, p.longitude + turn);
          expect(haversineKm(turned(a), turned(b))).toBeCloseTo(haversineKm(a, b), 6);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('isInsideExclusion', () => {
  const centre = point(40.7128, -74.006);

  it('counts the boundary as inside', () => {
    const callee = point(40.9, -74.1);
    const distance = haversineKm(callee, centre);
    expect(isInsideExclusion(callee, { ...centre, radiusKm: distance })).toBe(true);
    expect(isInsideExclusion(callee, { ...centre, radiusKm: distance * (1 - 1e-12) })).toBe(false);
  });

  it('blocks the centre and points well inside, not points well outside', () => {
    expect(isInsideExclusion(centre, { ...centre, radiusKm: 0.001 })).toBe(true);
    expect(isInsideExclusion(point(40.75, -73.99), { ...centre, radiusKm: 25 })).toBe(true);
    expect(isInsideExclusion(point(42.3601, -71.0589), { ...centre, radiusKm: 25 })).toBe(false);
  });

  it('works for an exclusion that straddles the antimeridian', () => {
    const fijiEast = { ...point(-16.5, 179.9), radiusKm: 50 };
    expect(isInsideExclusion(point(-16.5, -179.8), fijiEast)).toBe(true); // about 32 km east
    expect(isInsideExclusion(point(-16.5, -179.0), fijiEast)).toBe(false); // about 117 km east
  });
});
