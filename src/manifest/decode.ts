import { MAX_MANIFEST_FILE_BYTES } from './limits.js';
import { forbiddenCharacter } from './streamCharacters.js';

/** Why bytes cannot be read as a manifest. */
export type DecodeProblemCode = 'file.tooLarge' | 'file.encoding' | 'file.character';

/**
 * Result of {@link decodeManifestBytes}: the text, or why it cannot be read as a manifest, with
 * the 1-based line and column of the first bad byte or character.
 */
export type DecodeResult =
  | { ok: true; text: string }
  | {
      ok: false;
      code: DecodeProblemCode;
      message: string;
      hint: string;
      line: number;
      column: number;
    };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes of a manifest file (or a file a manifest names) as text: refuses files over the size cap,
 * anything that is not valid UTF-8 (a byte order mark is allowed and dropped), and text holding a
 * character that YAML does not allow in a stream (see streamCharacters.ts). Both parse paths start
 * from this text, so they agree on what is refused.
 */
export function decodeManifestBytes(file: string, bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength > MAX_MANIFEST_FILE_BYTES) {
    return {
      ok: false,
      code: 'file.tooLarge',
      message: `${file} is ${formatMiB(bytes.byteLength)}, over the ${formatMiB(MAX_MANIFEST_FILE_BYTES)} limit for one manifest file`,
      hint: 'split the manifests into several files',
      line: 1,
      column: 1,
    };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return {
      ok: false,
      code: 'file.encoding',
      message: `${file} is not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset})`,
      hint: 'save the file as UTF-8',
      ...bytePosition(bytes, offset),
    };
  }
  const forbidden = forbiddenCharacter(text);
  if (forbidden !== undefined) {
    return {
      ok: false,
      code: 'file.character',
      message: `${file} holds the character ${forbidden.name}, which is not allowed (YAML forbids it anywhere in a file)`,
      hint: 'remove it (control characters, U+FFFE and U+FFFF are refused anywhere in the file, comments included)',
      ...textPosition(text, forbidden.offset),
    };
  }
  return { ok: true, text };
}

/** 1-based line and column (UTF-16 code units) of `offset` in `text`. */
export function textPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset;) {
    line += 1;
    lineStart = index + 1;
    index = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
}

/** Size in MiB with one decimal, e.g. `16.0 MiB`. */
export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Byte offset of the first byte that does not belong to a well-formed UTF-8 sequence
 * (Unicode 15 table 3-7), or the length when everything up to the end is well-formed except a
 * truncated final sequence.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      length = 3;
      if (b0 === 0xe0) lo = 0xa0;
      if (b0 === 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      length = 4;
      if (b0 === 0xf0) lo = 0x90;
      if (b0 === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      if (b === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (b < min || b > max) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** 1-based line and column of a byte offset, columns in UTF-16 code units, as the YAML parser counts them. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  const prefix = decoder.decode(bytes.subarray(lineStart, offset));
  return { line, column: prefix.length + 1 };
}
