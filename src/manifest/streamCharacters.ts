/**
 * The characters YAML 1.2 allows in a stream (production [1] c-printable): TAB, LF, CR, the
 * printable ASCII range, NEL (U+0085) and everything from U+00A0 up except surrogates and
 * U+FFFE/U+FFFF. Anything else (NUL, BEL, ESC and the other C0 controls, DEL, the C1 controls)
 * is refused before any parser runs: parsers disagree on them, and a control character in a
 * wrap-up code's name would reach the tenant and every screen that shows it.
 */

/** A character outside c-printable, and where it is. */
export interface ForbiddenCharacter {
  /** Offset in UTF-16 code units. */
  offset: number;
  /** How messages show it, e.g. `U+001B (ESC)`. */
  name: string;
}

// Candidates: every code unit outside c-printable, plus all surrogates (a paired one is a valid
// character above U+FFFF and is skipped below). One character class keeps the scan linear and
// fast; the exact production with the `u` flag is several times slower on large files.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CANDIDATE = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/g;

const C0_NAMES = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'TAB',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];

/** The first character of `text` that YAML forbids in a stream, or undefined. */
export function forbiddenCharacter(text: string): ForbiddenCharacter | undefined {
  const pattern = new RegExp(CANDIDATE.source, 'g');
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const offset = match.index;
    const unit = text.charCodeAt(offset);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(offset + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pattern.lastIndex = offset + 2; // a valid pair: a character above U+FFFF
        continue;
      }
      return { offset, name: `${codePoint(unit)} (a lone surrogate)` };
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      return { offset, name: `${codePoint(unit)} (a lone surrogate)` };
    }
    return { offset, name: `${codePoint(unit)}${controlName(unit)}` };
  }
  return undefined;
}

function codePoint(unit: number): string {
  return `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

function controlName(unit: number): string {
  const name = unit < 0x20 ? C0_NAMES[unit] : unit === 0x7f ? 'DEL' : undefined;
  if (name !== undefined) return ` (${name})`;
  if (unit >= 0x80 && unit <= 0x9f) return ' (a C1 control character)';
  return ' (a noncharacter)';
}

// What a string value may not hold, however it was written: the stream's forbidden characters,
// which double-quoted escapes (`\e`, `\x9b`, `\0`) and interpolated variables can still produce, plus
// CR and NEL, which the stream allows only as line breaks. TAB and LF stay (multi-line descriptions).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const VALUE_CANDIDATE = /[\0-\x08\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/**
 * The first character of the decoded string `value` that may not go into the desired state (a
 * wrap-up code's name reaches the tenant and every screen that shows it), or undefined.
 */
export function forbiddenValueCharacter(value: string): ForbiddenCharacter | undefined {
  const pattern = new RegExp(VALUE_CANDIDATE.source, 'g');
  for (let match = pattern.exec(value); match !== null; match = pattern.exec(value)) {
    const offset = match.index;
    const unit = value.charCodeAt(offset);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(offset + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pattern.lastIndex = offset + 2;
        continue;
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      return { offset, name: `${codePoint(unit)} (a lone surrogate)` };
    }
    return { offset, name: `${codePoint(unit)}${unit === 0x85 ? ' (NEL)' : controlName(unit)}` };
  }
  return undefined;
}
