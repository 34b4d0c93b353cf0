/**
 * What a user sees of the command line: each command's `--help` as the built executable prints
 * it, and the answer to a mistyped option or command.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../src/config/target.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { builtCli } from '../helpers/built.js';

const empty = mkdtempSync(join(tmpdir(), 'cxctl-help-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

function cxctl(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = empty) {
  const result = spawnSync(process.execPath, [builtCli(), ...args], {
    cwd,
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The long options a help text lists. */
function listedOptions(help: string): string[] {
  return [...help.matchAll(/^\s+(?:-\w, )?--([a-z][a-z-]*)/gm)].map((match) => match[1]!);
}

const TARGET_COMMANDS = ['plan', 'apply', 'drift', 'export'];
const OFFLINE_COMMANDS = ['validate', 'test', 'crm', 'simulator', 'init'];

describe('cxctl <command> --help', () => {
  const helps = new Map(
    [...TARGET_COMMANDS, ...OFFLINE_COMMANDS].map((command) => {
      const result = cxctl([command, '--help']);
      expect(result.code, `${command} --help`).toBe(0);
      return [command, result.stdout] as const;
    }),
  );

  it('shows the rate limit each kind of target really gets by default', () => {
    const embedded = resolveTarget({ cwd: empty, env: {}, overrides: { target: 'embedded' } });
    const tenant = resolveTarget({
      cwd: empty,
      env: { CXONE_CLIENT_ID: 'id', CXONE_CLIENT_SECRET: 'secret' },
      overrides: { target: 'https://acme.api.cxone.com' },
    });
    expect(embedded.limits.rateLimit).not.toBe(tenant.limits.rateLimit);
    for (const command of TARGET_COMMANDS) {
      const help = helps.get(command)!.replace(/\s+/g, ' ');
      expect(help).toContain(
        `requests per second to the target (default ${tenant.limits.rateLimit} for a CXone tenant, ${embedded.limits.rateLimit} for --target embedded)`,
      );
      expect(help).toContain(
        `requests in flight at once to the target (default ${tenant.limits.concurrency})`,
      );
    }
  });

  it('lists --config and --profile only where they choose a target', () => {
    for (const command of TARGET_COMMANDS) {
      expect(listedOptions(helps.get(command)!), command).toEqual(
        expect.arrayContaining(['config', 'profile', 'target', 'concurrency', 'rate-limit']),
      );
    }
    for (const command of OFFLINE_COMMANDS) {
      const listed = listedOptions(helps.get(command)!);
      for (const meaningless of ['config', 'profile', 'target', 'concurrency', 'timeout']) {
        expect(listed, `${command} lists --${meaningless}`).not.toContain(meaningless);
      }
      expect(listed, command).toEqual(expect.arrayContaining(['color', 'log-level', 'help']));
    }
    // The simulator's own --rate-limit is the server's, not a client limit.
    expect(listedOptions(helps.get('validate')!)).not.toContain('rate-limit');
    expect(helps.get('simulator')).toContain('requests per second per tenant');
  });

  it('lists --version only at the top', () => {
    for (const [command, help] of helps)
      expect(listedOptions(help), command).not.toContain('version');
    expect(listedOptions(cxctl(['--help']).stdout)).toContain('version');
  });

  it('shows the required --out in the usage of export', () => {
    expect(helps.get('export')!.split('\n')[0]).toBe('cxctl export --out DIR');
  });

  it('still accepts --config and --profile on every command (one set of flags for all)', () => {
    const examples = join(packageRoot(), 'examples');
    const result = cxctl(
      ['validate', '--config', 'cxctl.yaml', '--profile', 'production'],
      {},
      examples,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('mistyped options and commands', () => {
  it('names an unknown option and the closest known one, exit 1, no stack trace', () => {
    const result = cxctl(['apply', '--auto-aprove']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: unknown option --auto-aprove; did you mean --auto-approve?\n' +
        'hint: run cxctl apply --help for usage\n',
    );
  });

  it('names every unknown option, negated ones as typed, and suggests only plausible typos', () => {
    const result = cxctl(['plan', '--detailed-exitcod', '--no-colr', '--zzzzzz', '-q']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: unknown options --detailed-exitcod (did you mean --detailed-exitcode?), ' +
        '--no-colr (did you mean --no-color?), --zzzzzz, -q\n' +
        'hint: run cxctl plan --help for usage\n',
    );
  });

  it('refuses options of other commands: validate takes no --concurrency', () => {
    const result = cxctl(['validate', '--concurrency', '8']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: unknown option --concurrency\n');
  });

  it('accepts both spellings and negations of known options', () => {
    const result = cxctl(['validate', '--logLevel', 'error', '--no-color', '--no-strict']);
    expect(result.stderr).not.toContain('unknown option');
  });

  it('names an unknown command, with a suggestion when one is close', () => {
    const typo = cxctl(['plna']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      'error: unknown command "plna"; did you mean plan?\nhint: run cxctl --help for usage\n',
    );
    const unknown = cxctl(['xyzzy-nothing']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error: unknown command "xyzzy-nothing"');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('finds unknown options and commands in any locale (yargs’ own messages are translated)', () => {
    const german = { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
    expect(cxctl(['apply', '--auto-aprove'], german).stderr).toContain(
      'error: unknown option --auto-aprove; did you mean --auto-approve?',
    );
    expect(cxctl(['plna'], german).stderr).toContain(
      'error: unknown command "plna"; did you mean plan?',
    );
  });
});
