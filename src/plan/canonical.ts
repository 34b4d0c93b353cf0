import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code point, `undefined` members dropped, no whitespace.
 * Two values that mean the same thing always give the same string, so digests are stable across
 * runs, machines and key orders in the manifests.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

/** Hex sha256 of a string (UTF-8). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hex sha256 of the canonical JSON of `value`. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
