/**
 * `cxctl plan --out FILE` prints the command that applies exactly that plan. Pasted as printed, it
 * must read the same manifests and the same target as the plan did, or apply refuses the plan.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO } from '../helpers/capture.js';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';

const CODES = `version: 1
wrapUpCodes:
  - { code: RES_001, name: Case Resolved, category: Resolution, duration: 300 }
  - { code: SAL_001, name: Sale, category: Sales, duration: 600 }
`;

const projects: SimProject[] = [];
afterEach(async () => {
  for (const started of projects.splice(0)) await started.close();
});

/** Run cxctl in the project exactly with `args` (no target added), with the simulator's credentials. */
async function cxctl(started: SimProject, args: readonly string[]) {
  const io = captureIO({
    cwd: started.root,
    env: { CXONE_CLIENT_ID: started.sim.clientId, CXONE_CLIENT_SECRET: started.sim.clientSecret },
  });
  const code = await runCli(args, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

const applyCommand = (stdout: string): string | undefined =>
  /Apply exactly these changes with: cxctl (.*)\n$/.exec(stdout)?.[1];

describe('cxctl plan --out: the printed apply command', () => {
  it('names the manifest paths, --config and --target of the plan, and applies it as pasted', async () => {
    const started = await startSimProject({
      'exported/codes.yaml': CODES,
      'ci.yaml': 'version: 1\n',
    });
    projects.push(started);
    const planned = await cxctl(started, [
      'plan',
      'exported',
      '--config',
      'ci.yaml',
      '--target',
      started.sim.url,
      '--no-color',
      '--out',
      'plan.json',
    ]);
    expect(planned.code).toBe(0);
    const command = applyCommand(planned.stdout);
    expect(command).toBe(
      `apply --plan plan.json exported --config ci.yaml --target ${started.sim.url}`,
    );
    const applied = await cxctl(started, [...command!.split(' '), '--auto-approve', '--no-color']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(started.sim.state().wrapUpCodes.map((code) => code.code)).toEqual([
      'RES_001',
      'SAL_001',
    ]);
  });

  it('shows a target URL with its password masked', async () => {
    const started = await startSimProject({ 'manifests/codes.yaml': CODES });
    projects.push(started);
    const url = new URL(started.sim.url);
    url.username = 'ops';
    url.password = 'hunter2-url-secret';
    const planned = await cxctl(started, [
      'plan',
      '--target',
      url.href,
      '--no-color',
      '--out',
      'plan.json',
    ]);
    expect(planned.code).toBe(0);
    expect(applyCommand(planned.stdout)).toMatch(
      /^apply --plan plan\.json --target 'http:\/\/\*\*\*@127\.0\.0\.1:\d+\/'$/,
    );
    expect(planned.stdout + planned.stderr).not.toContain('hunter2-url-secret');
  });
});
