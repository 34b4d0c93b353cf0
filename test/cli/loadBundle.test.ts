/**
 * Loading a CommonJS bundle with V8's code cache (src/cli/loadBundle.ts): on a small bundle
 * written here, and on the build's own bundle, which `npm test` builds and trains first.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, loadBundle } from '../../src/cli/loadBundle.js';
import { builtFile } from '../helpers/built.js';
import { temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-bundle-');

// A shebang, strict mode, CommonJS scope and a function that only compiles when called.
const BUNDLE = `#!/usr/bin/env node
function triple(n) { return 3 * n; }
module.exports = {
  answer: triple(14),
  strict: (function () { return this === undefined; })(),
  file: __filename,
  relative: require('node:path').basename(__dirname),
};
`;

/**
 * What happens to the cache of `file` in a fresh process. (In this one V8 may answer from its
 * in-memory compilation cache, without looking at the file.)
 */
function codeCacheInChild(file: string, env: Record<string, string> = {}): string {
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { loadBundle } from ${JSON.stringify(builtFile('dist/src/cli/loadBundle.js'))};
       process.stdout.write(loadBundle(${JSON.stringify(file)}, ${JSON.stringify(env)}).codeCache);`,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  expect(child.stderr).toBe('');
  return child.stdout;
}

describe('loadBundle', () => {
  it('runs the bundle as a strict CommonJS module and reports a missing cache', () => {
    const file = join(project({ 'lib/b.cjs': BUNDLE }), 'lib', 'b.cjs');
    const loaded = loadBundle(file, {});
    expect(loaded.exports).toEqual({ answer: 42, strict: true, file, relative: 'lib' });
    expect(loaded.codeCache).toBe('missing');
  });

  it('uses a cache written in training mode, and never one made from another source', () => {
    const file = join(project({ 'b.cjs': BUNDLE }), 'b.cjs');
    // Training mode writes the cache as its process exits.
    expect(codeCacheInChild(file, { CXCTL_CODE_CACHE: 'write' })).toBe('off');
    expect(codeCacheInChild(file)).toBe('accepted');
    expect(codeCacheInChild(file, { CXCTL_CODE_CACHE: 'off' })).toBe('off');

    // Same length, other source: V8 alone would take the cache; the digest refuses it.
    writeFileSync(file, BUNDLE.replace('3 * n', '4 * n'));
    const changed = loadBundle(file, {});
    expect(changed.codeCache).toBe('stale');
    expect((changed.exports as { answer: number }).answer).toBe(56);
  });

  it('compiles normally when V8 refuses the cache', () => {
    const file = join(project({ 'b.cjs': BUNDLE }), 'b.cjs');
    codeCacheInChild(file, { CXCTL_CODE_CACHE: 'write' });
    const cache = readFileSync(codeCacheFile(file));
    cache.fill(7, 32); // keep the digest, spoil what V8 reads
    writeFileSync(codeCacheFile(file), cache);
    expect(codeCacheInChild(file)).toBe('rejected');
    expect((loadBundle(file, {}).exports as { answer: number }).answer).toBe(42);
  });

  it('finds the build’s cache accepted by this Node (the build trained it)', () => {
    expect(codeCacheInChild(builtFile(join('dist', 'bundle', 'cli.cjs')))).toBe('accepted');
  });
});
