/**
 * Hard limits of the manifest loader, documented in docs/manifests.md. They exist so that no input
 * file, however hostile, can make cxctl spend more than linear time or unbounded memory.
 */

/** Largest manifest file read, in bytes (16 MiB: about 100,000 wrap-up codes with descriptions). */
export const MAX_MANIFEST_FILE_BYTES = 16 * 1024 * 1024;

/** Most alias nodes (`*name`) in one document. */
export const MAX_ALIASES_PER_DOCUMENT = 100;

/** Most nodes that alias expansion may add to one document (stops "billion laughs" documents). */
export const MAX_ALIAS_EXPANSION_NODES = 10_000;

/** Deepest nesting of mappings and lists the loader accepts. */
export const MAX_NESTING_DEPTH = 64;

/** Keys refused anywhere in a manifest, because JavaScript gives them a meaning. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);
