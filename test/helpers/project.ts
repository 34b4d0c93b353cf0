import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO } from './capture.js';

/**
 * Temporary project directories for CLI tests, removed after each test. Call once at the top of a
 * test file; the returned function writes `files` (path -> text or bytes) into a fresh directory.
 */
export function temporaryProjects(
  prefix = 'cxctl-',
): (files: Record<string, string | Uint8Array>) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return (files) => {
    const root = mkdtempSync(join(tmpdir(), prefix));
    made.push(root);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  };
}

/** Run cxctl in-process in `cwd` and capture what it printed. */
export async function cxctl(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string>; tty?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO({ cwd, env: options.env ?? {}, tty: options.tty ?? false });
  const code = await runCli(args, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}
