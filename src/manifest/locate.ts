/**
 * Turns locations known by JSON path into lines and columns, parsing with yaml's document API only
 * when a location in a file is first asked for. Whichever parser read the values, every position
 * comes from a yaml parse of the same characters, so positions do not depend on the path a file
 * took.
 *
 * For large files that took the fast path, a location inside an item of a top-level list is found
 * by parsing only that item (see slice.ts); anything else parses the whole file once and reuses it.
 */
import { pendingToDiagnostic, type Diagnostic } from '../diagnostics.js';
import {
  documentRanges,
  lineStarts,
  parseItemSlice,
  positionInText,
  sequenceItems,
  type TextRange,
} from './slice.js';
import type { PendingDiagnostic, SourceLocation } from './types.js';
import {
  offsetInNode,
  offsetOfPath,
  parseYamlFile,
  positionOf,
  type YamlFile,
} from './yamlFile.js';

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Files at least this large (in characters) locate list items by slice rather than whole. */
export const DEFAULT_SLICE_THRESHOLD = 128 * 1024;

interface SliceIndex {
  lineStarts: Uint32Array;
  documents: TextRange[];
  lists: Map<string, { starts: number[]; end: number } | undefined>;
}

/** Resolves {@link SourceLocation}s of the files it knows. */
export class Locator {
  private readonly texts = new Map<string, string>();
  private readonly values = new Map<string, readonly unknown[]>();
  private readonly parsed = new Map<string, YamlFile>();
  private readonly slices = new Map<string, SliceIndex>();
  /** How positions were found: by item slice, and by whole-file parses (for tests and benches). */
  readonly stats = { sliced: 0, fileParses: 0 };

  /** @param sliceThreshold file size from which list items are located by slice (tests use 0). */
  constructor(private readonly sliceThreshold = DEFAULT_SLICE_THRESHOLD) {}

  /** Make a fast-path file known: its text, and the values the fast path read from it. */
  addText(file: string, text: string, documents?: readonly unknown[]): void {
    this.texts.set(file, text);
    if (documents) this.values.set(file, documents);
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
    if (location.path === undefined) return { line: 1, column: 1 };
    if (!this.parsed.has(location.file)) {
      const sliced = this.locateBySlice(location);
      if (sliced) return sliced;
    }
    const parsed = this.yamlFile(location.file);
    if (!parsed) return { line: 1, column: 1 };
    const offset = offsetOfPath(parsed, location.document ?? 0, location.path, location.target);
    return positionOf(parsed, offset);
  }

  /**
   * The line where the list item `location` points at starts (a top-level list item such as
   * `['wrapUpCodes', 12]`): what plans show as an object's source. For files that took the fast
   * path it is found from indentation alone, without any YAML parse, so a plan that creates
   * 100,000 codes does not parse 100,000 slices; anything else is {@link locate}d.
   */
  itemLine(location: SourceLocation): number {
    const path = location.path;
    if (path?.length === 2 && !this.parsed.has(location.file)) {
      const line = this.itemStartLine(location.file, location.document ?? 0, path[0], path[1]);
      if (line !== undefined) return line;
    }
    return this.locate(location).line;
  }

  /** `file:line:col` of `location`, as messages name other places. */
  format(location: SourceLocation): string {
    const { line, column } = this.locate(location);
    return `${location.file}:${line}:${column}`;
  }

  /** The diagnostic with its position filled in and its message written. */
  resolve(pending: PendingDiagnostic): Diagnostic {
    return pendingToDiagnostic(pending, (location) => this.locate(location));
  }

  private locateBySlice(location: SourceLocation): Position | undefined {
    const path = location.path!;
    const text = this.texts.get(location.file);
    if (text === undefined || text.length < this.sliceThreshold) return undefined;
    const found = this.listItem(location.file, location.document ?? 0, path[0], path[1]);
    if (!found) return undefined;
    const slice = parseItemSlice(found.text, found.start, found.end, found.value);
    if (!slice) return undefined;
    const offset = offsetInNode(slice.document, slice.item, path.slice(2), location.target);
    this.stats.sliced += 1;
    return positionInText(found.lineStarts, found.start + offset);
  }

  private itemStartLine(
    file: string,
    documentIndex: number,
    key: string | number | undefined,
    index: string | number | undefined,
  ): number | undefined {
    const found = this.listItem(file, documentIndex, key, index);
    if (!found) return undefined;
    const { text, start } = found;
    const { line } = positionInText(found.lineStarts, start);
    // `-` alone on its line: the item's content starts on a later line, so let the parse decide.
    const dash = text.indexOf('-', start);
    const lineEnd = text.indexOf('\n', dash);
    const rest = text.slice(dash + 1, lineEnd < 0 ? text.length : lineEnd).trim();
    if (rest === '' || rest.startsWith('#')) return undefined;
    return line;
  }

  /**
   * Where item `index` of the top-level list `key` of a document starts and ends in the file's
   * text, found by indentation (slice.ts), when the file's values and its text agree on the list.
   */
  private listItem(
    file: string,
    documentIndex: number,
    key: string | number | undefined,
    index: string | number | undefined,
  ):
    | { text: string; lineStarts: Uint32Array; start: number; end: number; value: unknown }
    | undefined {
    if (typeof key !== 'string' || typeof index !== 'number') return undefined;
    const text = this.texts.get(file);
    const values = this.values.get(file);
    if (text === undefined || values === undefined) return undefined;
    const list = (values[documentIndex] as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(list) || index >= list.length) return undefined;
    const slices = this.sliceIndex(file, text);
    if (slices.documents.length !== values.length) return undefined;
    const listKey = `${documentIndex}/${key}`;
    if (!slices.lists.has(listKey)) {
      slices.lists.set(listKey, sequenceItems(text, slices.documents[documentIndex]!, key));
    }
    const items = slices.lists.get(listKey);
    if (!items || items.starts.length !== list.length) return undefined;
    const start = items.starts[index]!;
    const end = items.starts[index + 1] ?? items.end;
    return { text, lineStarts: slices.lineStarts, start, end, value: list[index] as unknown };
  }

  private sliceIndex(file: string, text: string): SliceIndex {
    let index = this.slices.get(file);
    if (!index) {
      index = { lineStarts: lineStarts(text), documents: documentRanges(text), lists: new Map() };
      this.slices.set(file, index);
    }
    return index;
  }

  private yamlFile(file: string): YamlFile | undefined {
    const known = this.parsed.get(file);
    if (known) return known;
    const text = this.texts.get(file);
    if (text === undefined) return undefined;
    const parsed = parseYamlFile(file, text);
    this.stats.fileParses += 1;
    this.parsed.set(file, parsed);
    return parsed;
  }
}
