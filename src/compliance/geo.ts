/**
 * Great-circle distance (haversine, on a sphere) and geographic exclusion zones.
 */

/** Mean Earth radius in kilometres, the sphere the haversine distance of geo exclusions uses. */
export const EARTH_RADIUS_KM = 6371;

/** A point in degrees: latitude -90..90, longitude -180..180. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** A circle around a point; calls inside it are blocked. */
export interface GeoExclusion extends GeoPoint {
  radiusKm: number;
}

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Haversine distance in kilometres between two points on a sphere of radius {@link EARTH_RADIUS_KM}.
 *
 * The central angle is `2·atan2(√h, √(1−h))` with the haversine term
 * `h = sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2)`. Computing `1 − h` by subtraction loses every digit
 * near antipodal points (h ≈ 1), so it is computed directly from the identity
 * `1 − h = sin²((φ1+φ2)/2) + cos φ1·cos φ2·cos²(Δλ/2)`, a sum of two non-negative terms: the result
 * is accurate to rounding from 0 km up to half the circumference, and never NaN (the asin form is
 * NaN once rounding pushes h past 1). The longitude difference enters only through sin² and cos² of
 * its half, so it needs no wrapping at the antimeridian (179.9° and -179.9° are 0.2° apart); at a
 * pole cos φ = 0 and the longitude drops out.
 */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const lat1 = a.latitude * RADIANS_PER_DEGREE;
  const lat2 = b.latitude * RADIANS_PER_DEGREE;
  const halfDeltaLat = (lat2 - lat1) / 2;
  const halfSumLat = (lat1 + lat2) / 2;
  const halfDeltaLon = ((b.longitude - a.longitude) * RADIANS_PER_DEGREE) / 2;
  const cosProduct = Math.cos(lat1) * Math.cos(lat2);
  const sinHalfDeltaLat = Math.sin(halfDeltaLat);
  const sinHalfSumLat = Math.sin(halfSumLat);
  const sinHalfDeltaLon = Math.sin(halfDeltaLon);
  const cosHalfDeltaLon = Math.cos(halfDeltaLon);
  // Both are sums of non-negative terms (cos φ >= 0 for |φ| <= 90°); max(0, ..) guards -0-ish rounding.
  const h = Math.max(0, sinHalfDeltaLat ** 2 + cosProduct * sinHalfDeltaLon ** 2);
  const oneMinusH = Math.max(0, sinHalfSumLat ** 2 + cosProduct * cosHalfDeltaLon ** 2);
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(h), Math.sqrt(oneMinusH));
}

/**
 * True when the point is inside the exclusion: distance <= radiusKm. The boundary counts as inside,
 * so a call exactly on the circle is blocked (when in doubt, do not call).
 */
export function isInsideExclusion(point: GeoPoint, exclusion: GeoExclusion): boolean {
  return haversineKm(point, exclusion) <= exclusion.radiusKm;
}
