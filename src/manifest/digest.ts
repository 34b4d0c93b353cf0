/**
 * The manifest digest: sha256 over the canonical JSON of the normalised desired state, so it
 * changes exactly when what a plan would aim for changes. It does not depend on file names, the
 * order of files or documents, how items are split across files, YAML formatting, comments, key
 * order, defaults written out or left implicit, or the order of order-free lists. See
 * docs/manifests.md for the exact definition.
 */
import { canonicalJson, sha256Hex } from '../util/canonical.js';

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
