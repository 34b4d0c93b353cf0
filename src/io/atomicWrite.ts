/**
 * Writing a file so that a reader never sees half of it: the text goes to a temporary file in the
 * same directory, is flushed to disk, and is renamed over the target (atomic on POSIX and, for
 * files on one volume, on Windows).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CxctlError } from '../errors.js';

/**
 * Write `text` (UTF-8) to `path` atomically.
 *
 * @param what how messages name the file, e.g. `the plan file`.
 * @throws CxctlError `FILE_WRITE_FAILED` naming the file and the reason.
 */
export function writeFileAtomic(path: string, text: string, what: string): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const fd = openSync(temporary, 'w', 0o644);
    try {
      writeSync(fd, text, null, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was created, or it is already gone.
    }
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      code === 'ENOENT'
        ? 'the directory does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : typeof code === 'string'
              ? code
              : error instanceof Error
                ? error.message
                : 'unknown error';
    throw new CxctlError('FILE_WRITE_FAILED', `cannot write ${what} ${path}: ${reason}`, {
      cause: error,
    });
  }
}
