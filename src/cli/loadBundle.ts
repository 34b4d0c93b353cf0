/**
 * Loading the CommonJS bundle of dist/bundle/ (the CLI) with V8's code cache.
 *
 * Why: before it does anything, every cxctl run compiles the JavaScript it runs, and cold: the
 * CLI's start-up, the manifest reader, the planner and undici. Node 20 has no
 * compile cache for modules (Node 22's `module.enableCompileCache()`), but V8 accepts one for a
 * classic script (`vm.Script`'s `cachedData`). So the bundle the executable runs is a CommonJS
 * file run as a script, and the build stores, beside it, the code V8 compiled while it ran a
 * typical plan (scripts/trainCodeCache.ts). A run then deserialises that code instead of parsing
 * and compiling again: a `cxctl plan` of 10,000 codes took 0.58 s against 0.62 s without the cache
 * and 0.69 s as the ES module bundle it replaced (docs/performance.md).
 *
 * The cache is an optimisation only. Each cache file starts with the sha256 of the bundle it was
 * made from, and V8 checks the rest against its own version and flags; a cache that does not
 * match (another build, another Node version, a corrupt file) or a missing one just means a normal
 * compile. (V8's own check of the source is by length only; the digest makes sure a cache never
 * runs with another build's source.) It is written only at build time, never by a user's run.
 *
 * `CXCTL_CODE_CACHE=off` ignores the cache (to measure without it); `CXCTL_CODE_CACHE=write` is
 * the build's training mode (the cache is written when the run exits).
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * What happened to the code cache of a loaded bundle: used (`accepted`), refused by V8
 * (`rejected`), made from another build (`stale`), absent (`missing`), or not read (`off`, and in
 * training mode).
 */
export type CodeCacheStatus = 'accepted' | 'rejected' | 'stale' | 'missing' | 'off';

/** The file V8's code cache for `bundleFile` is kept in. */
export function codeCacheFile(bundleFile: string): string {
  return `${bundleFile}.codecache`;
}

// The bundle's own module scope, as Node's CommonJS loader gives it, in strict mode as the ES
// modules it was built from. On one line with the first line of the source, so line numbers in
// stack traces stay right.
const WRAPPER_START =
  "(function (exports, require, module, __filename, __dirname) { 'use strict'; ";
const WRAPPER_END = '\n});';

/**
 * Run the CommonJS bundle at `bundleFile` (absolute) and return its exports and what happened to
 * its code cache. `env` is read for `CXCTL_CODE_CACHE`.
 */
export function loadBundle(
  bundleFile: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { exports: unknown; codeCache: CodeCacheStatus } {
  const mode = env.CXCTL_CODE_CACHE;
  const bytes = readFileSync(bundleFile);
  const digest = createHash('sha256').update(bytes).digest();
  // A `#!` line is only allowed at the very start of a script; Node's loader blanks it too.
  const source = bytes.toString('utf8').replace(/^#!.*/, '');
  const cache: Cache =
    mode === 'off' || mode === 'write' ? { status: 'off' } : readCache(bundleFile, digest);
  const cachedData = cache.status === 'found' ? cache.data : undefined;
  const script = new Script(WRAPPER_START + source + WRAPPER_END, {
    filename: bundleFile,
    ...(cachedData ? { cachedData } : {}),
  });
  const codeCache: CodeCacheStatus =
    cache.status !== 'found' ? cache.status : script.cachedDataRejected ? 'rejected' : 'accepted';
  if (mode === 'write') {
    // Written at exit; createCachedData includes every function compiled so far.
    process.once('exit', () => {
      const temporary = `${codeCacheFile(bundleFile)}.tmp`;
      writeFileSync(temporary, Buffer.concat([digest, script.createCachedData()]));
      renameSync(temporary, codeCacheFile(bundleFile));
    });
  }
  const module = { exports: {} as unknown };
  const wrapped = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  wrapped.call(
    module.exports,
    module.exports,
    createRequire(bundleFile),
    module,
    bundleFile,
    dirname(bundleFile),
  );
  return { exports: module.exports, codeCache };
}

type Cache = { status: 'found'; data: Buffer } | { status: 'missing' | 'stale' | 'off' };

/** The cache made from the bundle whose sha256 is `digest`, if there is one. */
function readCache(bundleFile: string, digest: Buffer): Cache {
  let file: Buffer;
  try {
    file = readFileSync(codeCacheFile(bundleFile));
  } catch {
    return { status: 'missing' };
  }
  const madeFrom = file.subarray(0, digest.length);
  return file.length > digest.length && madeFrom.equals(digest)
    ? { status: 'found', data: file.subarray(digest.length) }
    : { status: 'stale' };
}
