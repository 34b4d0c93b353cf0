/**
 * Writing a file so that a reader never sees half of it: the text goes to a temporary file in the
 * same directory, is flushed to disk, and is renamed over the target (atomic on POSIX and, for
 * files on one volume, on Windows). One implementation for every file cxctl writes whole: saved
 * plans, exported manifests, the metrics file and the simulator's state file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CxctlError } from '../errors.js';
import { redact } from '../secrets.js';

/**
 * The temporary file beside `path`. It starts with a dot and ends in `.tmp`, so collectors that
 * read `*.prom` or `*.yaml` never pick it up, and the pid plus random suffix keep concurrent
 * writers apart.
 */
function temporaryPath(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * Write `text` (UTF-8) to `path` atomically, synchronously. On failure the temporary file is
 * removed and the file system's error is thrown as is (see {@link writeFailureReason}).
 */
export function writeTextAtomically(path: string, text: string): void {
  const temporary = temporaryPath(path);
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
    throw error;
  }
}

/** {@link writeTextAtomically} without blocking the event loop (metrics, the simulator's state). */
export async function writeTextAtomicallyAsync(path: string, text: string): Promise<void> {
  const temporary = temporaryPath(path);
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Why a write failed, in words a user can act on (the error's message is redacted). */
export function writeFailureReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'the directory does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (typeof code === 'string') return code;
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * Write `text` (UTF-8) to `path` atomically.
 *
 * @param what how messages name the file, e.g. `the plan file`.
 * @throws CxctlError `FILE_WRITE_FAILED` naming the file and the reason.
 */
export function writeFileAtomic(path: string, text: string, what: string): void {
  try {
    writeTextAtomically(path, text);
  } catch (error) {
    throw new CxctlError(
      'FILE_WRITE_FAILED',
      `cannot write ${what} ${path}: ${writeFailureReason(error)}`,
      { cause: error },
    );
  }
}
