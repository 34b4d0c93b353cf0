/**
 * The manifest JSON Schemas (schemas/*.schema.json), compiled once with ajv in strict mode.
 *
 * The schemas are the product's published contract (editors use them through the YAML language
 * server), so validation uses exactly these files rather than a copy in code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from '../util/packageRoot.js';

/** The schema files, by file name; the manifest schema refers to the others by relative `$ref`. */
export const MANIFEST_SCHEMA_FILES = [
  'wrap-up-code.schema.json',
  'compliance-rule.schema.json',
  'crm-mapping.schema.json',
  'compliance-test.schema.json',
  'manifest.schema.json',
] as const;

/** Annotation keywords of our own, used to word error messages (`x-unit: seconds`). */
export const ANNOTATION_KEYWORDS = ['x-unit', 'x-pattern-description'] as const;

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let compiled: ValidateFunction | undefined;

/** Read a schema file shipped with cxctl. */
export function readSchemaFile(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packageRoot(), 'schemas', name), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The validator of one manifest document, compiled on first use and then reused. */
export function manifestDocumentValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    strictNumbers: true,
  });
  addFormats(ajv, ['date-time']);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  for (const name of MANIFEST_SCHEMA_FILES) ajv.addSchema(readSchemaFile(name));
  const validator = ajv.getSchema('https://cxctl.dev/schemas/manifest.schema.json');
  if (!validator) throw new Error('manifest.schema.json did not compile');
  compiled = validator;
  return validator;
}
