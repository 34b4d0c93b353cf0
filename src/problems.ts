/**
 * Problems found by pure core modules (CRM mappings, compliance test references), as data.
 *
 * A core module does not know how the manifest loader keeps source positions, so a problem points at
 * a {@link SourceLocation}: the file plus, when known, the 1-based line and column, or the JSON path
 * of the node inside its document. A message that names another place is a function of a formatter,
 * so the place can be written as `file:line:col` once positions are resolved. The shapes match the
 * manifest loader's `SourceLocation` and `PendingDiagnostic`, so a problem can go straight to its
 * locator; without one, {@link problemsToDiagnostics} turns problems into {@link Diagnostic}s.
 */
import type { Diagnostic, Severity } from './diagnostics.js';

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/** Where something was written. */
export interface SourceLocation {
  /** Path of the file as the user gave it. */
  file: string;
  /** 1-based line, when known (always known for CSV files). */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** JSON path of the node inside its YAML document, e.g. `['crmMappings', 0, 'rules', 2]`. */
  path?: readonly PathSegment[];
  /** 0-based index of the YAML document inside a multi-document file. */
  document?: number;
  /** When `path` ends at a mapping entry: point at its value (default) or its key. */
  target?: 'value' | 'key';
}

/** Writes a location into a message, e.g. as `file:line:col`. */
export type LocationFormatter = (location: SourceLocation) => string;

/**
 * A message: final text, or, when it names other places, a function that writes it given a
 * formatter for those places.
 */
export type ProblemMessage = string | ((where: LocationFormatter) => string);

/** A problem at a place, with other places it relates to (for example the first of two duplicates). */
export interface Problem {
  severity: Severity;
  /** Stable code, e.g. `crm.orphanMapping`. */
  code: string;
  /** One sentence; see {@link ProblemMessage}. */
  message: ProblemMessage;
  at: SourceLocation;
  hint?: string;
  /** Other places the message names, for renderers that can link to them. */
  related?: SourceLocation[];
}

/** Maps a location without a line/column (only a JSON path) to a position, when it can. */
export type PositionResolver = (
  location: SourceLocation,
) => { line: number; column: number } | undefined;

/** `wrapUpCodes[3].name` for `['wrapUpCodes', 3, 'name']`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment))
      text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The location as a message names it: `file:line:col` when the position is known, else
 * `file (json.path)`, else just the file.
 */
export function formatLocation(location: SourceLocation): string {
  if (location.line !== undefined) {
    return `${location.file}:${location.line}:${location.column ?? 1}`;
  }
  if (location.path !== undefined && location.path.length > 0) {
    return `${location.file} (${formatPath(location.path)})`;
  }
  return location.file;
}

/** The message as text, writing the places it names with `where` (default {@link formatLocation}). */
export function problemMessage(
  problem: Problem,
  where: LocationFormatter = formatLocation,
): string {
  return typeof problem.message === 'string' ? problem.message : problem.message(where);
}

/**
 * One problem as a {@link Diagnostic}. A location without a line is resolved with `resolve`; when
 * that is not possible the diagnostic points at line 1, column 1 of the file, and a place the
 * message names is written as `file (json.path)`.
 */
export function problemToDiagnostic(problem: Problem, resolve?: PositionResolver): Diagnostic {
  const locate = (location: SourceLocation): { line: number; column: number } | undefined =>
    location.line !== undefined
      ? { line: location.line, column: location.column ?? 1 }
      : resolve?.(location);
  const where: LocationFormatter = (location) => {
    const position = locate(location);
    return position === undefined
      ? formatLocation(location)
      : `${location.file}:${position.line}:${position.column}`;
  };
  const position = locate(problem.at);
  const diagnostic: Diagnostic = {
    severity: problem.severity,
    code: problem.code,
    message: problemMessage(problem, where),
    file: problem.at.file,
    line: position?.line ?? 1,
    column: position?.column ?? 1,
  };
  if (problem.hint !== undefined) diagnostic.hint = problem.hint;
  return diagnostic;
}

/** Every problem as a {@link Diagnostic}; see {@link problemToDiagnostic}. */
export function problemsToDiagnostics(
  problems: readonly Problem[],
  resolve?: PositionResolver,
): Diagnostic[] {
  return problems.map((problem) => problemToDiagnostic(problem, resolve));
}
