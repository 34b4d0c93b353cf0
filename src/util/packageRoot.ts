import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * Absolute path of the cxctl package (the folder holding its package.json).
 *
 * Code runs both from `src/` (tests) and from `dist/src/` (the built bin), so bundled assets such
 * as `schemas/` are found by walking up rather than by a fixed relative path.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) {
      cached = dir;
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the cxctl package root (package.json beside schemas/)');
}

/** Absolute path of the `cxctl` executable this package ships (package.json `bin.cxctl`). */
export function cliEntryPath(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    bin: { cxctl: string };
  };
  return join(packageRoot(), manifest.bin.cxctl);
}
