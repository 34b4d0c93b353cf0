import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/packageRoot.js';
import { builtCli } from '../helpers/built.js';

const bin = builtCli();
const dir = mkdtempSync(join(tmpdir(), 'cxctl-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cxctl bin', () => {
  it('exits quietly when the reader of its output goes away (cxctl ... | head)', async () => {
    const codes = Array.from(
      { length: 3000 },
      (_, i) => `  - { code: BAD_${i}, name: n, category: Sales, duration: 0 }`,
    );
    writeFileSync(join(dir, 'many.yaml'), `wrapUpCodes:\n${codes.join('\n')}\n`);
    const child = spawn(process.execPath, [bin, 'validate', 'many.yaml', '--format', 'json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code === 0 || code === 1).toBe(true);
  });

  // The bin is a bundle in dist/bundle/: what it reads from the package must still be found.
  it('finds the package files from the bundle (version, init templates, config schema)', () => {
    const run = (args: string[], cwd = dir) =>
      spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
    const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(run(['--version']).stdout.trim()).toBe(version);

    const repo = join(dir, 'repo');
    const init = run(['init', repo]);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(existsSync(join(repo, 'cxctl.yaml'))).toBe(true);
    expect(existsSync(join(repo, '.github', 'workflows'))).toBe(true);

    // cxctl.yaml is checked against schemas/cxctl.schema.json.
    writeFileSync(join(repo, 'cxctl.yaml'), 'profiles: 5\n');
    const broken = run(['plan', '--target', 'embedded'], repo);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/cxctl\.yaml/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('speaks the language of the environment in usage errors, as yargs does unbundled', () => {
    const result = spawnSync(process.execPath, [bin, 'export'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', LANG: 'de_DE.UTF-8' },
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Fehlendes Argument: out');
  });
});
