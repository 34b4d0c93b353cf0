import { createHash } from 'node:crypto';
import { canonicalJson as manifestCanonicalJson } from '../manifest/digest.js';

/**
 * Canonical JSON: object keys sorted by code point, `undefined` members dropped, no whitespace.
 * Two values that mean the same thing always give the same string, so digests are stable across
 * runs, machines and key orders in the manifests. (The manifest digest's implementation: native
 * `JSON.stringify` with the sorted list of every key.)
 */
export function canonicalJson(value: unknown): string {
  return manifestCanonicalJson(value);
}

/** Hex sha256 of a string (UTF-8). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hex sha256 of the canonical JSON of `value`. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * True when two JSON-like values are equal as canonical JSON would see them: same scalars, arrays
 * equal item by item, objects with the same members whatever their order (`undefined` members
 * count as absent). Allocates nothing, so comparing 100,000 unchanged objects stays cheap.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN never occurs in JSON data; numbers and strings compare by value above.
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key) || left[key] === undefined) continue;
    if (!Object.hasOwn(right, key) || !jsonEqual(left[key], right[key])) return false;
    count++;
  }
  for (const key in right) {
    if (Object.hasOwn(right, key) && right[key] !== undefined) count--;
  }
  return count === 0;
}
