/**
 * Canonical JSON and sha256 digests: the one implementation behind the manifest digest, the plan
 * digest and webhook ids, so the same value always hashes the same way wherever it is hashed.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace; `undefined` members are
 * left out, as JSON.stringify does; arrays keep their order. Numbers use JavaScript's shortest
 * round-trip form.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify with an array of property names writes every object's members in the order of
  // that array, so the sorted union of all keys gives canonical JSON at native speed.
  const keys = new Set<string>();
  collectKeys(value, keys);
  // The default sort compares strings by UTF-16 code units, independent of locale.
  return JSON.stringify(value, [...keys].sort()) ?? 'null';
}

function collectKeys(value: unknown, keys: Set<string>): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'object' && item !== null) collectKeys(item, keys);
    }
    return;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    keys.add(key);
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === 'object' && member !== null) collectKeys(member, keys);
  }
}

/** Lower-case hex sha256 of the UTF-8 bytes of `text`. */
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
