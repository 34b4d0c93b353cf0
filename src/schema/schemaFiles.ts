/** The manifest JSON Schema files (schemas/), shared by the validator and its generator. */

/** The schema files; the manifest schema refers to the others by relative `$ref`. */
export const MANIFEST_SCHEMA_FILES = [
  'wrap-up-code.schema.json',
  'compliance-rule.schema.json',
  'crm-mapping.schema.json',
  'compliance-test.schema.json',
  'manifest.schema.json',
] as const;

/** `$id` of the top-level manifest schema. */
export const MANIFEST_SCHEMA_ID = 'https://cxctl.dev/schemas/manifest.schema.json';

/** Annotation keywords of our own, used to word error messages (`x-unit: seconds`). */
export const ANNOTATION_KEYWORDS = ['x-unit', 'x-pattern-description'] as const;
