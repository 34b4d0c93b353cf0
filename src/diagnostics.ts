/**
 * The one shape of every user-facing problem found in manifests, configuration or plans.
 *
 * Positions are 1-based, as editors and GitHub annotations show them.
 */
export type Severity = 'error' | 'warning';

/** A problem at a place in a file. */
export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. `schema.range`, `wrapUpCode.duplicate`, `yaml.duplicateKey`. */
  code: string;
  /** A sentence in the user's words: what is wrong, with the offending value. */
  message: string;
  /** Path of the file as the user gave it (relative to the working directory when possible). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** What to do about it, e.g. `did you mean "duration"?`. */
  hint?: string;
}

/** Sort order used everywhere diagnostics are printed: by file, line, column, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** True when any diagnostic is an error (warnings count as errors under `strict`). */
export function hasErrors(diagnostics: readonly Diagnostic[], strict = false): boolean {
  return diagnostics.some((d) => d.severity === 'error' || (strict && d.severity === 'warning'));
}
