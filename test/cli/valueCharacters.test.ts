/**
 * Control characters never reach a manifest value: the stream check sees raw ones, but
 * double-quoted escapes and interpolated variables produce them after it, so the decoded values
 * are checked too, on both parse paths, and nothing is written to the tenant.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';
import { cxctl } from '../helpers/project.js';

const open: SimProject[] = [];
afterEach(async () => {
  for (const running of open.splice(0)) await running.close();
});

const codes = (name: string) =>
  `version: 1\nwrapUpCodes:\n  - code: RES_001\n    name: ${name}\n    category: Resolution\n    duration: 300\n`;

describe('a manifest value that holds a control character', () => {
  it('is refused at file:line:col by validate, plan and apply, whatever produced it', async () => {
    const sim = await startSimProject({ 'manifests/codes.yaml': codes('Resolved') });
    open.push(sim);
    const cases: [string, string, Record<string, string>][] = [
      ['"Res\\eolved"', 'U+001B (ESC)', {}],
      ['"Res\\x00olved"', 'U+0000 (NUL)', {}],
      ['"Res\\aolved"', 'U+0007 (BEL)', {}],
      ['"Res\\x7Folved"', 'U+007F (DEL)', {}],
      ['"Res\\x9Bolved"', 'U+009B (a C1 control character)', {}],
      ['"Res\\Nolved"', 'U+0085 (NEL)', {}],
      ['"Res\u0085olved"', 'U+0085 (NEL)', {}],
      ['"Res\\ud800olved"', 'U+D800 (a lone surrogate)', {}],
      ['"Res${env:CODE_LABEL}olved"', 'U+001B (ESC)', { CODE_LABEL: '\u001b[31m' }],
    ];
    for (const [name, character, env] of cases) {
      writeFileSync(join(sim.root, 'manifests/codes.yaml'), codes(name));
      const runs = [
        await cxctl(sim.root, ['validate'], { env }),
        await sim.run(['plan'], env),
        await sim.run(['apply', '--auto-approve'], env),
      ];
      for (const result of runs) {
        expect(result.code, name).toBe(1);
        expect(result.stdout + result.stderr).toContain(
          `manifests/codes.yaml:4:11: error: the value holds the character ${character}`,
        );
      }
    }
    expect(sim.writes()).toEqual([]);
  });

  it('is refused in a key, which is then not shown', async () => {
    const sim = await startSimProject({
      'manifests/codes.yaml': `${codes('Resolved')}    "no\\e[31mte": 1\n`,
    });
    open.push(sim);
    const result = await cxctl(sim.root, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'manifests/codes.yaml:7:5: error: the key holds the character U+001B (ESC)',
    );
    expect(result.stdout).not.toContain('\u001b');
  });

  it('still accepts tabs, line breaks and characters beyond ASCII', async () => {
    const sim = await startSimProject({
      'manifests/codes.yaml': codes('"R\\u00e9solu\\tok \\U0001F600"'),
    });
    open.push(sim);
    const result = await cxctl(sim.root, ['validate']);
    expect(result.stdout).toContain('1 file valid');
    expect(result.code).toBe(0);
  });
});
