/**
 * The position-keeping parse of one file with yaml's document API, shared by the slow path (which
 * converts it to values) and by the locator (which turns JSON paths into lines and columns).
 */
import type { Document, LineCounter, Node } from 'yaml';
import type { PathSegment } from './types.js';
import { yamlLib } from './yamlLib.js';

/** A file parsed by yaml, with its non-empty documents in order. */
export interface YamlFile {
  file: string;
  text: string;
  lineCounter: LineCounter;
  /** Non-empty documents (see {@link SourceLocation.document}), in order. */
  documents: Document.Parsed[];
  /** Errors that belong to no document (an empty stream with stray tokens). */
  streamErrors: { message: string; offset: number }[];
}

/** Parse `text` with yaml's core schema, keeping ranges; duplicate keys are left to the caller. */
export function parseYamlFile(file: string, text: string): YamlFile {
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    schema: 'core',
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    intAsBigInt: false,
  });
  const documents: Document.Parsed[] = [];
  const streamErrors: { message: string; offset: number }[] = [];
  if (Array.isArray(parsed)) {
    for (const document of parsed as Document.Parsed[]) {
      if (!isEmptyDocument(document)) documents.push(document);
    }
  } else {
    for (const error of (parsed as { errors: { message: string; pos: [number, number] }[] })
      .errors) {
      streamErrors.push({ message: error.message, offset: error.pos[0] });
    }
  }
  return { file, text, lineCounter, documents, streamErrors };
}

/** A document with no content (only comments, or a plain null) and nothing to report. */
function isEmptyDocument(document: Document.Parsed): boolean {
  const { isScalar } = yamlLib();
  if (document.errors.length > 0 || document.warnings.length > 0) return false;
  const contents = document.contents;
  if (contents === null) return true;
  return (
    isScalar(contents) &&
    contents.value === null &&
    contents.tag === undefined &&
    contents.anchor === undefined
  );
}

/** 1-based line and column of a character offset in the file. */
export function positionOf(file: YamlFile, offset: number): { line: number; column: number } {
  const { line, col } = file.lineCounter.linePos(offset);
  return { line, column: col };
}

/** The string a mapping key stands for, as both parsers turn scalar keys into object keys. */
export function keyString(value: unknown): string {
  return String(value);
}

/**
 * Character offset of the node at `path` in document `documentIndex`: the start of the value, or of
 * the key when `target` is `key` and the path ends at a mapping entry. Aliases are followed to the
 * anchored node. When the path leaves the document (a missing property), the deepest node reached
 * is used, which is the object the property is missing from.
 */
export function offsetOfPath(
  file: YamlFile,
  documentIndex: number,
  path: readonly PathSegment[],
  target: 'value' | 'key' = 'value',
): number {
  const document = file.documents[documentIndex];
  if (!document) return 0;
  return offsetInNode(document, document.contents, path, target);
}

/** Like {@link offsetOfPath}, from `root` (a node of `document`) down `path`. */
export function offsetInNode(
  document: Document.Parsed,
  root: unknown,
  path: readonly PathSegment[],
  target: 'value' | 'key' = 'value',
): number {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  let node: unknown = root;
  let offset = startOf(follow(node, document)) ?? 0;
  for (let i = 0; i < path.length; i++) {
    node = follow(node, document);
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const wanted = String(segment);
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && keyString(item.key.value) === wanted,
      );
      if (!pair) return offset;
      const keyOffset = startOf(pair.key);
      if (last && target === 'key') return keyOffset ?? offset;
      const valueOffset = startOf(follow(pair.value, document));
      offset = valueOffset ?? keyOffset ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return offset;
      offset = startOf(follow(item, document)) ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** The node an alias points at (or the node itself); aliases of aliases are followed too. */
function follow(node: unknown, document: Document.Parsed): unknown {
  const { isAlias } = yamlLib();
  let current = node;
  for (let hops = 0; hops < 8 && isAlias(current); hops++) {
    current = current.resolve(document);
  }
  return current;
}

function startOf(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const range = (node as Node).range;
  return range ? range[0] : undefined;
}
