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

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Where something was written: the file plus, when already known, the 1-based line and column, or
 * else the JSON path of the node inside its YAML document.
 *
 * `document` is the 0-based ordinal of the document among the file's non-empty documents (documents
 * whose content is null or only comments are skipped, so both YAML parsers count alike). Places in
 * other files (a CRM status list in CSV) always carry their line and column.
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

/** Writes a location into a message, e.g. as `file:line:col`. */
export type LocationFormatter = (location: SourceLocation) => string;

/**
 * A problem found before positions are known: what pure modules (manifest checks, kinds, CRM
 * mappings, compliance test references) return. The message is final text; a message that names
 * other places is a function given a formatter that turns a location into `file:line:col`, so
 * positions are computed only for what is reported.
 */
export interface PendingDiagnostic {
  severity: Severity;
  /** Stable code, e.g. `schema.range`, `wrapUpCode.duplicate`, `crm.orphanMapping`. */
  code: string;
  message: string | ((where: LocationFormatter) => string);
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
 * The location as a message names it without a locator: `file:line:col` when the position is
 * known, else `file (json.path)`, else just the file.
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
export function pendingMessage(
  pending: PendingDiagnostic,
  where: LocationFormatter = formatLocation,
): string {
  return typeof pending.message === 'string' ? pending.message : pending.message(where);
}

/**
 * One pending diagnostic as a {@link Diagnostic}. A location without a line is resolved with
 * `resolve` (the manifest locator passes its own); when that is not possible the diagnostic points
 * at line 1, column 1 of the file, and a place the message names is written as `file (json.path)`.
 */
export function pendingToDiagnostic(
  pending: PendingDiagnostic,
  resolve?: PositionResolver,
): Diagnostic {
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
  const position = locate(pending.at);
  const diagnostic: Diagnostic = {
    severity: pending.severity,
    code: pending.code,
    message: pendingMessage(pending, where),
    file: pending.at.file,
    line: position?.line ?? 1,
    column: position?.column ?? 1,
  };
  if (pending.hint !== undefined) diagnostic.hint = pending.hint;
  return diagnostic;
}

/** Every pending diagnostic as a {@link Diagnostic}; see {@link pendingToDiagnostic}. */
export function pendingToDiagnostics(
  pending: readonly PendingDiagnostic[],
  resolve?: PositionResolver,
): Diagnostic[] {
  return pending.map((item) => pendingToDiagnostic(item, resolve));
}
