/**
 * Positions in large fast-path files without parsing the whole file with yaml.
 *
 * A diagnostic about item k of a top-level list (`wrapUpCodes[54321].duration`) only needs the
 * text of that item. In files that took the fast path (plain block style, see prescan.ts) the
 * items of a top-level block sequence can be found by indentation alone, so the locator parses just
 * that item with yaml, at the cost of a few lines instead of the whole file (about 10 s and 800 MiB
 * for 100,000 codes). The slice is only trusted when yaml reads it without error as one list item
 * with the same shape as the value the fast path produced; otherwise the caller parses the whole
 * file. Offsets are those of the same characters in the file, so positions are identical.
 */
import type { Document, Node } from 'yaml';
import { yamlLib } from './yamlLib.js';

/** Character range [start, end) of a document's text. */
export interface TextRange {
  start: number;
  end: number;
}

/** Offsets of the lines of `text`: `starts[i]` is where line i + 1 begins. */
export function lineStarts(text: string): Uint32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Uint32Array(count);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
  return starts;
}

/** 1-based line and column (UTF-16 code units) of `offset`, as yaml's LineCounter counts them. */
export function positionInText(
  starts: Uint32Array,
  offset: number,
): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/**
 * Text ranges of the non-empty documents of a fast-path file, split at `---` and `...` lines.
 * A document is empty when it holds only blank lines, comments, or a lone null.
 */
export function documentRanges(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  let start = 0;
  let lineStart = 0;
  const push = (end: number) => {
    if (!isEmptyDocumentText(text.slice(start, end))) ranges.push({ start, end });
  };
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (text.startsWith('---', lineStart) || text.startsWith('...', lineStart)) {
      push(lineStart);
      start = lineEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
  if (start < text.length) push(text.length);
  return ranges;
}

function isEmptyDocumentText(text: string): boolean {
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^(?:~|null|Null|NULL)(?:\s+#.*)?$/.test(line)) continue;
    return false;
  }
  return true;
}

/**
 * Start offsets of the items of the block sequence under the top-level key `key` in `range`, and
 * the end of the sequence; undefined when the list is not written as a plain block sequence.
 */
export function sequenceItems(
  text: string,
  range: TextRange,
  key: string,
): { starts: number[]; end: number } | undefined {
  const keyLine = findTopLevelKey(text, range, key);
  if (keyLine === undefined) return undefined;
  const starts: number[] = [];
  let indent = -1;
  let lineStart = keyLine;
  while (lineStart < range.end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > range.end) lineEnd = range.end;
    let column = 0;
    while (text.charCodeAt(lineStart + column) === 0x20) column++;
    const first = lineStart + column;
    const blank = first >= lineEnd || text.charCodeAt(first) === 0x0d;
    if (!blank && text.charCodeAt(first) !== 0x23) {
      const isItem =
        text.charCodeAt(first) === 0x2d &&
        (first + 1 >= lineEnd ||
          text.charCodeAt(first + 1) === 0x20 ||
          text.charCodeAt(first + 1) === 0x0d);
      if (indent < 0) {
        if (!isItem) return undefined;
        indent = column;
      }
      if (column < indent || (column === indent && !isItem)) return { starts, end: lineStart };
      if (column === indent) starts.push(lineStart);
    }
    lineStart = lineEnd + 1;
  }
  return indent < 0 ? undefined : { starts, end: range.end };
}

/** Offset of the line after `key:` at column 0 in `range`, when its value starts on a later line. */
function findTopLevelKey(text: string, range: TextRange, key: string): number | undefined {
  const spellings = [`${key}:`, `"${key}":`, `'${key}':`];
  let lineStart = range.start;
  while (lineStart < range.end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > range.end) lineEnd = range.end;
    for (const spelling of spellings) {
      if (!text.startsWith(spelling, lineStart)) continue;
      const rest = text.slice(lineStart + spelling.length, lineEnd).trim();
      if (rest !== '' && !rest.startsWith('#')) return undefined; // a value on the key's line
      return lineEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/**
 * Parse `text.slice(start, end)` (one list item) with yaml; the item's node when yaml reads it
 * without error as a one-item list with the shape of `expected`.
 */
export function parseItemSlice(
  text: string,
  start: number,
  end: number,
  expected: unknown,
): { document: Document.Parsed; item: Node } | undefined {
  const { parseDocument, isSeq } = yamlLib();
  const document = parseDocument(text.slice(start, end), {
    schema: 'core',
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: false,
  });
  if (document.errors.length > 0 || document.warnings.length > 0) return undefined;
  const contents = document.contents;
  if (!isSeq(contents) || contents.items.length !== 1) return undefined;
  const item = contents.items[0] as Node;
  return sameShape(item, expected) ? { document, item } : undefined;
}

/**
 * True when the yaml node reads as `value`: same keys, lengths and scalars (strings that held an
 * `${...}` reference are compared by presence only, as the value is interpolated).
 */
function sameShape(node: unknown, value: unknown): boolean {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.includes('${'))
      return typeof value === 'string';
    return Object.is(node.value, value) || (node.value === null && value === null);
  }
  if (isSeq(node)) {
    if (!Array.isArray(value) || value.length !== node.items.length) return false;
    return node.items.every((item, index) => sameShape(item, value[index]));
  }
  if (isMap(node)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length !== node.items.length) return false;
    return node.items.every(
      (pair) =>
        isPair(pair) &&
        isScalar(pair.key) &&
        Object.hasOwn(record, String(pair.key.value)) &&
        sameShape(pair.value, record[String(pair.key.value)]),
    );
  }
  return node === null && value === null;
}
