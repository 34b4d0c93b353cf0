import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliEntryPath, packageRoot } from '../../src/util/packageRoot.js';

/**
 * A file of the build (`npm test` builds before vitest runs). A missing build fails the test with
 * a clear message instead of skipping it, so CI can never pass without running it.
 */
export function builtFile(relativePath: string): string {
  const path = join(packageRoot(), relativePath);
  if (!existsSync(path)) throw new Error(`${relativePath} is missing: run npm run build first`);
  return path;
}

/** The `cxctl` executable as users run it (package.json `bin`), checked to exist. */
export function builtCli(): string {
  const path = cliEntryPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  return path;
}
