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

/**
 * Absolute path of the `cxctl` bin as package.json declares it (the bundle `npm run build` writes
 * to dist/bundle/), for tests, benchmarks and scripts that run the CLI as users do.
 */
export function builtBinPath(): string {
  const root = packageRoot();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  const bin = manifest.bin.cxctl;
  if (bin === undefined) throw new Error('package.json declares no cxctl bin');
  return join(root, bin);
}
