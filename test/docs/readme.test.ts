/**
 * Every command the README shows is run here, as a user would run it from a shell: the walkthrough
 * block line by line (with the exit code its comment promises), and the CI recipe commands in the
 * repository the walkthrough created. A README edit that breaks a command fails this test.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/packageRoot.js';
import { builtCli } from '../helpers/built.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
const sandbox = mkdtempSync(join(tmpdir(), 'cxctl-readme-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** A `cxctl` on PATH that runs this build, and an environment with no real CXone settings. */
function shellEnvironment(): NodeJS.ProcessEnv {
  const binDir = join(sandbox, 'bin');
  const shim = join(binDir, 'cxctl');
  mkdirSync(binDir, { recursive: true });
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${builtCli()}" "$@"\n`);
  chmodSync(shim, 0o755);
  return { PATH: `${binDir}:${process.env.PATH ?? ''}`, HOME: sandbox, NO_COLOR: '1' };
}

/** The first ```sh block after a heading. */
function shellBlock(heading: string): string[] {
  const start = readme.indexOf(`## ${heading}`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  expect(block, `"${heading}" has a sh block`).not.toBeNull();
  return block![1]!.split('\n').filter((line) => line.trim() !== '');
}

/** A bash script that runs each line and checks its exit code (`# exit N` in its comment, else 0). */
function checkedScript(lines: readonly string[]): string {
  const steps = lines.map((line, index) => {
    const expected = /#.*\bexit (\d)\b/.exec(line)?.[1] ?? '0';
    const command = line.replace(/\s+#.*$/, '');
    return [
      `echo "@@ ${index}: ${command.replace(/"/g, '\\"')}"`,
      `${command}`,
      `rc=$?; if [ "$rc" -ne ${expected} ]; then echo "@@ line ${index + 1} exited $rc, expected ${expected}"; exit 1; fi`,
    ].join('\n');
  });
  return steps.join('\n');
}

function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

describe('README', () => {
  const env = shellEnvironment();

  it('quick start is exactly the two commands, and .ci/run runs the test one', () => {
    expect(shellBlock('Quick start').map((line) => line.replace(/\s+#.*$/, ''))).toEqual([
      'npm ci && npm run demo',
      'npm ci && npm test',
    ]);
    expect(readFileSync(join(packageRoot(), '.ci', 'run'), 'utf8')).toContain('npm ci && npm test');
  });

  it('walkthrough: every line works as written, with the exit codes its comments promise', () => {
    const lines = shellBlock('Walkthrough');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    const run = runBash(checkedScript(lines), sandbox, env);
    expect(run.stdout + run.stderr).not.toContain('@@ line');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Plan: 8 to create, 0 to update, 0 to delete.');
    expect(run.stdout).toContain('~ duration: 420 -> 480');
    expect(run.stdout).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
  }, 120_000);

  it('CI recipes: the commands the workflows run work in the walkthrough repository', () => {
    const repo = join(sandbox, 'my-tenant');
    const recipes = [
      'cxctl validate --format github',
      'cxctl test --junit compliance-tests.xml',
      'cxctl plan --format markdown',
      'cxctl drift --format markdown --metrics-file drift.prom',
    ];
    for (const recipe of recipes)
      expect(readme).toContain(recipe.replace(' compliance-tests.xml', ''));
    const run = runBash(checkedScript(recipes), repo, env);
    expect(run.stdout + run.stderr).not.toContain('@@ line');
    expect(run.stdout).toContain('Plan digest: `');
    // The apply recipe: the digest from the plan comment gates the apply.
    const digest = /Plan digest: `([0-9a-f]{64})`/.exec(run.stdout)?.[1];
    expect(digest).toBeDefined();
    expect(readme).toContain(
      'cxctl apply --auto-approve --expect-plan-digest <digest> --audit-log',
    );
    const apply = runBash(
      checkedScript([
        `cxctl apply --auto-approve --expect-plan-digest ${digest} --audit-log audit.jsonl`,
      ]),
      repo,
      env,
    );
    expect(apply.stdout + apply.stderr).not.toContain('@@ line');
    const wrong = runBash(
      checkedScript([
        `cxctl apply --auto-approve --expect-plan-digest ${'0'.repeat(64)}  # exit 1`,
      ]),
      repo,
      env,
    );
    expect(wrong.stdout + wrong.stderr).not.toContain('@@ line');
  }, 120_000);
});
