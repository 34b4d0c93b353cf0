/**
 * Hostile files, as a user meets them: the built CLI is spawned on FIFOs, devices and files outside
 * the repository, and must fail with a clear message naming the file (exit 1, no stack trace,
 * nothing written, nothing of the file's content echoed) instead of hanging or reading forever.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli } from '../helpers/built.js';
import { temporaryProjects } from '../helpers/project.js';

const bin = builtCli();
const project = temporaryProjects('cxctl-hostile-');
// Set in the child's environment: /proc/self/environ would show it.
const SENTINEL = 'sentinel-value-that-must-never-print';

function cxctl(cwd: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
    env: {
      PATH: process.env.PATH ?? '',
      CXCTL_SENTINEL: SENTINEL,
      CXONE_API_BASE: 'http://127.0.0.1:9',
      CXONE_CLIENT_ID: 'id',
      CXONE_CLIENT_SECRET: 'client-secret-value',
    },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function expectCleanFailure(
  cwd: string,
  result: { status: number | null; output: string },
  message: RegExp,
): void {
  expect(result.status).toBe(1); // null would mean the run hung until the timeout killed it
  expect(result.output).toMatch(message);
  expect(result.output).not.toMatch(/internal error|\n\s+at |TypeError|RangeError/);
  expect(result.output).not.toContain(SENTINEL);
  expect(readdirSync(cwd).filter((name) => name.startsWith('.') && name !== '.cxctl')).toEqual([]);
}

const MAPPING = (statuses: string) =>
  `version: 1\ncrmMappings:\n  - system: salesforce\n    statuses: ${statuses}\n    rules:\n      - { status: A, code: RES_001, category: Resolution, duration: 300 }\n`;

describe('hostile manifest files', () => {
  it('a FIFO in a manifest directory is named and skipped, not waited on', () => {
    const root = project({ 'manifests/a.yaml': 'version: 1\n' });
    execFileSync('mkfifo', [join(root, 'manifests', 'pipe.yaml')]);
    expectCleanFailure(
      root,
      cxctl(root, ['validate']),
      /manifests\/pipe\.yaml:1:1: error: manifests\/pipe\.yaml cannot be read: it is a named pipe \(FIFO\), not a regular file/,
    );
  });

  it('devices named as manifests are refused before a byte is read', () => {
    const root = project({ 'manifests/a.yaml': 'version: 1\n' });
    for (const device of ['/dev/zero', '/dev/urandom']) {
      expectCleanFailure(
        root,
        cxctl(root, ['validate', device]),
        /cannot be read: it is a character device, not a regular file/,
      );
    }
  });

  it('a status list outside the repository is refused, and none of it is shown', () => {
    const root = project({ 'cxctl.yaml': 'version: 1\n', 'manifests/a.yaml': MAPPING('x') });
    const cases: [string, RegExp][] = [
      ['/proc/self/environ', /the path is absolute/],
      ['/etc/passwd', /the path is absolute/],
      ['../../../../../../etc/passwd', /the path leads outside the repository/],
    ];
    for (const [statuses, message] of cases) {
      writeFileSync(join(root, 'manifests', 'a.yaml'), MAPPING(statuses));
      const result = cxctl(root, ['validate']);
      expectCleanFailure(root, result, message);
      expect(result.output).not.toContain('root:');
    }
  });

  it('a status list reached through a symbolic link out of the repository is refused', () => {
    const root = project({ 'manifests/a.yaml': MAPPING('./environ.csv') });
    symlinkSync('/proc/self/environ', join(root, 'manifests', 'environ.csv'));
    expectCleanFailure(
      root,
      cxctl(root, ['validate']),
      /status list manifests\/environ\.csv: the path leads outside the repository \(\.\) through a symbolic link/,
    );
  });

  it('a FIFO as the status list is refused', () => {
    const root = project({ 'manifests/a.yaml': MAPPING('./fifo.csv') });
    execFileSync('mkfifo', [join(root, 'manifests', 'fifo.csv')]);
    expectCleanFailure(
      root,
      cxctl(root, ['validate']),
      /status list manifests\/fifo\.csv: it is a named pipe \(FIFO\), not a regular file/,
    );
  });
});

describe('hostile plan files', () => {
  it('a FIFO or a device as --plan is refused at once', () => {
    const root = project({ 'manifests/a.yaml': 'version: 1\n' });
    execFileSync('mkfifo', [join(root, 'plan.json')]);
    for (const file of ['plan.json', '/dev/zero', '/dev/urandom']) {
      expectCleanFailure(
        root,
        cxctl(root, ['apply', '--plan', file, '--auto-approve']),
        /error: Cannot read the plan file .*: it is a (named pipe \(FIFO\)|character device), not a regular file/,
      );
    }
  });
});
