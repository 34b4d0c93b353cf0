/**
 * Where a JSON value sits in its text, for errors that name a line and column: by parsing the text
 * again with the `yaml` parser (JSON is YAML), which keeps the source range of every node. Only
 * called once something is wrong, so the second parse costs nothing on the good path.
 */
import { isMap, isSeq, parseDocument, type Node } from 'yaml';

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Source offset of the node at JSON Pointer `pointer` (or of its nearest existing ancestor). */
export function pointerOffset(text: string, pointer: string): number {
  const document = parseDocument(text, { uniqueKeys: false });
  let node: unknown = document.contents;
  let offset = (document.contents as Node | null)?.range?.[0] ?? 0;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeSegment);
  for (const segment of segments) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown } | null)?.value) === segment,
      );
      if (pair) {
        // Point at the key for a mapping entry: that is where an editor shows the problem.
        const keyRange = (pair.key as Node | null)?.range;
        if (keyRange) offset = keyRange[0];
        next = pair.value;
        if (next === null || next === undefined) break;
        const valueRange = (next as Node).range;
        if (valueRange && !isMap(next) && !isSeq(next)) offset = valueRange[0];
      }
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
      const range = (next as Node | undefined)?.range;
      if (range) offset = range[0];
    }
    if (next === undefined) break;
    node = next;
  }
  return offset;
}
