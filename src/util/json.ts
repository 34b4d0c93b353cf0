/**
 * Telling JSON values apart, for code that reads parsed input (manifests, seeds, request bodies).
 */

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
