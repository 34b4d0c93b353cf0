/**
 * Secrets never leave: manifests that would put one into a value are refused by every command
 * (before anything is read from or written to the tenant), offline commands mask the
 * environment's secrets as plan does, and a password in a target URL shows nowhere.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecretsForTests } from '../../src/secrets.js';
import { startSimulator } from '../../src/simulator/index.js';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';
import { cxctl, temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-secrets-');
const open: SimProject[] = [];
afterEach(async () => {
  clearSecretsForTests();
  for (const running of open.splice(0)) await running.close();
});

const codes = (name: string) =>
  `version: 1\nwrapUpCodes:\n  - code: RES_001\n    name: ${name}\n    category: Resolution\n    duration: 300\n`;

describe('a manifest value that uses a secret', () => {
  it('is refused by plan in every format, at file:line:col, and nothing is written', async () => {
    const sim = await startSimProject({
      'manifests/codes.yaml': codes('"Resolved ${env:CXONE_CLIENT_SECRET}"'),
    });
    open.push(sim);
    for (const format of ['markdown', 'json', 'text']) {
      const result = await sim.run(['plan', '--format', format, '--out', 'plan.json']);
      expect(result.code).toBe(1);
      const output = result.stdout + result.stderr;
      // Markdown escapes the underscores.
      expect(output).toMatch(/\$\{env:CXONE\\?_CLIENT\\?_SECRET\} names a secret/);
      expect(output).toContain('manifests/codes.yaml');
      expect(output).not.toContain(sim.sim.clientSecret);
    }
    expect(existsSync(join(sim.root, 'plan.json'))).toBe(false);
    const applied = await sim.run(['apply', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect(sim.writes()).toEqual([]);
  });

  it('is refused by validate when the variable is a webhook secret named in cxctl.yaml', async () => {
    const root = project({
      'cxctl.yaml':
        'version: 1\nwebhooks:\n  - url: https://hooks.example.com/cxctl\n    secret: ${env:HOOK_SIGNING}\n',
      'manifests/codes.yaml': codes('"Resolved ${env:HOOK_SIGNING}"'),
    });
    const result = await cxctl(root, ['validate'], {
      env: { HOOK_SIGNING: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'manifests/codes.yaml:4:21: error: ${env:HOOK_SIGNING} names a secret',
    );
    expect(result.stdout).not.toContain('c2VjcmV0LXNpZ25pbmcta2V5');
  });

  it('is refused when YAML escapes or interpolation hide it from the raw text', async () => {
    const secret = 'escaped-secret-4711';
    const root = project({ 'manifests/codes.yaml': codes('Resolved') });
    const env = { CXONE_CLIENT_SECRET: secret, PART_A: 'escaped-secret', PART_B: '-4711' };
    const hidden = [
      ['"\\x24{env:CXONE_CLIENT_SECRET}"', 'names a secret'],
      ['"\\x24{env:CXONE_CLIENT_SECRET:-fallback}"', 'names a secret'],
      ['"escaped-secret-471\\x31"', 'holds the value of the secret CXONE_CLIENT_SECRET'],
      ['"escaped-\\\n      secret-4711"', 'holds the value of the secret CXONE_CLIENT_SECRET'],
      ['"${env:PART_A}${env:PART_B}"', 'holds the value of the secret CXONE_CLIENT_SECRET'],
    ];
    for (const [name, message] of hidden) {
      writeFileSync(join(root, 'manifests/codes.yaml'), codes(name!));
      for (const args of [['validate'], ['plan', '--target', 'embedded']]) {
        const result = await cxctl(root, args, { env });
        expect(result.code, `${args[0]} ${name}`).toBe(1);
        const output = result.stdout + result.stderr;
        expect(output).toContain('manifests/codes.yaml:4:11');
        expect(output).toContain(message);
        expect(output).not.toContain(secret);
      }
    }
  });

  it('is refused when it comes from a CRM status list, whose descriptions become code names', async () => {
    const secret = 'csv-secret-4711';
    const root = project({
      'manifests/crm.yaml':
        'version: 1\ncrmMappings:\n  - system: sf\n    statuses: ./statuses.csv\n    rules:\n      - { status: A, code: SF_A, category: Sales, duration: 60 }\n',
      'manifests/statuses.csv': `status,description\nA,${secret}\n`,
    });
    const env = { CXONE_CLIENT_SECRET: secret };
    for (const args of [['crm', 'mappings'], ['validate'], ['plan', '--target', 'embedded']]) {
      const result = await cxctl(root, args, { env });
      expect(result.code, args[0]).toBe(1);
      const output = result.stdout + result.stderr;
      expect(output).toContain('manifests/statuses.csv:2:3');
      expect(output).toContain('holds the value of the secret CXONE_CLIENT_SECRET');
      expect(output).not.toContain(secret);
    }
  });

  it('is refused by every command when the webhook secret is named in the --config file', async () => {
    const root = project({
      'config/cxctl.yaml':
        'version: 1\nwebhooks:\n  - url: https://hooks.example.com/cxctl\n    secret: ${env:HOOK_SIGNING}\n',
      'manifests/codes.yaml': codes('"Resolved ${env:HOOK_SIGNING}"'),
    });
    const env = { HOOK_SIGNING: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5' };
    for (const command of [['validate'], ['test'], ['crm', 'mappings']]) {
      const result = await cxctl(root, [...command, '--config', 'config/cxctl.yaml'], { env });
      expect(result.code).toBe(1);
      const output = result.stdout + result.stderr;
      expect(output).toContain('manifests/codes.yaml:4:21');
      expect(output).toContain('${env:HOOK_SIGNING} names a secret');
      expect(output).not.toContain('c2VjcmV0LXNpZ25pbmcta2V5');
    }
  });
});

describe('offline commands', () => {
  it('mask the environment secrets in everything they print, as plan does', async () => {
    const secret = 'offline-secret-4711';
    const root = project({ 'manifests/codes.yaml': codes('Resolved') });
    const env = { CXONE_CLIENT_SECRET: secret, CXONE_ACCESS_KEY_SECRET: 'access-key-0815' };
    const runs = [
      ['validate', `${secret}.yaml`],
      ['validate', '--format', 'json', `${secret}.yaml`],
      ['crm', 'mappings', `access-key-0815.yaml`],
      ['test', `${secret}.yaml`],
    ];
    for (const args of runs) {
      const result = await cxctl(root, args, { env });
      expect(result.code).toBe(1);
      const output = result.stdout + result.stderr;
      expect(output).toContain('***');
      expect(output).not.toContain(secret);
      expect(output).not.toContain('access-key-0815');
    }
  });
});

describe('a password in a target URL', () => {
  it('is masked in the target label, every plan format and the saved plan', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const root = project({ 'manifests/codes.yaml': codes('Resolved') });
      const base = sim.url.replace('http://', 'http://alice:hunter2-url-pass@');
      const env = {
        CXONE_API_BASE: base,
        CXONE_CLIENT_ID: sim.clientId,
        CXONE_CLIENT_SECRET: sim.clientSecret,
      };
      for (const format of ['text', 'json', 'markdown']) {
        const result = await cxctl(root, ['plan', '--format', format, '--out', 'plan.json'], {
          env,
        });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(sim.url.replace('http://', 'http://***@'));
        expect(result.stdout + result.stderr).not.toContain('hunter2-url-pass');
        expect(readFileSync(join(root, 'plan.json'), 'utf8')).not.toContain('hunter2-url-pass');
      }
      const refused = await cxctl(root, ['plan'], {
        env: { ...env, CXONE_API_BASE: 'ftp://alice:hunter2-url-pass@127.0.0.1:1' },
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('"ftp://***@127.0.0.1:1" must be an https:// URL');
      expect(refused.stderr).not.toContain('hunter2-url-pass');
    } finally {
      await sim.stop();
    }
  });
});
