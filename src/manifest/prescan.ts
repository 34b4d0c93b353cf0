/**
 * Decides whether a file may take the fast path (js-yaml, no positions) or must take the slow path
 * (yaml's document API, with positions).
 *
 * The fast path is only taken for text both parsers are known to read alike, which is the plain
 * block style manifests are written in: block mappings and lists, one-line scalars (plain or
 * quoted), one-line flow collections, comments, block scalars (`|`, `>`) and document markers.
 * Everything else goes to the slow path: anchors, aliases and tags (`&`, `*`, `!` where a node may
 * start), merge keys (`<<`), directives (`%`), explicit and collection keys (`? `, `]:`), empty
 * flow keys, empty list entries (a `-` with nothing after it), multi-line plain or quoted scalars
 * and flow collections, comments glued to a token,
 * tabs, stray carriage returns, control characters and other characters YAML forbids or treats as
 * line breaks, and very long lines (yaml refuses implicit keys over 1024 characters). The check is
 * conservative: a false alarm only costs speed. The differential tests in
 * test/manifest/parsePaths.test.ts hold the two paths to the same results.
 */

/** Longer lines take the slow path (yaml refuses implicit keys over 1024 characters). */
export const LONGEST_LINE = 1000;

/** True when `text` can be parsed by the fast path with the same result as the slow path. */
export function fastPathEligible(text: string): boolean {
  const length = text.length;
  let blockScalarOwner = -1; // column that block scalar content must be indented beyond, or -1
  let blockContentIndent = -1; // indentation of the block scalar's first content line, or -1
  let lineStart = 0;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    if (lineEnd - lineStart > LONGEST_LINE) return false;
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 0x20) indent++;
    const first = lineStart + indent;
    const blank = first >= lineEnd || isLineEnd(text, first, lineEnd);
    if (blockScalarOwner >= 0 && (blank || indent > blockScalarOwner)) {
      if (!plainCharacters(text, lineStart, lineEnd)) return false;
      // Lines of spaces only, and content less indented than the first content line, are read
      // differently by the two parsers (or refused by one of them).
      if (blank && indent > 0) return false;
      if (!blank) {
        if (blockContentIndent < 0) blockContentIndent = indent;
        else if (indent < blockContentIndent) return false;
      }
      lineStart = lineEnd + 1;
      continue;
    }
    if (blank) {
      if (!plainCharacters(text, lineStart, lineEnd)) return false;
      lineStart = lineEnd + 1;
      continue; // a blank line does not end a block scalar, and holds nothing else
    }
    blockScalarOwner = -1;
    const line = scanLine(text, lineStart, lineEnd, indent);
    if (line === undefined) return false;
    blockScalarOwner = line.blockScalarOwner;
    blockContentIndent = -1;
    lineStart = lineEnd + 1;
  }
  // A block scalar that runs to the end of a file without a final line break: the parsers differ.
  return blockScalarOwner < 0 || text.endsWith('\n');
}

/** True when the line from `from` holds nothing but an optional CR. */
function isLineEnd(text: string, from: number, lineEnd: number): boolean {
  return (
    from === lineEnd - 1 && text.charCodeAt(from) === 0x0d && text.charCodeAt(lineEnd) === 0x0a
  );
}

/** Only characters the fast path handles alike: no controls, tabs, separators or lone surrogates. */
function plainCharacters(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (!allowedOther(text, i, to, c)) return false;
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  return true;
}

function allowedOther(text: string, i: number, to: number, c: number): boolean {
  if (c === 0x0d) return i === to - 1 && text.charCodeAt(to) === 0x0a; // CRLF line ends only
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  if (c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) return false;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  return !(c >= 0xdc00 && c <= 0xdfff);
}

/**
 * Scan one line that is not block scalar content. Returns undefined when the line needs the slow
 * path, else the column block scalar content starting on the next line must be indented beyond.
 */
function scanLine(
  text: string,
  lineStart: number,
  lineEnd: number,
  indent: number,
): { blockScalarOwner: number } | undefined {
  const first = lineStart + indent;
  const firstChar = text.charCodeAt(first);
  // Document markers must stand alone: js-yaml misreads `-----` and similar.
  if (indent === 0 && (text.startsWith('---', first) || text.startsWith('...', first))) {
    return isLineEnd(text, first + 3, lineEnd) || first + 3 === lineEnd
      ? { blockScalarOwner: -1 }
      : undefined;
  }
  if (firstChar === 0x25) return undefined; // a directive
  // The column of the node this line's content belongs to, past any `- ` sequence indicators.
  let content = first;
  while (
    text.charCodeAt(content) === 0x2d &&
    isBlank(text, text.charCodeAt(content + 1), content + 1, lineEnd)
  ) {
    content += 1;
    while (text.charCodeAt(content) === 0x20) content++;
  }
  let previous = 0x20; // what precedes the first character: indentation
  let quote = 0;
  let flowDepth = 0;
  let flowMappingDepth = 0; // depth of the open flow mapping, or 0
  let mappingColon = false;
  let blockScalarOwner = -1;
  for (let i = first; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) {
      if (!allowedOther(text, i, lineEnd, c)) return undefined;
      if (c >= 0xd800 && c <= 0xdbff) i++;
      previous = c;
      continue;
    }
    if (quote !== 0) {
      if (quote === 0x22 && c === 0x5c) {
        i++; // the escaped character
      } else if (c === quote) {
        if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
        else quote = 0;
      }
      previous = c;
      continue;
    }
    switch (c) {
      case 0x22: // "
      case 0x27: // '
        if (startsNode(previous) && atNodeStart(text, i, first)) quote = c;
        break;
      case 0x5b: // [
      case 0x7b: // {
        // A collection inside a flow mapping may be a key (`{ [a]: b }`, `{ [a] }`), which the
        // two parsers turn into different strings; leave those to the slow path.
        if (flowMappingDepth > 0) return undefined;
        if (startsNode(previous) || flowDepth > 0) {
          flowDepth++;
          if (c === 0x7b) flowMappingDepth = flowDepth;
        }
        break;
      case 0x5d: // ]
      case 0x7d: // }
        if (flowDepth > 0) {
          if (flowDepth === flowMappingDepth) flowMappingDepth = 0;
          flowDepth--;
        }
        break;
      case 0x26: // &
      case 0x2a: // *
      case 0x21: // !
        // Inside a plain scalar (`R & D`, `5 * 3`) these are text; only where a node starts are
        // they anchors, aliases or tags.
        if (startsNode(previous) && atNodeStart(text, i, first)) return undefined;
        break;
      case 0x3c: // <
        if (previous === 0x3c) return undefined;
        break;
      case 0x3f: // ?
        if (startsNode(previous) && isBlank(text, text.charCodeAt(i + 1), i + 1, lineEnd))
          return undefined;
        break;
      case 0x7c: // |
      case 0x3e: // >
        if (previous === 0x20 && flowDepth === 0 && i > first && afterIndicator(text, i, first)) {
          // A block scalar header: only `|`, `>` with an optional chomping indicator.
          let j = i + 1;
          if (text.charCodeAt(j) === 0x2d || text.charCodeAt(j) === 0x2b) j++;
          while (text.charCodeAt(j) === 0x20) j++;
          if (j >= lineEnd || isLineEnd(text, j, lineEnd)) {
            // Content must be indented beyond the key that owns the scalar, or beyond the `-`
            // of a list item that is itself the scalar.
            blockScalarOwner = text.charCodeAt(content) === c ? indent : content - lineStart;
            i = lineEnd;
            continue;
          }
          // Indentation indicators, comments after the header, and anything else: slow path.
          return undefined;
        }
        break;
      case 0x23: // #
        if (previous === 0x20) {
          if (!plainCharacters(text, i, lineEnd)) return undefined;
          i = lineEnd; // a comment runs to the end of the line
          continue;
        }
        if (
          previous === 0x22 ||
          previous === 0x27 ||
          previous === 0x5d ||
          previous === 0x7d ||
          previous === 0x2c
        )
          return undefined;
        break;
      case 0x3a: // :
        if (previous === 0x5d || previous === 0x7d) return undefined;
        if (
          flowDepth > 0 &&
          (previous === 0x5b || previous === 0x7b || previous === 0x2c || previous === 0x20)
        )
          return undefined;
        if (flowDepth === 0 && isBlank(text, text.charCodeAt(i + 1), i + 1, lineEnd))
          mappingColon = true;
        break;
      case 0x20: // `] :` is a collection key too
        if (previous === 0x5d || previous === 0x7d) {
          let j = i;
          while (text.charCodeAt(j) === 0x20) j++;
          if (text.charCodeAt(j) === 0x3a) return undefined;
        }
        break;
      default:
        break;
    }
    previous = c;
  }
  if (quote !== 0 || flowDepth > 0) return undefined;
  // A line whose content is neither a mapping entry nor a list item nor a comment continues a
  // multi-line plain scalar (or is a top-level scalar): the slow path reads those.
  const contentChar = text.charCodeAt(content);
  const onlyComment = contentChar === 0x23;
  // A list entry left empty (`-` with nothing but a comment after it): where the next line is
  // less indented, js-yaml and yaml disagree on which list the entries after it belong to.
  const emptyEntry =
    content > first && (content >= lineEnd || onlyComment || isLineEnd(text, content, lineEnd));
  if (emptyEntry) return undefined;
  const entry = content > first || mappingColon || onlyComment || content >= lineEnd;
  if (!entry) return undefined;
  return { blockScalarOwner };
}

/**
 * True when a node may start at `at`: at the start of the line's content, or after an indicator
 * (`:`, `-`, `?`, `[`, `{`, `,`), possibly with spaces between. Elsewhere the character is inside
 * a plain scalar.
 */
function atNodeStart(text: string, at: number, first: number): boolean {
  let j = at - 1;
  while (j >= first && text.charCodeAt(j) === 0x20) j--;
  if (j < first) return true;
  const c = text.charCodeAt(j);
  return c === 0x3a || c === 0x2d || c === 0x3f || c === 0x5b || c === 0x7b || c === 0x2c;
}

/** True when the last non-space character before `at` (on its line) is a `:` or `-` indicator. */
function afterIndicator(text: string, at: number, first: number): boolean {
  let j = at - 1;
  while (j >= first && text.charCodeAt(j) === 0x20) j--;
  const c = text.charCodeAt(j);
  return j >= first && (c === 0x3a || c === 0x2d);
}

/** True when a node (and so an anchor, alias, tag or quoted scalar) may start after this. */
function startsNode(previous: number): boolean {
  return (
    previous === 0x20 ||
    previous === 0x0a ||
    previous === 0x5b ||
    previous === 0x7b ||
    previous === 0x2c ||
    previous === 0x3a ||
    previous === 0x2d
  );
}

/** True for a space, the end of the line, or the CR of a CRLF line end. */
function isBlank(text: string, c: number, at: number, lineEnd: number): boolean {
  return at >= lineEnd || c === 0x20 || (c === 0x0d && isLineEnd(text, at, lineEnd));
}
