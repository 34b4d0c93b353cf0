/**
 * The npm package as `npm pack` makes it (offline, scripts skipped: `npm test` has built already):
 * what it holds, and that its `cxctl` runs from the unpacked tarball, away from this repository.
 *
 * The bundle leaves the runtime dependencies of package.json (yargs' translations, ajv's runtime
 * helpers, ajv-formats) to node_modules, as an installed package has them; the unpacked copy
 * gets this repository's node_modules through NODE_PATH, and nothing else of the repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/packageRoot.js';
import { builtCli } from '../helpers/built.js';
import { relativeLinks } from '../helpers/markdownLinks.js';

const root = packageRoot();
const sandbox = mkdtempSync(join(tmpdir(), 'cxctl-pack-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: { cxctl: string };
  license: string;
  version: string;
};

function npm(args: readonly string[]) {
  builtCli(); // fails clearly when the build is missing
  const result = spawnSync('npm', ['pack', '--ignore-scripts', '--json', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false' },
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as [{ filename: string; files: { path: string }[] }];
}

describe('the npm package', () => {
  const [packed] = npm(['--dry-run']);
  const shipped = new Set(packed.files.map((file) => file.path));
  const ships = (path: string) =>
    shipped.has(path) ||
    [...shipped].some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`));

  it('holds the Apache 2.0 LICENSE that package.json names', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(shipped.has('LICENSE')).toBe(true);
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license).toContain('Copyright 2026 the cxctl authors');
  });

  it('ships the bundle the bin runs, without source maps or the tsc copy of the code', () => {
    expect(shipped.has(manifest.bin.cxctl)).toBe(true);
    expect([...shipped].filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(
      [...shipped].filter((file) => file.startsWith('dist/') && !file.startsWith('dist/bundle/')),
    ).toEqual([]);
  });

  it('ships every file its shipped pages link to', () => {
    const pages = [...shipped].filter((file) => file.endsWith('.md'));
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/plan.md']));
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of relativeLinks(readFileSync(join(root, page), 'utf8'), page)) {
        if (!ships(link.path)) broken.push(`${page}: ${link.written}`);
      }
    }
    expect(broken).toEqual([]);
    expect(
      relativeLinks(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md').length,
    ).toBeGreaterThan(10);
  });

  it('runs from the unpacked tarball: --version, init, validate, test and an embedded plan', () => {
    const [tarball] = npm(['--pack-destination', sandbox]);
    const unpack = spawnSync('tar', ['-xzf', join(sandbox, tarball.filename), '-C', sandbox]);
    expect(unpack.status).toBe(0);
    expect(readdirSync(join(sandbox, 'package'))).not.toContain('node_modules');
    const bin = join(sandbox, 'package', manifest.bin.cxctl);
    const work = mkdtempSync(join(sandbox, 'work-'));
    const run = (args: readonly string[], cwd = work) =>
      spawnSync(process.execPath, [bin, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: work,
          NO_COLOR: '1',
          NODE_PATH: join(root, 'node_modules'),
        },
      });
    const version = run(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(manifest.version);
    expect(run(['init', 'repo']).status).toBe(0);
    const repo = join(work, 'repo');
    expect(readdirSync(join(repo, '.github', 'workflows')).sort()).toEqual([
      'cxctl-apply.yml',
      'cxctl-drift.yml',
      'cxctl-plan.yml',
    ]);
    const validate = run(['validate'], repo);
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(run(['test'], repo).status).toBe(0);
    const plan = run(['plan'], repo);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('Plan: 8 to create, 0 to update, 0 to delete.');
  }, 120_000);
});
