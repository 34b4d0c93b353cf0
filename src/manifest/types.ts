/**
 * Shapes shared by the manifest loader, the schema check, the resource kinds and their callers.
 *
 * Problems are found on plain values and point at a place by (file, document, JSON path); only when
 * a problem is reported is that pointer turned into a line and column (see `locate.ts`). This keeps
 * the common case (valid manifests) free of the cost of a position-keeping YAML parse.
 */
import type { Severity } from '../diagnostics.js';

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Where something was written: the file plus, when already known, the 1-based line and column, or
 * else the JSON path of the node inside its YAML document.
 *
 * `document` is the 0-based ordinal of the document among the file's non-empty documents (documents
 * whose content is null or only comments are skipped, so both YAML parsers count alike).
 */
export interface SourceLocation {
  /** Path of the file as shown to the user (relative to the working directory when possible). */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** JSON path of the node inside its document, e.g. `['wrapUpCodes', 3, 'duration']`. */
  path?: readonly PathSegment[];
  /** Ordinal of the non-empty document inside the file (0 when omitted). */
  document?: number;
  /**
   * What the location points at when `path` ends at a mapping entry: its value (default) or its
   * key (used for unknown keys, so the caret sits on the misspelt name).
   */
  target?: 'value' | 'key';
}

/** A location that is known by path only: what the loader hands to schema and semantic checks. */
export interface ManifestPointer extends SourceLocation {
  path: readonly PathSegment[];
  document: number;
}

/**
 * A problem found before positions are known. The message is final text; a message that names
 * other places is a function given a formatter that turns a location into `file:line:col`.
 */
export interface PendingDiagnostic {
  severity: Severity;
  /** Stable code, e.g. `schema.range`, `wrapUpCode.duplicate`. */
  code: string;
  message: string | ((where: (location: SourceLocation) => string) => string);
  at: SourceLocation;
  hint?: string;
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

/** The top-level keys a manifest document may hold (SPEC section 3). */
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
