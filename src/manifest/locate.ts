/**
 * Turns locations known by JSON path into lines and columns, parsing a file with yaml's document
 * API only when one of its locations is first asked for. Whichever parser read the values, every
 * position comes from here (or from the same yaml parse in the slow path), so positions do not
 * depend on the path a file took.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { PendingDiagnostic, SourceLocation } from './types.js';
import { offsetOfPath, parseYamlFile, positionOf, type YamlFile } from './yamlFile.js';

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Resolves {@link SourceLocation}s of the files it knows. */
export class Locator {
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, YamlFile>();

  /** Make `file`'s text known, so its locations can be resolved later. */
  addText(file: string, text: string): void {
    this.texts.set(file, text);
  }

  /** Reuse a yaml parse the slow path already made. */
  addParsed(parsed: YamlFile): void {
    this.texts.set(parsed.file, parsed.text);
    this.parsed.set(parsed.file, parsed);
  }

  /** True when the file's text is known. */
  has(file: string): boolean {
    return this.texts.has(file);
  }

  /** Line and column of `location` (1:1 of the file when it cannot be resolved). */
  locate(location: SourceLocation): Position {
    if (location.line !== undefined) {
      return { line: location.line, column: location.column ?? 1 };
    }
    const parsed = this.yamlFile(location.file);
    if (!parsed || location.path === undefined) return { line: 1, column: 1 };
    const offset = offsetOfPath(parsed, location.document ?? 0, location.path, location.target);
    return positionOf(parsed, offset);
  }

  /** `file:line:col` of `location`, as messages name other places. */
  format(location: SourceLocation): string {
    const { line, column } = this.locate(location);
    return `${location.file}:${line}:${column}`;
  }

  /** The diagnostic with its position filled in and its message written. */
  resolve(pending: PendingDiagnostic): Diagnostic {
    const { line, column } = this.locate(pending.at);
    const message =
      typeof pending.message === 'string'
        ? pending.message
        : pending.message((location) => this.format(location));
    return {
      severity: pending.severity,
      code: pending.code,
      message,
      file: pending.at.file,
      line,
      column,
      ...(pending.hint === undefined ? {} : { hint: pending.hint }),
    };
  }

  private yamlFile(file: string): YamlFile | undefined {
    const known = this.parsed.get(file);
    if (known) return known;
    const text = this.texts.get(file);
    if (text === undefined) return undefined;
    const parsed = parseYamlFile(file, text);
    this.parsed.set(file, parsed);
    return parsed;
  }
}
