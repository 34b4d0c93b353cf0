import { MAX_MANIFEST_FILE_BYTES } from './limits.js';

/** Result of {@link decodeManifestBytes}: the text, or why it cannot be read as a manifest. */
export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; code: 'file.tooLarge' | 'file.encoding'; message: string; offset: number };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes of a manifest file as text: refuses files over the size cap and anything that is not valid
 * UTF-8 (a byte order mark is allowed and dropped). `offset` is the byte offset of the first bad
 * byte, so the caller can name its line.
 */
export function decodeManifestBytes(file: string, bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength > MAX_MANIFEST_FILE_BYTES) {
    return {
      ok: false,
      code: 'file.tooLarge',
      offset: 0,
      message: `${file} is ${formatMiB(bytes.byteLength)}, over the ${formatMiB(MAX_MANIFEST_FILE_BYTES)} limit for one manifest file`,
    };
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return {
      ok: false,
      code: 'file.encoding',
      offset,
      message: `${file} is not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset})`,
    };
  }
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
