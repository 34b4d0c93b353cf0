/**
 * The one way cxctl reads an input file (a manifest, a file a manifest names, a saved plan):
 * only a regular file, and never more than a cap of bytes, whatever the file system says.
 *
 * A size from `stat` is no bound: `/dev/zero` and `/proc` files report 0 bytes, and a file may grow
 * while it is read. So the file is opened without blocking (a FIFO with no writer would otherwise
 * hang the open), the opened descriptor is checked (so a file swapped after a check is still the
 * one judged), and the bytes are read in a loop that stops one byte past the cap.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { CxctlError } from '../errors.js';
import { formatMiB } from '../manifest/decode.js';

/** Why an input file could not be read, in words a message can use after the file's name. */
export type InputFileProblem =
  | { reason: 'missing'; message: string }
  | { reason: 'notRegular'; message: string }
  | { reason: 'tooLarge'; message: string }
  | { reason: 'unreadable'; message: string };

/** Result of {@link readInputFile}. */
export type InputFileResult = { ok: true; bytes: Buffer } | ({ ok: false } & InputFileProblem);

// O_NONBLOCK makes opening a FIFO return at once; it does not change reads of a regular file.
// Windows has no such flag (and no FIFOs in the file system), so it is left out there.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK_BYTES = 64 * 1024;

/**
 * Read the regular file at `path`, at most `maxBytes` bytes.
 *
 * Never throws for a problem with the file: directories, FIFOs, sockets and devices are refused
 * before a byte is read, and a file longer than `maxBytes` is refused after reading `maxBytes + 1`.
 */
export function readInputFile(path: string, maxBytes: number): InputFileResult {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, ...openProblem(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) {
      return { ok: false, reason: 'notRegular', message: 'it is a directory, not a file' };
    }
    if (!stat.isFile()) {
      return {
        ok: false,
        reason: 'notRegular',
        message: `it is ${describeKind(stat)}, not a regular file`,
      };
    }
    if (stat.size > maxBytes) return { ok: false, ...tooLarge(stat.size, maxBytes) };
    const chunks: Buffer[] = [];
    let total = 0;
    // Bounded: every pass reads at least one byte or ends, and the total stops at maxBytes + 1.
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
    }
    if (total > maxBytes) return { ok: false, ...tooLarge(undefined, maxBytes) };
    return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: `it cannot be read (${codeOf(error)})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * {@link readInputFile} for callers that stop at the first problem.
 *
 * @param what how the message names the file, e.g. `the plan file plan.json`.
 * @throws CxctlError with `code`, saying what is wrong with the file.
 */
export function readInputFileOrThrow(
  path: string,
  maxBytes: number,
  what: string,
  code: string,
  hint?: string,
): Buffer {
  const result = readInputFile(path, maxBytes);
  if (result.ok) return result.bytes;
  throw new CxctlError(code, `cannot read ${what}: ${result.message}`, hint ? { hint } : {});
}

/** `size` is the reported size, or undefined when the file only turned out longer while read. */
function tooLarge(size: number | undefined, maxBytes: number): InputFileProblem {
  return {
    reason: 'tooLarge',
    message:
      size === undefined
        ? `the file is larger than the ${formatMiB(maxBytes)} limit`
        : `the file is ${formatMiB(size)}, over the ${formatMiB(maxBytes)} limit`,
  };
}

function openProblem(error: unknown): InputFileProblem {
  const code = codeOf(error);
  if (code === 'ENOENT') return { reason: 'missing', message: 'the file does not exist' };
  if (code === 'EISDIR') return { reason: 'notRegular', message: 'it is a directory, not a file' };
  if (code === 'EACCES' || code === 'EPERM') {
    return { reason: 'unreadable', message: 'permission denied' };
  }
  // ENXIO: a socket, or a FIFO on a system that refuses a non-blocking open without a writer.
  if (code === 'ENXIO') {
    return { reason: 'notRegular', message: 'it is not a regular file' };
  }
  return { reason: 'unreadable', message: `it cannot be read (${code})` };
}

function describeKind(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}
