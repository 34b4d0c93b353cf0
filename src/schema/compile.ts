/**
 * The validator of one manifest document: the JSON Schemas in schemas/ compiled by ajv (strict
 * mode, all errors, verbose) ahead of time into src/generated/manifestValidator.ts, so validating
 * needs neither ajv's compiler nor its start-up cost. test/schema/generated.test.ts keeps the
 * generated code in step with the schema files.
 */
import type { ErrorObject } from 'ajv';
import { validateManifestDocument } from '../generated/manifestValidator.js';

/** A compiled validator: returns true when valid, else leaves the errors in `errors`. */
export interface DocumentValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The validator of one manifest document. */
export function manifestDocumentValidator(): DocumentValidator {
  return validateManifestDocument;
}
