import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../src/config/errors.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { resolveTarget } from '../../src/config/target.js';
import { isCxctlError } from '../../src/errors.js';
import { temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-config-');

function expectConfigError(text: string, env: Record<string, string> = {}): ConfigFileError {
  try {
    parseConfig(text, 'cxctl.yaml', env);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return error as ConfigFileError;
  }
  throw new Error('expected a ConfigFileError');
}

describe('cxctl.yaml loading', () => {
  it('reads profiles, defaults and webhooks', () => {
    const config = parseConfig(
      [
        'version: 1',
        'defaultProfile: local',
        'profiles:',
        '  local: { target: embedded }',
        '  prod:',
        '    tenant: acme',
        '    clientId: cx-client',
        '    clientSecret: ${env:PROD_SECRET}',
        '    concurrency: 8',
        '    rateLimit: 2.5',
        'webhooks:',
        '  - url: https://hooks.example.com/cxctl',
        '    secret: ${env:HOOK_SECRET}',
        '    events: [apply.completed, drift.detected]',
      ].join('\n'),
      'cxctl.yaml',
      { PROD_SECRET: 's3cret-value', HOOK_SECRET: 'whsec_c2VjcmV0' },
    );
    expect(config.defaultProfile).toBe('local');
    expect(config.profiles.local).toEqual({ target: 'embedded' });
    expect(config.profiles.prod).toMatchObject({
      tenant: 'acme',
      clientSecret: 's3cret-value',
      concurrency: 8,
      rateLimit: 2.5,
    });
    expect(config.webhooks).toEqual([
      {
        url: 'https://hooks.example.com/cxctl',
        secret: 'whsec_c2VjcmV0',
        events: ['apply.completed', 'drift.detected'],
      },
    ]);
  });

  it('names file:line:col of an unknown key and suggests the known one', () => {
    const error = expectConfigError(
      ['version: 1', 'profiles:', '  prod:', '    tenant: acme', '    concurrancy: 8'].join('\n'),
    );
    expect(error.message).toBe(
      'cxctl.yaml:5:5: unknown key "concurrancy" in profiles.prod; did you mean "concurrency"?',
    );
  });

  it('names file:line:col of a value out of range', () => {
    const error = expectConfigError(
      ['version: 1', 'profiles:', '  prod:', '    tenant: acme', '    concurrency: 0'].join('\n'),
    );
    expect(error.message).toBe('cxctl.yaml:5:18: profiles.prod.concurrency must be >= 1 (got 0)');
  });

  it('names file:line:col of a YAML syntax error', () => {
    const error = expectConfigError('version: 1\nprofiles:\n  prod: [unclosed\n');
    expect(error.message).toMatch(/^cxctl\.yaml:\d+:\d+: /);
    expect(error.diagnostics[0]!.code).toBe('yaml.syntax');
  });

  it('reports a duplicate key at its place', () => {
    const error = expectConfigError('version: 1\nversion: 1\n');
    expect(error.message).toMatch(/^cxctl\.yaml:2:1: .*[Uu]nique/);
  });

  it('reports an unset ${env:...} reference at the value that uses it', () => {
    expect(expectConfigError('version: 1\ndefaultProfile: ${env:NOPE}\n').message).toMatch(
      /^cxctl\.yaml:2:17: environment variable NOPE is not set/,
    );
  });

  it('keeps an unset reference inside a profile for when that profile is used', () => {
    const dir = project({});
    writeFileSync(
      join(dir, 'cxctl.yaml'),
      [
        'version: 1',
        'profiles:',
        '  local: { target: embedded }',
        '  prod:',
        '    tenant: acme',
        '    clientId: id',
        '    clientSecret: ${env:NOPE_SECRET}',
      ].join('\n'),
    );
    // Another profile works although prod's variable is unset ...
    expect(resolveTarget({ cwd: dir, env: {}, profile: 'local' }).kind).toBe('embedded');
    // ... and prod fails at the place that needs the variable.
    try {
      resolveTarget({ cwd: dir, env: {}, profile: 'prod' });
      expect.unreachable();
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigFileError);
      expect((error as Error).message).toMatch(
        /^cxctl\.yaml:7:19: environment variable NOPE_SECRET is not set/,
      );
    }
  });

  it('accepts ${env:NAME:-default}', () => {
    const config = parseConfig(
      'version: 1\nprofiles:\n  p:\n    tenant: ${env:T:-fallback}\n',
      'cxctl.yaml',
      {},
    );
    expect(config.profiles.p!.tenant).toBe('fallback');
  });

  it('requires version 1', () => {
    expect(expectConfigError('version: 2\n').message).toBe(
      'cxctl.yaml:1:10: version must be 1 (got 2)',
    );
    expect(expectConfigError('profiles: {}\n').message).toBe(
      'cxctl.yaml:1:1: the file is missing the required key "version"',
    );
  });

  it('refuses tenant settings in an embedded profile, pointing at the key', () => {
    const error = expectConfigError(
      ['version: 1', 'profiles:', '  local:', '    target: embedded', '    tenant: acme'].join(
        '\n',
      ),
    );
    expect(error.message).toMatch(
      /^cxctl\.yaml:5:5: "tenant" cannot be set in a profile with target: embedded/,
    );
  });

  it('refuses plain http:// to a non-loopback host in the file', () => {
    const error = expectConfigError(
      ['version: 1', 'profiles:', '  prod:', '    apiBase: http://cxone.example.com'].join('\n'),
    );
    expect(error.message).toMatch(
      /^cxctl\.yaml:4:14: apiBase of profile "prod": plain http:\/\/ is refused/,
    );
    // Loopback is fine (a local simulator).
    expect(() =>
      parseConfig('version: 1\nprofiles:\n  sim:\n    apiBase: http://127.0.0.1:4010\n', 'f', {}),
    ).not.toThrow();
  });

  it('checks defaultProfile names a profile', () => {
    const error = expectConfigError(
      'version: 1\ndefaultProfile: nope\nprofiles:\n  a: {target: embedded}\n',
    );
    expect(error.message).toBe(
      'cxctl.yaml:2:17: defaultProfile "nope" is not one of the profiles (a)',
    );
  });

  it('validates webhook secrets without echoing them', () => {
    const error = expectConfigError(
      [
        'version: 1',
        'webhooks:',
        '  - url: https://h.example.com',
        '    secret: not-a-whsec-secret',
      ].join('\n'),
    );
    expect(error.message).toBe(
      'cxctl.yaml:4:13: webhooks[0].secret must be a Standard Webhooks secret: whsec_ followed by base64',
    );
    expect(error.message).not.toContain('not-a-whsec-secret');
  });

  it('lists every problem, the first in the message and the rest in the hint', () => {
    const error = expectConfigError(
      ['version: 1', 'profiles:', '  a:', '    rateLimit: -1', '    colour: red'].join('\n'),
    );
    expect(error.diagnostics).toHaveLength(2);
    expect(error.message).toMatch(/^cxctl\.yaml:4:/);
    expect(error.hint).toMatch(/cxctl\.yaml:5:5: unknown key "colour"/);
  });

  it('finds ./cxctl.yaml, ignores its absence, and insists on an explicit --config', () => {
    const dir = project({});
    expect(loadConfig({ cwd: dir, env: {} })).toBeUndefined();
    try {
      loadConfig({ cwd: dir, env: {}, configPath: 'other.yaml' });
      expect.unreachable();
    } catch (error: unknown) {
      expect(isCxctlError(error) && error.message).toBe(
        'the configuration file other.yaml does not exist',
      );
    }
    writeFileSync(join(dir, 'cxctl.yaml'), 'version: 1\nprofiles:\n  x: {target: embedded}\n');
    const loaded = loadConfig({ cwd: dir, env: {} });
    expect(loaded?.file).toBe('cxctl.yaml');
    expect(loaded?.config.profiles.x).toEqual({ target: 'embedded' });
  });
});
