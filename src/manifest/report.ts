/**
 * The result of `cxctl validate` as plain data for the renderers: diagnostics (with warnings
 * promoted to errors under `--strict`), counts, and the digest of a clean manifest set.
 */
import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { ManifestResult } from './pipeline.js';

/** What the validate renderers print. */
export interface ValidateReport {
  ok: boolean;
  summary: {
    files: number;
    errors: number;
    warnings: number;
    wrapUpCodes: number;
    complianceRules: number;
  };
  /** sha256 of the normalised desired state; null when there are errors. */
  digest: string | null;
  diagnostics: Diagnostic[];
}

/** Build the report; under `strict` every warning is reported (and counted) as an error. */
export function buildValidateReport(
  result: Pick<ManifestResult, 'files' | 'desired' | 'digest'>,
  diagnostics: readonly Diagnostic[],
  strict: boolean,
): ValidateReport {
  const shown = diagnostics
    .map((diagnostic) =>
      strict && diagnostic.severity === 'warning'
        ? { ...diagnostic, severity: 'error' as const }
        : diagnostic,
    )
    .sort(compareDiagnostics);
  const errors = shown.filter((diagnostic) => diagnostic.severity === 'error').length;
  return {
    ok: errors === 0,
    summary: {
      files: result.files.length,
      errors,
      warnings: shown.length - errors,
      wrapUpCodes: result.desired.wrapUpCodes.length,
      complianceRules: result.desired.complianceRules.length,
    },
    digest: errors === 0 ? result.digest : null,
    diagnostics: shown,
  };
}
