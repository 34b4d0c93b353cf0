/**
 * The GitHub Action (action.yml) and the workflows that use it: the shipped examples and what
 * `cxctl init` scaffolds. Their structure is checked as parsed YAML, and the action's own shell
 * steps run here as the runner runs them (`bash --noprofile --norc -eo pipefail`), with
 * `${{ github.action_path }}` as this repository and `${{ inputs.* }}` filled in.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { builtCli } from '../helpers/built.js';
import { captureIO } from '../helpers/capture.js';

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}
interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

const root = packageRoot();
const sandbox = mkdtempSync(join(tmpdir(), 'cxctl-action-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;

/** `your-org/cxctl@v0.1.0` or `./`: a use of this repository's action. */
const usesCxctlAction = (step: Step) =>
  step.uses !== undefined && (/^[\w.-]+\/cxctl@/.test(step.uses) || step.uses === './');

function workflowsIn(directory: string): Map<string, Workflow> {
  return new Map(
    readdirSync(directory)
      .filter((file) => file.endsWith('.yml'))
      .map((file) => [file, parse(readFileSync(join(directory, file), 'utf8')) as Workflow]),
  );
}

async function scaffoldedWorkflows(): Promise<Map<string, Workflow>> {
  const repo = mkdtempSync(join(sandbox, 'init-'));
  expect(await runCli(['init'], captureIO({ cwd: repo }))).toBe(0);
  return workflowsIn(join(repo, '.github', 'workflows'));
}

describe('action.yml', () => {
  it('is a composite action: setup-node, build in its own checkout, then the command', () => {
    expect(action.runs.using).toBe('composite');
    const [setup, build, run] = action.runs.steps;
    expect(setup?.uses).toMatch(/^actions\/setup-node@v\d+$/);
    expect(setup?.with?.['node-version']).toBe('${{ inputs.node-version }}');
    expect(build?.['working-directory']).toBe('${{ github.action_path }}');
    expect(build?.run).toContain('npm ci');
    expect(run?.id).toBe('run');
    expect(run?.['working-directory']).toBe('${{ inputs.working-directory }}');
    expect(run?.env?.CXCTL_BIN).toBe('${{ github.action_path }}/dist/bundle/main.js');
    for (const step of [build, run]) expect(step?.shell).toBe('bash');
    expect(Object.keys(action.inputs).sort()).toEqual([
      'allowed-exit-codes',
      'args',
      'command',
      'node-version',
      'output-file',
      'working-directory',
    ]);
    expect(action.inputs.command?.required).toBe(true);
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(output.value).toBe(`\${{ steps.run.outputs.${name} }}`);
    }
  });

  it('refers only to inputs it declares, and never pastes one into a script', () => {
    const text = readFileSync(join(root, 'action.yml'), 'utf8');
    for (const match of text.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)) {
      expect(Object.keys(action.inputs)).toContain(match[1]);
    }
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('${{');
  });
});

describe('the workflows', () => {
  const sets = async () =>
    [
      ['examples/.github/workflows', workflowsIn(join(root, 'examples', '.github', 'workflows'))],
      ['cxctl init', await scaffoldedWorkflows()],
    ] as const;

  it('run cxctl through the action, with inputs it has, never from a registry', async () => {
    for (const [where, workflows] of await sets()) {
      expect([...workflows.keys()].sort(), where).toEqual([
        'cxctl-apply.yml',
        'cxctl-drift.yml',
        'cxctl-plan.yml',
      ]);
      for (const [file, workflow] of workflows) {
        const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
        expect(steps.filter(usesCxctlAction).length, `${where}/${file}`).toBeGreaterThan(0);
        for (const step of steps) {
          expect(step.run ?? '', `${where}/${file}`).not.toMatch(/npx|npm i|npm install|\$CXCTL\b/);
          if (!usesCxctlAction(step)) continue;
          const given = Object.keys(step.with ?? {});
          for (const input of given)
            expect(Object.keys(action.inputs), `${file}: ${input}`).toContain(input);
          for (const [input, spec] of Object.entries(action.inputs)) {
            if (spec.required) expect(given, `${file}: ${step.name}`).toContain(input);
          }
        }
      }
    }
  });

  it('keep or read every file cxctl writes, and end github-script steps after setFailed', async () => {
    for (const [where, workflows] of await sets()) {
      for (const [file, workflow] of workflows) {
        const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
        steps.forEach((step, index) => {
          if (step.uses?.startsWith('actions/github-script@')) {
            const script = String(step.with?.script ?? '');
            const failures = script.match(/core\.setFailed\(/g)?.length ?? 0;
            const returned = script.match(/core\.setFailed\([^;]*\);\s*return;/g)?.length ?? 0;
            expect(returned, `${where}/${file}: ${step.name}`).toBe(failures);
          }
          if (!usesCxctlAction(step)) return;
          const args = String(step.with?.args ?? '');
          const written = [
            ...[...args.matchAll(/--(?:junit|audit-log|metrics-file|out)\s+(\S+)/g)].map(
              (m) => m[1]!,
            ),
            ...(step.with?.['output-file'] ? [String(step.with['output-file'])] : []),
          ];
          const later = JSON.stringify(steps.slice(index + 1));
          for (const path of written) {
            const kept =
              later.includes(path) ||
              (step.id !== undefined && later.includes(`steps.${step.id}.outputs.output-file`));
            expect(kept, `${where}/${file}: ${path} is written and then thrown away`).toBe(true);
          }
        });
      }
    }
  });

  it('post the PR comment even when the plan fails, and keep the JUnit report', async () => {
    for (const [where, workflows] of await sets()) {
      const steps = workflows.get('cxctl-plan.yml')!.jobs.plan!.steps;
      const plan = steps.find((step) => usesCxctlAction(step) && step.with?.command === 'plan')!;
      expect(plan.id).toBe('plan');
      expect(String(plan.with?.['allowed-exit-codes'])).toBe('0 2');
      const comment = steps.find((step) => step.name === 'Post the plan as a PR comment')!;
      expect(comment.if, where).toBe('always()');
      expect(comment.env?.PLAN_OUTCOME).toBe('${{ steps.plan.outcome }}');
      expect(comment.env?.PLAN_ERRORS).toBe('${{ steps.plan.outputs.error-file }}');
      expect(String(comment.with?.script)).toContain('cxctl plan failed');
      const junit = steps.find(
        (step) =>
          step.uses?.startsWith('actions/upload-artifact@') &&
          step.with?.path === 'compliance-tests.xml',
      );
      expect(junit?.if).toBe('always()');
      const summary = steps.find((step) => step.run?.includes('GITHUB_STEP_SUMMARY'));
      expect(summary?.if).toBe('always()');
      const apply = workflows.get('cxctl-apply.yml')!.jobs.apply!.steps;
      const audit = apply.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
      expect(audit?.with?.path).toBe('audit.jsonl');
      expect(audit?.if).toBe('always()');
    }
  });
});

/** What the PR comment step posts, run as actions/github-script runs a script (an async function body). */
async function postedComment(script: string, env: Record<string, string>): Promise<string> {
  const posted: string[] = [];
  const github = {
    paginate: () => Promise.resolve([]),
    rest: {
      issues: {
        listComments: () => Promise.resolve([]),
        updateComment: ({ body }: { body: string }) => Promise.resolve(posted.push(body)),
        createComment: ({ body }: { body: string }) => Promise.resolve(posted.push(body)),
      },
    },
  };
  const context = {
    serverUrl: 'https://github.com',
    repo: { owner: 'acme', repo: 'cx' },
    runId: 7,
    issue: { number: 3 },
  };
  // The constructor of async functions, as github-script uses to run its script.
  const AsyncFunction = async function () {}.constructor as new (
    ...params: string[]
  ) => (...args: unknown[]) => Promise<unknown>;
  const run = new AsyncFunction('require', 'github', 'context', 'process', script);
  await run(createRequire(import.meta.url), github, context, { env });
  expect(posted).toHaveLength(1);
  return posted[0]!;
}

describe('the PR comment of a failed plan', () => {
  it('fits in a GitHub comment with its error and no digest, however long the report', async () => {
    const digest = 'a'.repeat(64);
    const report = `### cxctl plan for \`prod\`\n\n\`\`\`diff\n${'! wrap-up code C1\n'.repeat(3600)}\`\`\`\n\nPlan digest: \`${digest}\`\n`;
    const dir = mkdtempSync(join(sandbox, 'comment-'));
    writeFileSync(join(dir, 'plan.md'), report);
    writeFileSync(
      join(dir, 'errors.txt'),
      `error: refusing this plan: it would remove 5000 of 5000 wrap-up codes\n${'x'.repeat(3000)}`,
    );
    for (const [where, workflows] of [
      ['examples', workflowsIn(join(root, 'examples', '.github', 'workflows'))],
      ['cxctl init', await scaffoldedWorkflows()],
    ] as const) {
      const step = workflows
        .get('cxctl-plan.yml')!
        .jobs.plan!.steps.find((s) => s.name === 'Post the plan as a PR comment')!;
      const body = await postedComment(String(step.with?.script), {
        PLAN_OUTCOME: 'failure',
        PLAN_FILE: join(dir, 'plan.md'),
        PLAN_ERRORS: join(dir, 'errors.txt'),
      });
      expect(report.length + 3000, where).toBeGreaterThan(65536);
      expect(body.length, where).toBeLessThanOrEqual(65536);
      expect(body, where).toContain('### cxctl plan failed');
      expect(body, where).toContain('error: refusing this plan');
      expect(body, where).toContain('Nothing from this pull request can be applied');
      expect(body, where).not.toContain(digest);
    }
  });
});

describe('the action, run as the runner runs it', () => {
  const [, buildStep, runStep] = action.runs.steps;

  /** Run one of the action's bash steps in `cwd` with `inputs`; returns its outputs as well. */
  function runActionStep(step: Step, cwd: string, inputs: Record<string, string>) {
    const values = Object.fromEntries(
      Object.entries(action.inputs).map(([name, spec]) => [
        name,
        inputs[name] ?? spec.default ?? '',
      ]),
    );
    const expand = (text: string) =>
      text
        .replaceAll('${{ github.action_path }}', root)
        .replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => values[name] ?? '');
    const work = mkdtempSync(join(sandbox, 'step-'));
    const script = join(work, 'step.sh');
    const outputs = join(work, 'outputs');
    writeFileSync(script, step.run!);
    writeFileSync(outputs, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: work,
      NO_COLOR: '1',
      RUNNER_TEMP: work,
      GITHUB_OUTPUT: outputs,
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expand(value);
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: resolve(cwd, expand(step['working-directory'] ?? '.')),
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const set = Object.fromEntries(
      readFileSync(outputs, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs: set };
  }

  async function tenantRepository(): Promise<string> {
    const repo = mkdtempSync(join(sandbox, 'tenant-'));
    expect(await runCli(['init'], captureIO({ cwd: repo }))).toBe(0);
    return repo;
  }

  it('finds the build and does not rebuild it', () => {
    builtCli();
    const build = runActionStep(buildStep!, root, {});
    expect(build.stderr).toBe('');
    expect(build.stdout).toBe('');
    expect(build.code).toBe(0);
  });

  it('plans against the embedded target: exit 2 allowed, output file and exit code as outputs', async () => {
    builtCli();
    const repo = await tenantRepository();
    const plan = runActionStep(runStep!, repo, {
      command: 'plan',
      args: '--target embedded --format markdown --detailed-exitcode',
      'output-file': 'plan.md',
      'allowed-exit-codes': '0 2',
    });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.outputs['exit-code']).toBe('2');
    expect(plan.outputs['output-file']).toBe(join(repo, 'plan.md'));
    const markdown = readFileSync(join(repo, 'plan.md'), 'utf8');
    expect(markdown).toMatch(/Plan digest: `[0-9a-f]{64}`/);
    expect(readFileSync(plan.outputs['error-file']!, 'utf8')).toBe('');
  }, 120_000);

  it('fails with cxctl’s exit code and keeps its report and error output for the PR comment', async () => {
    builtCli();
    const repo = await tenantRepository();
    writeFileSync(join(repo, 'manifests', 'broken.yaml'), 'wrapUpCodes:\n  - code: bad code\n');
    const inputs = {
      command: 'plan',
      args: '--target embedded --format markdown',
      'output-file': 'plan.md',
      'allowed-exit-codes': '0 2',
    };
    const invalid = runActionStep(runStep!, repo, inputs);
    expect(invalid.code).toBe(1);
    expect(invalid.outputs['exit-code']).toBe('1');
    expect(readFileSync(invalid.outputs['output-file']!, 'utf8')).toContain(
      'manifests/broken.yaml:2:',
    );
    rmSync(join(repo, 'manifests', 'broken.yaml'));
    const refused = runActionStep(runStep!, repo, { ...inputs, args: '--profile nope' });
    expect(refused.code).toBe(1);
    const errors = readFileSync(refused.outputs['error-file']!, 'utf8');
    expect(errors).toContain('error: profile "nope" is not defined in cxctl.yaml');
    expect(refused.stderr).toContain(errors);
  }, 120_000);

  it('runs a two-word command, and takes arguments as words, never as shell code', async () => {
    builtCli();
    const repo = await tenantRepository();
    const crm = runActionStep(runStep!, repo, {
      command: 'crm mappings',
      args: '--format csv; touch injected $(touch injected2)',
    });
    expect(existsSync(join(repo, 'injected'))).toBe(false);
    expect(existsSync(join(repo, 'injected2'))).toBe(false);
    expect(crm.code).toBe(1);
    const table = runActionStep(runStep!, repo, { command: 'crm mappings', args: '--format csv' });
    expect(table.code).toBe(0);
    expect(table.stdout.split('\r\n')[0]).toBe('system,status,description,code,category');
  }, 120_000);
});
