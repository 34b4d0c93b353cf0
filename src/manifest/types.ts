/**
 * Shapes shared by the manifest loader, the schema check, the resource kinds and their callers.
 *
 * Problems are found on plain values and point at a place by (file, document, JSON path); only when
 * a problem is reported is that pointer turned into a line and column (see `locate.ts`). This keeps
 * the common case (valid manifests) free of the cost of a position-keeping YAML parse.
 */
import type { PathSegment, SourceLocation } from '../diagnostics.js';

// The location and pending-diagnostic shapes are shared with every pure module (CRM mappings,
// compliance tests), so they live beside the Diagnostic type; re-exported here for the loader.
export type { PathSegment, PendingDiagnostic, SourceLocation } from '../diagnostics.js';

/** A location that is known by path only: what the loader hands to schema and semantic checks. */
export interface ManifestPointer extends SourceLocation {
  path: readonly PathSegment[];
  document: number;
}

/** A value from a manifest together with where it was written. */
export interface Located<T> {
  value: T;
  at: ManifestPointer;
}

/** Bytes of one manifest file, as read by the I/O edge. */
export interface ManifestSource {
  /** Display path (relative to the working directory when possible); unique per source. */
  file: string;
  bytes: Uint8Array;
}

/** The top-level keys a manifest document may hold (any other key is an error). */
export const MANIFEST_KEYS = [
  'version',
  'wrapUpCodes',
  'complianceRules',
  'crmMappings',
  'complianceTests',
  'scope',
] as const;

/** A top-level manifest key. */
export type ManifestKey = (typeof MANIFEST_KEYS)[number];

/** The list-valued top-level keys, merged across documents by concatenation. */
export const MANIFEST_LIST_KEYS = [
  'wrapUpCodes',
  'complianceRules',
  'crmMappings',
  'complianceTests',
] as const;

/** A list-valued top-level key. */
export type ManifestListKey = (typeof MANIFEST_LIST_KEYS)[number];

/** What `scope` says (which live objects the manifests own), normalised. */
export interface ManifestScope {
  wrapUpCodes?: { codePrefix?: string; categories?: string[] };
  campaigns?: string[];
}
