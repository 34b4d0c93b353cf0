import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO } from '../helpers/capture.js';
import { codeYaml, VALID_MANIFEST } from '../helpers/manifests.js';

const directories: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cxctl-validate-'));
  directories.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

async function validate(cwd: string, args: string[] = [], env: Record<string, string> = {}) {
  const io = captureIO({ cwd, env });
  const code = await runCli(['validate', ...args], io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('cxctl validate', () => {
  it('exits 0 on valid manifests and prints a summary with the digest', async () => {
    const root = project({ 'manifests/main.yaml': VALID_MANIFEST });
    const result = await validate(root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 file valid: 2 wrap-up codes, 1 compliance rule');
    expect(result.stdout).toMatch(/manifest digest: sha256:[0-9a-f]{64}/);
    expect(result.stderr).toBe('');
  });

  it('reads manifests/ by default, else the working directory', async () => {
    const withManifests = project({
      'manifests/a.yaml': `wrapUpCodes:\n${codeYaml('AA_1')}`,
      'elsewhere.yaml': `wrapUpCodes:\n${codeYaml('BB_1', { duration: 0 })}`,
    });
    expect((await validate(withManifests)).code).toBe(0);
    const withoutManifests = project({
      'cxctl.yaml': 'profiles: {}\n',
      'deep/er/b.yml': `wrapUpCodes:\n${codeYaml('BB_1', { duration: 0 })}`,
      '.hidden/c.yaml': 'not: [valid',
    });
    const result = await validate(withoutManifests);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'deep/er/b.yml:5:15: error: duration must be between 1 and 7200 seconds, got 0',
    );
    expect(result.stdout).not.toContain('cxctl.yaml');
    expect(result.stdout).not.toContain('.hidden');
  });

  it('lists every problem, in file order, with paths relative to the working directory', async () => {
    const root = project({
      'm/b.yaml': `wrapUpCodes:\n${codeYaml('AA_1')}`,
      'm/a.yaml': `wrapUpCodes:\n${codeYaml('AA_1', { durration: 3 })}`,
    });
    const result = await validate(join(root, 'm'), ['.', '--no-color']);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      'a.yaml:6:5: error: unknown property "durration" in wrap-up code AA_1 [schema.unknownKey]',
    );
    expect(lines[1]).toBe('  hint: did you mean "duration"?');
    expect(lines[2]).toMatch(
      /^b\.yaml:2:11: error: wrap-up code AA_1 is declared twice: here and at a\.yaml:2:11/,
    );
    expect(result.stdout).toContain('2 errors, 0 warnings in 2 files');
  });

  it('writes json that parses and is stable', async () => {
    const root = project({ 'x.yaml': `wrapUpCodes:\n${codeYaml('AA_1', { duration: 7201 })}` });
    const result = await validate(root, ['x.yaml', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      formatVersion: 1,
      ok: false,
      summary: { files: 1, errors: 1, warnings: 0, wrapUpCodes: 0, complianceRules: 0 },
      digest: null,
      diagnostics: [
        {
          severity: 'error',
          code: 'schema.range',
          message: 'duration must be between 1 and 7200 seconds, got 7201',
          file: 'x.yaml',
          line: 5,
          column: 15,
        },
      ],
    });
  });

  it('writes GitHub workflow commands with GitHub escaping', async () => {
    const root = project({
      'a,b:c.yaml': `wrapUpCodes:\n${codeYaml('AA_1')}${codeYaml('AA_1', { name: '100% sure' })}`,
      'w.yaml': `wrapUpCodes:\n${codeYaml('BB_1', { isActive: false, isDefault: true })}`,
    });
    const result = await validate(root, ['--format', 'github']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=6,col=11,title=cxctl validate%3A wrapUpCode.duplicate::' +
        'wrap-up code AA_1 is declared twice: here and at a,b:c.yaml:2:11%0A' +
        'hint: codes are unique across all manifest files; remove or rename one of them',
    );
    expect(lines[1]).toMatch(
      /^::warning file=w\.yaml,line=6,col=15,title=cxctl validate%3A wrapUpCode\.inactiveDefault::/,
    );
    expect(lines[2]).toBe('cxctl validate: 1 error(s), 1 warning(s) in 2 file(s)');
    expect(result.code).toBe(1);
  });

  it('passes with warnings, and fails on them with --strict', async () => {
    const root = project({
      'w.yaml': `wrapUpCodes:\n${codeYaml('BB_1', { isActive: false, isDefault: true })}`,
    });
    const relaxed = await validate(root, ['--no-color']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain('w.yaml:6:15: warning: wrap-up code BB_1 is the default');
    expect(relaxed.stdout).toContain('1 file valid: 1 wrap-up code, 0 compliance rules, 1 warning');
    const strict = await validate(root, ['--strict', '--no-color']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('w.yaml:6:15: error: wrap-up code BB_1 is the default');
    expect(strict.stdout).toContain('1 error, 0 warnings in 1 file');
  });

  it('interpolates the environment given to the command and reports unset variables', async () => {
    const root = project({
      'e.yaml':
        'wrapUpCodes:\n  - code: AA_1\n    name: Team ${env:TEAM}\n    category: ${env:CATEGORY:-Resolution}\n    duration: 30\n',
    });
    expect((await validate(root, [], { TEAM: 'Blue' })).code).toBe(0);
    const unset = await validate(root, ['--no-color']);
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain(
      'e.yaml:3:16: error: environment variable TEAM is not set (referenced as ${env:TEAM})',
    );
  });

  it('uses CXONE_CAMPAIGN_ID for rules that name no campaign', async () => {
    const rule = `complianceRules:
  - name: Hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: [{ timeZone: UTC, startHour: 8, endHour: 20 }]
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 1
`;
    const root = project({ 'r.yaml': rule });
    expect((await validate(root)).code).toBe(1);
    expect((await validate(root, [], { CXONE_CAMPAIGN_ID: 'c-1' })).code).toBe(0);
  });

  it('fails on a path that does not exist and writes nothing', async () => {
    const root = project({});
    const result = await validate(root, ['nope/', '--no-color']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('nope/:1:1: error: nope/ does not exist');
    expect(readdirSync(root)).toEqual([]);
  });

  it('colours text output when asked', async () => {
    const root = project({ 'x.yaml': `wrapUpCodes:\n${codeYaml('AA_1', { duration: 0 })}` });
    const colored = await validate(root, [], { FORCE_COLOR: '1' });
    expect(colored.stdout).toContain('\u001b[31m');
    const plain = await validate(root, [], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(plain.stdout).toContain('\u001b['); // FORCE_COLOR wins over NO_COLOR
    expect((await validate(root, ['--no-color'], { FORCE_COLOR: '1' })).stdout).not.toContain(
      '\u001b[',
    );
  });

  it('checks CRM mappings: status lists relative to their manifest, warnings and --strict', async () => {
    const crm = `crmMappings:
  - system: salesforce
    statuses: lists/sf.csv
    rules:
      - { status: CLOSED, code: SF_CLOSED, category: Resolution, duration: 300 }
`;
    const root = project({
      'manifests/crm/crm.yaml': crm,
      'manifests/crm/lists/sf.csv': 'status,description\nCLOSED,Closed\nOPEN,Open\n',
    });
    const relaxed = await validate(root, ['--no-color']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toBe(
      'manifests/crm/lists/sf.csv:3:1: warning: salesforce status OPEN has no mapping rule, so no wrap-up code is synced for it [crm.unmappedStatus]\n' +
        '  hint: add a rule for it, or remove it from the status list\n' +
        `1 file valid: 1 wrap-up code, 0 compliance rules, 1 warning\n${relaxed.stdout.split('\n')[3]}\n`,
    );
    const strict = await validate(root, ['--strict', '--format', 'github']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(
      /^::error file=manifests\/crm\/lists\/sf\.csv,line=3,col=1,title=cxctl validate%3A crm\.unmappedStatus::/,
    );
  });

  it('changes the manifest digest when a status list changes', async () => {
    const files = {
      'manifests/crm.yaml':
        'crmMappings:\n  - system: s\n    statuses: s.csv\n    rules:\n      - { status: A, code: S_A, category: Resolution, duration: 5 }\n',
      'manifests/s.csv': 'status,description\nA,Alpha\n',
    };
    const digestOf = async (root: string) =>
      (JSON.parse((await validate(root, ['--format', 'json'])).stdout) as { digest: string })
        .digest;
    const before = await digestOf(project(files));
    const after = await digestOf(
      project({ ...files, 'manifests/s.csv': 'status,description\nA,Alpha!\n' }),
    );
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });
});
