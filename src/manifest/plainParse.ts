/**
 * The plain parse: a line-based reader for the simplest YAML manifests are written in, tried on
 * the fast path before js-yaml (fastParse.ts). Large generated or exported files of wrap-up codes
 * are exactly this shape, and reading them line by line takes a third of js-yaml's time.
 *
 * It reads one document whose root is a block mapping at column 0, made only of:
 * - `key: value` and `key:` lines, keys of letters, digits and `_` starting with a letter that the
 *   core schema reads as strings (not `true`, `null`, ...), each key once per mapping;
 * - block sequences (`- item`), also at the indentation of the key that owns them, whose items
 *   are scalars or mappings starting on the `- ` line;
 * - one-line scalars: plain (resolved exactly as the core schema resolves them, by
 *   {@link resolveCorePlainScalar}), single-quoted, or double-quoted without escapes;
 * - blank lines and comment lines.
 *
 * Anything else (flow collections, block scalars, comments after a value, document markers,
 * escapes, indentation it does not expect, lines over {@link LONGEST_LINE} characters, ...) makes
 * it answer `undefined`, and js-yaml reads the file as before. It runs on text the prescan admitted
 * (prescan.ts: no tabs, no control characters, no anchors, tags or multi-line scalars), or on
 * printable ASCII text before the prescan ({@link isPlainAscii}): what the prescan guards against
 * is either not ASCII or a shape this parser refuses anyway. test/manifest/plainParse.test.ts
 * holds it to js-yaml's values and to the slow path's on random manifest-like text, with and
 * without the prescan.
 */
import { resolveCorePlainScalar } from './coreSchema.js';
import { FORBIDDEN_KEYS } from './limits.js';
import { LONGEST_LINE } from './prescan.js';

// Deeper documents are left to js-yaml, which applies the loader's depth limit.
const MAX_DEPTH = 16;

/** Sentinel for "not this parser's kind of text". */
const NO = Symbol('no');
// A parsed value, or NO (unknown already includes the symbol; the name says what to expect).
type Result = unknown;

/**
 * True when `text` is printable ASCII and line feeds only (no tab, carriage return or other
 * control character): such text may go to {@link parsePlainYaml} without the prescan.
 */
export function isPlainAscii(text: string): boolean {
  return !/[^\x20-\x7e\n]/.test(text);
}

/**
 * The documents of `text` (one), or undefined when the text is not in the shape this parser reads.
 * `text` must be text the prescan admitted, or plain ASCII ({@link isPlainAscii}).
 */
export function parsePlainYaml(text: string): unknown[] | undefined {
  const lines = contentLines(text);
  if (lines === undefined || lines.count === 0 || lines.indent[0] !== 0) return undefined;
  const parser = new PlainParser(text, lines);
  const root = parser.block(0, 0);
  if (root === NO || parser.line !== lines.count) return undefined;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return undefined;
  return [root];
}

/** The lines with content: indentation, and where the content starts and ends (no line break). */
interface ContentLines {
  count: number;
  indent: number[];
  start: number[];
  end: number[];
}

function contentLines(text: string): ContentLines | undefined {
  const lines: ContentLines = { count: 0, indent: [], start: [], end: [] };
  const length = text.length;
  let lineStart = 0;
  while (lineStart < length) {
    let next = text.indexOf('\n', lineStart);
    if (next < 0) next = length;
    if (next - lineStart > LONGEST_LINE) return undefined;
    let end = next;
    if (end > lineStart && text.charCodeAt(end - 1) === 0x0d) end--;
    let first = lineStart;
    while (first < end && text.charCodeAt(first) === 0x20) first++;
    if (first < end && text.charCodeAt(first) !== 0x23 /* # */) {
      // Document markers and directives: js-yaml's business.
      if (first === lineStart) {
        const c = text.charCodeAt(first);
        if (c === 0x25 || text.startsWith('---', first) || text.startsWith('...', first)) {
          return undefined;
        }
      }
      while (text.charCodeAt(end - 1) === 0x20) end--;
      lines.indent.push(first - lineStart);
      lines.start.push(first);
      lines.end.push(end);
      lines.count++;
    }
    lineStart = next + 1;
  }
  return lines;
}

class PlainParser {
  /** The next content line to read. */
  line = 0;

  constructor(
    private readonly text: string,
    private readonly lines: ContentLines,
  ) {}

  /** The block node whose first line is the current one, at `indent`. */
  block(indent: number, depth: number): Result {
    if (depth > MAX_DEPTH) return NO;
    return this.isSequenceEntry(this.line)
      ? this.sequence(indent, depth)
      : this.mapping(indent, depth);
  }

  private isSequenceEntry(line: number): boolean {
    const start = this.lines.start[line]!;
    return (
      this.text.charCodeAt(start) === 0x2d &&
      (start + 1 === this.lines.end[line] || this.text.charCodeAt(start + 1) === 0x20)
    );
  }

  private mapping(indent: number, depth: number): Result {
    const { text, lines } = this;
    const result: Record<string, unknown> = {};
    while (this.line < lines.count && lines.indent[this.line] === indent) {
      const start = lines.start[this.line]!;
      const end = lines.end[this.line]!;
      const keyEnd = keyEndAt(text, start, end);
      if (keyEnd < 0) return NO;
      const key = text.slice(start, keyEnd);
      if (
        FORBIDDEN_KEYS.has(key) ||
        Object.hasOwn(result, key) ||
        resolveCorePlainScalar(key) !== undefined
      ) {
        return NO;
      }
      let value: Result;
      let at = keyEnd + 1;
      this.line++;
      if (at < end) {
        while (text.charCodeAt(at) === 0x20) at++;
        value = scalar(text, at, end);
      } else if (this.line < lines.count && lines.indent[this.line]! > indent) {
        value = this.block(lines.indent[this.line]!, depth + 1);
      } else if (
        this.line < lines.count &&
        lines.indent[this.line] === indent &&
        this.isSequenceEntry(this.line)
      ) {
        // A block sequence may sit at the indentation of the key that owns it.
        value = this.sequence(indent, depth + 1);
      } else {
        value = null;
      }
      if (value === NO) return NO;
      result[key] = value;
    }
    return result;
  }

  private sequence(indent: number, depth: number): Result {
    const { text, lines } = this;
    const result: unknown[] = [];
    while (
      this.line < lines.count &&
      lines.indent[this.line] === indent &&
      this.isSequenceEntry(this.line)
    ) {
      const start = lines.start[this.line]!;
      const end = lines.end[this.line]!;
      let at = start + 1;
      while (at < end && text.charCodeAt(at) === 0x20) at++;
      if (at >= end) return NO; // the item's node on the next lines: left to js-yaml
      if (keyEndAt(text, at, end) >= 0) {
        // A mapping starting on the `- ` line: its keys line up with the first one.
        const column = indent + (at - start);
        lines.indent[this.line] = column;
        lines.start[this.line] = at;
        const item = this.mapping(column, depth + 1);
        if (item === NO) return NO;
        result.push(item);
      } else {
        const item = scalar(text, at, end);
        if (item === NO) return NO;
        result.push(item);
        this.line++;
      }
    }
    return result;
  }
}

/**
 * Where the `:` of a `key:` entry starting at `start` is, or -1 when the line is not a simple
 * entry (the key is not letters, digits and `_` after a letter, or no `: `/end follows).
 */
function keyEndAt(text: string, start: number, end: number): number {
  let at = start;
  const first = text.charCodeAt(at);
  if (!((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a))) return -1;
  at++;
  while (at < end) {
    const c = text.charCodeAt(at);
    if (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x5f
    ) {
      at++;
    } else {
      break;
    }
  }
  if (at >= end || text.charCodeAt(at) !== 0x3a) return -1;
  return at + 1 === end || text.charCodeAt(at + 1) === 0x20 ? at : -1;
}

/** The one-line scalar from `start` to `end` (trailing spaces already cut), or {@link NO}. */
function scalar(text: string, start: number, end: number): Result {
  const first = text.charCodeAt(start);
  if (first === 0x27 /* ' */) return singleQuoted(text, start, end);
  if (first === 0x22 /* " */) {
    const close = text.indexOf('"', start + 1);
    if (close !== end - 1) return NO; // text after the closing quote, or an escaped quote
    const value = text.slice(start + 1, close);
    return value.includes('\\') ? NO : value;
  }
  // Indicators that start something other than a plain scalar (or might: `-`, `?`, `:`).
  switch (first) {
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x2c: // ,
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x3f: // ?
    case 0x3a: // :
      return NO;
    case 0x2d: // -
      if (start + 1 === end || text.charCodeAt(start + 1) === 0x20) return NO;
      break;
    default:
      break;
  }
  for (let at = start + 1; at < end; at++) {
    const c = text.charCodeAt(at);
    // `: ` would make a mapping, ` #` a comment: not a one-line plain scalar.
    if (c === 0x3a && (at + 1 === end || text.charCodeAt(at + 1) === 0x20)) return NO;
    if (c === 0x23 && text.charCodeAt(at - 1) === 0x20) return NO;
  }
  const value = text.slice(start, end);
  const resolved = resolveCorePlainScalar(value);
  return resolved === undefined ? value : resolved;
}

function singleQuoted(text: string, start: number, end: number): Result {
  let value = '';
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote < 0 || quote >= end) return NO;
    value += text.slice(from, quote);
    if (quote + 1 < end && text.charCodeAt(quote + 1) === 0x27) {
      value += "'";
      from = quote + 2;
      continue;
    }
    return quote === end - 1 ? value : NO;
  }
}
