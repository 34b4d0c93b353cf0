/**
 * The manifest digest: sha256 over the canonical JSON of the normalised desired state, so it
 * changes exactly when what a plan would aim for changes. It does not depend on file names, the
 * order of files or documents, how items are split across files, YAML formatting, comments, key
 * order, defaults written out or left implicit, or the order of order-free lists. See
 * docs/manifests.md for the exact definition.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace; `undefined` members are
 * left out, as JSON.stringify does. Numbers use JavaScript's shortest round-trip form.
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
    for (const item of value)
      if (typeof item === 'object' && item !== null) collectKeys(item, keys);
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

/** The content the manifest digest covers (already normalised and sorted by the caller). */
export interface DigestContent {
  wrapUpCodes: readonly unknown[];
  complianceRules: readonly unknown[];
  scope: unknown;
  /** Derived state extensions add (e.g. `crm`, the CRM import table); absent members are left out. */
  [member: string]: unknown;
}

/** Identifies the digest definition, so a future change of definition cannot collide. */
export const MANIFEST_DIGEST_FORMAT = 'cxctl-manifest-digest/1';

/** sha256 of `{"format": ..., "complianceRules": [...], "scope": ..., "wrapUpCodes": [...]}`. */
export function manifestDigest(content: DigestContent): string {
  return sha256Hex(canonicalJson({ format: MANIFEST_DIGEST_FORMAT, ...content }));
}
