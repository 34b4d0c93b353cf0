import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { cliVersion } from '../../src/util/version.js';
import { captureIO } from '../helpers/capture.js';

const made: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxctl-init-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cxctl init', () => {
  it('creates a repository with config, manifests, a CRM CSV, tests and CI workflows', async () => {
    const cwd = tempDir();
    const io = captureIO({ cwd });
    expect(await runCli(['init', 'tenant-repo'], io)).toBe(0);
    const repo = join(cwd, 'tenant-repo');
    for (const path of [
      'cxctl.yaml',
      '.gitignore',
      'manifests/wrap-up-codes.yaml',
      'manifests/compliance-rules.yaml',
      'manifests/crm-mappings.yaml',
      'manifests/crm/salesforce-statuses.csv',
      'manifests/compliance-tests.yaml',
      '.github/workflows/cxctl-plan.yml',
      '.github/workflows/cxctl-apply.yml',
      '.github/workflows/cxctl-drift.yml',
    ]) {
      expect(existsSync(join(repo, path)), path).toBe(true);
    }
    const manifest = readFileSync(join(repo, 'manifests/wrap-up-codes.yaml'), 'utf8');
    expect(manifest.split('\n')[0]).toBe(
      `# yaml-language-server: $schema=https://unpkg.com/cxctl@${cliVersion()}/schemas/manifest.schema.json`,
    );
    expect(io.stdout.text).toContain('Created 10 files in tenant-repo');
  });

  it('writes CI workflows that are valid YAML with the right triggers', async () => {
    const cwd = tempDir();
    expect(await runCli(['init'], captureIO({ cwd }))).toBe(0);
    const workflow = (name: string) =>
      parse(readFileSync(join(cwd, '.github/workflows', name), 'utf8')) as {
        on: Record<string, unknown>;
        jobs: Record<string, { steps: { run?: string }[] }>;
      };
    const plan = workflow('cxctl-plan.yml');
    expect(Object.keys(plan.on)).toEqual(['pull_request']);
    const planSteps = JSON.stringify(plan.jobs);
    expect(planSteps).toContain('"command":"validate","args":"--format github"');
    expect(planSteps).toContain('--format markdown');
    const apply = workflow('cxctl-apply.yml');
    expect(apply.on).toMatchObject({ push: { branches: ['main'] } });
    expect(JSON.stringify(apply.jobs)).toContain('--expect-plan-digest');
    const drift = workflow('cxctl-drift.yml');
    expect(Object.keys(drift.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(JSON.stringify(drift)).toContain(`/cxctl@v${cliVersion()}`);
  });

  it('refuses to overwrite existing files and writes nothing', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'cxctl.yaml'), 'mine\n');
    const io = captureIO({ cwd });
    expect(await runCli(['init'], io)).toBe(1);
    expect(io.stderr.text).toContain(
      '1 file(s) already exist in .: cxctl.yaml; nothing was written',
    );
    expect(io.stderr.text).toContain('--force');
    expect(readFileSync(join(cwd, 'cxctl.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(cwd, 'manifests'))).toBe(false);
    expect(await runCli(['init', '--force'], captureIO({ cwd }))).toBe(0);
    expect(readFileSync(join(cwd, 'cxctl.yaml'), 'utf8')).toContain('defaultProfile: embedded');
  });

  it('creates a repository whose validate, test and crm mappings pass', async () => {
    const cwd = tempDir();
    expect(await runCli(['init', 'repo'], captureIO({ cwd }))).toBe(0);
    const repo = join(cwd, 'repo');
    const run = async (args: string[]) => {
      const io = captureIO({ cwd: repo });
      const code = await runCli([...args, '--no-color'], io);
      return { code, stdout: io.stdout.text, stderr: io.stderr.text };
    };
    const validate = await run(['validate', '--strict']);
    expect(validate.stdout).toMatch(/^4 files valid: \d+ wrap-up codes, 1 compliance rule\n/);
    expect(validate.code).toBe(0);
    const test = await run(['test']);
    expect(test.stderr).toBe('');
    expect(test.stdout).toMatch(/\n(\d+) tests: \1 passed, 0 failed, 0 errors\n$/);
    expect(test.code).toBe(0);
    const crm = await run(['crm', 'mappings', '--format', 'csv']);
    expect(crm.stderr).toBe('');
    expect(crm.code).toBe(0);
    expect(crm.stdout.split('\r\n')[0]).toBe('system,status,description,code,category');
    expect(crm.stdout.split('\r\n').length).toBeGreaterThan(2);
  });
});
