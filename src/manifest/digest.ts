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
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const member = record[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
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
}

/** Identifies the digest definition, so a future change of definition cannot collide. */
export const MANIFEST_DIGEST_FORMAT = 'cxctl-manifest-digest/1';

/** sha256 of `{"format": ..., "complianceRules": [...], "scope": ..., "wrapUpCodes": [...]}`. */
export function manifestDigest(content: DigestContent): string {
  return sha256Hex(canonicalJson({ format: MANIFEST_DIGEST_FORMAT, ...content }));
}
