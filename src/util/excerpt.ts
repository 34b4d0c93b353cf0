/**
 * A short, printable excerpt of text taken from a file, for messages. Files that manifests name
 * could be anything (a key file, `/proc/self/environ`), so an error shows at most a few characters
 * of them, with control characters escaped so nothing in them can move the cursor or recolour a
 * terminal.
 */

/** Longest excerpt shown, in characters (before escaping). */
export const MAX_EXCERPT_LENGTH = 40;

// C0 and C1 controls, DEL, lone surrogates, line and paragraph separators, the bidirectional
// overrides and the byte order mark: everything that a terminal may act on or that hides text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\0-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF\uD800-\uDFFF]/g;

/**
 * `text` quoted, cut to {@link MAX_EXCERPT_LENGTH} characters (`…` marks the cut) and with every
 * unprintable character escaped (`\n`, `\t`, `\u001b`), e.g. `"root:x:0:0:root:/root:/bin/ba…"`.
 */
export function excerpt(text: string, maxLength: number = MAX_EXCERPT_LENGTH): string {
  const cut = [...text.slice(0, maxLength * 2)].slice(0, maxLength).join('');
  const escaped = cut.replace(UNPRINTABLE, (character) => {
    if (character === '\n') return '\\n';
    if (character === '\t') return '\\t';
    if (character === '\r') return '\\r';
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped.replace(/"/g, '\\"')}${cut.length < text.length ? '…' : ''}"`;
}
