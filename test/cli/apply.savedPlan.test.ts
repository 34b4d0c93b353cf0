/**
 * `cxctl apply --plan FILE` applies a saved plan only as it was planned: it plans again from the
 * manifests and the live state and refuses a file whose changes differ, even with its digest
 * recomputed, and a file that is not a plan. Spawns the built CLI (`npm test` builds it first)
 * against a real simulator on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planDigest } from '../../src/plan/assemble.js';
import type { Plan, PlannedChange } from '../../src/plan/types.js';
import { builtCli } from '../helpers/built.js';
import { ApplyHarness, codesManifest, seedCode } from './applyHarness.js';

const BIN = builtCli();

let h: ApplyHarness;
beforeAll(async () => {
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.reset({
    wrapUpCodes: [
      seedCode('AA', { duration: 60 }),
      seedCode('BB', { duration: 60 }),
      seedCode('ZZ', { duration: 60 }),
    ],
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built `cxctl` in `cwd` against the simulator. */
function cxctl(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, ...h.targetArgs()],
      { cwd, env: { ...process.env, ...h.env(), NO_COLOR: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** AA and BB updated, CC created; ZZ is owned but not declared. */
async function savedPlan(): Promise<{ root: string; plan: Plan }> {
  const root = h.project({
    'manifests/codes.yaml': codesManifest([
      ['AA', { duration: 120 }],
      ['BB', { duration: 120 }],
      ['CC'],
    ]),
  });
  const planned = await cxctl(root, ['plan', '--out', 'plan.json']);
  expect(planned.code, planned.stderr).toBe(0);
  const plan = JSON.parse(readFileSync(join(root, 'plan.json'), 'utf8')) as Plan;
  expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
    'update AA',
    'update BB',
    'create CC',
  ]);
  return { root, plan };
}

/** Save an edited plan with its digest recomputed, as someone covering their tracks would. */
function saveEdited(root: string, plan: Plan, changes: PlannedChange[], extra: Partial<Plan> = {}) {
  const edited = { ...plan, ...extra, changes, digest: planDigest(plan.target, changes) };
  writeFileSync(join(root, 'plan.json'), JSON.stringify(edited, null, 2));
}

/** Write requests the simulator logged, read over its control API. */
async function loggedWrites(): Promise<number> {
  const response = await fetch(`${h.sim.url}/__sim/requests`);
  const log = (await response.json()) as { counts: Record<string, number> };
  return Object.entries(log.counts)
    .filter(([route]) => /^(POST|PUT|PATCH|DELETE) \/api\//.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Apply the saved plan and expect a refusal that changed nothing on the tenant. */
async function expectRefused(root: string, message: string | RegExp): Promise<Run> {
  const before = JSON.stringify(h.sim.state().wrapUpCodes);
  h.sim.clearRequests();
  const run = await cxctl(root, ['apply', '--plan', 'plan.json', '--auto-approve']);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  if (typeof message === 'string') expect(run.stderr).toContain(message);
  else expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error/i);
  expect(await loggedWrites()).toBe(0);
  expect(JSON.stringify(h.sim.state().wrapUpCodes)).toBe(before);
  return run;
}

function liveCode(code: string): { version: number; name: string; duration: number } | undefined {
  return h.sim.state().wrapUpCodes.find((c) => c.code === code);
}

// Each test spawns the CLI four to eight times: room for a loaded machine.
describe('cxctl apply --plan applies only what was planned', { timeout: 90_000 }, () => {
  it('applies an untouched saved plan, with and without --expect-plan-digest', async () => {
    const { root, plan } = await savedPlan();
    const wrong = 'f'.repeat(64);
    h.sim.clearRequests();
    const refused = await cxctl(root, [
      'apply',
      '--plan',
      'plan.json',
      '--auto-approve',
      '--expect-plan-digest',
      wrong,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `The plan digest is ${plan.digest}, but --expect-plan-digest is ${wrong}; nothing was written.`,
    );
    expect(await loggedWrites()).toBe(0);

    const run = await cxctl(root, [
      'apply',
      '--plan',
      'plan.json',
      '--auto-approve',
      '--expect-plan-digest',
      plan.digest,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(liveCode('AA')?.duration).toBe(120);
    expect(liveCode('BB')?.duration).toBe(120);
    expect(liveCode('CC')?.duration).toBe(300);
    expect(liveCode('ZZ')?.duration).toBe(60);
    expect(await loggedWrites()).toBe(3);
  });

  it('refuses a change edited by hand with its digest recomputed, naming it', async () => {
    const { root, plan } = await savedPlan();
    const tamper = (key: string) =>
      plan.changes.map((c) =>
        c.key === key && c.kind === 'wrapUpCode' && c.body
          ? { ...c, body: { ...c.body, name: 'TAMPERED', duration: 7000 } }
          : c,
      );
    saveEdited(root, plan, tamper('AA'));
    const run = await expectRefused(
      root,
      'error: The plan plan.json is not what planning gives now: the update of wrap-up code "AA" differs at /body/duration. Nothing was written.',
    );
    expect(run.stderr).toContain('run cxctl plan --out again');
    saveEdited(root, plan, tamper('CC'));
    await expectRefused(root, 'the create of wrap-up code "CC" differs at /body/duration');
    // Only the name: the next member that differs is named.
    saveEdited(
      root,
      plan,
      plan.changes.map((c) =>
        c.key === 'BB' && c.kind === 'wrapUpCode' && c.body
          ? { ...c, body: { ...c.body, name: 'X' } }
          : c,
      ),
    );
    await expectRefused(root, 'the update of wrap-up code "BB" differs at /body/name');
  });

  it('refuses a plan with a change taken out or put in', async () => {
    const { root, plan } = await savedPlan();
    saveEdited(
      root,
      plan,
      plan.changes.filter((c) => c.key !== 'BB'),
    );
    await expectRefused(
      root,
      'the update of wrap-up code "BB" is not in the plan, but planning now gives it',
    );
    const zz = h.sim.state().wrapUpCodes.find((c) => c.code === 'ZZ')!;
    const added: PlannedChange = {
      kind: 'wrapUpCode',
      key: 'ZZ',
      action: 'delete',
      deleteMode: 'delete',
      live: { id: zz.id, version: zz.version },
      fields: [],
    };
    saveEdited(root, plan, [...plan.changes, added]);
    await expectRefused(
      root,
      'the delete of wrap-up code "ZZ" is in the plan, but planning now gives no change for it',
    );
    // The same change twice.
    saveEdited(root, plan, [...plan.changes, plan.changes[2]!]);
    await expectRefused(
      root,
      'the create of wrap-up code "CC" is out of plan order or listed twice',
    );
  });

  it('re-derives what the digest leaves out: the prune setting and the counts', async () => {
    const { root, plan } = await savedPlan();
    // Prune is outside the digest; planning with it gives a delete the plan does not have.
    saveEdited(root, plan, plan.changes, { prune: 'delete' });
    await expectRefused(
      root,
      'the delete of wrap-up code "ZZ" is not in the plan, but planning now gives it',
    );

    // Counts are outside the digest too: the delete threshold uses the re-derived ones.
    h.reset({
      wrapUpCodes: Array.from({ length: 12 }, (_c, i) =>
        seedCode(`P${String(i).padStart(2, '0')}`),
      ),
    });
    const pruning = h.project({ 'manifests/codes.yaml': codesManifest([['P00'], ['P01']]) });
    expect(
      (
        await cxctl(pruning, [
          'plan',
          '--prune=delete',
          '--max-delete-percent',
          '100',
          '--out',
          'plan.json',
        ])
      ).code,
    ).toBe(0);
    const prunePlan = JSON.parse(readFileSync(join(pruning, 'plan.json'), 'utf8')) as Plan;
    const forged = { ...prunePlan.countsByKind.wrapUpCode, managed: 1000 };
    saveEdited(pruning, prunePlan, prunePlan.changes, {
      counts: { ...prunePlan.counts, managed: 1000 },
      countsByKind: { ...prunePlan.countsByKind, wrapUpCode: forged },
    });
    await expectRefused(
      pruning,
      'The plan would remove 10 of 12 wrap-up codes (83.3%), more than the 10% allowed; nothing was written.',
    );
  });

  it('refuses as a conflict when a touched object moved, or the file says it did', async () => {
    const { root, plan } = await savedPlan();
    saveEdited(
      root,
      plan,
      plan.changes.map((c) => (c.key === 'AA' ? { ...c, live: { ...c.live!, version: 5 } } : c)),
    );
    await expectRefused(
      root,
      'is stale: wrap-up code AA changed since the plan was made (version 5, now 1). Nothing was written.',
    );
    writeFileSync(join(root, 'plan.json'), JSON.stringify(plan));
    const state = h.sim.state();
    h.sim.setState({
      ...state,
      wrapUpCodes: state.wrapUpCodes.map((c) =>
        c.code === 'BB' ? { ...c, duration: 90, version: c.version + 1 } : c,
      ),
    });
    await expectRefused(
      root,
      'is stale: wrap-up code BB changed since the plan was made (version 1, now 2). Nothing was written.',
    );
  });

  it('refuses a plan the manifests and the live state can no longer give', async () => {
    const root = h.project({
      'manifests/codes.yaml': codesManifest([['BI', { category: 'Billing' }]]),
    });
    expect((await cxctl(root, ['plan', '--out', 'plan.json'])).code).toBe(0);
    const state = h.sim.state();
    h.sim.setState({
      ...state,
      categories: state.categories.filter((c: { name: string }) => c.name !== 'Billing'),
    });
    h.sim.clearRequests();
    const run = await cxctl(root, ['apply', '--plan', 'plan.json', '--auto-approve']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Billing');
    expect(await loggedWrites()).toBe(0);
    expect(liveCode('BI')).toBeUndefined();
  });
});

describe('cxctl apply --plan reads the plan file as hostile input', { timeout: 90_000 }, () => {
  it('names the file, line, column and JSON pointer of a malformed field', async () => {
    const { root, plan } = await savedPlan();
    const text = (value: unknown) => JSON.stringify(value, null, 2);
    const cases: [string, RegExp][] = [
      [
        text({
          ...plan,
          changes: plan.changes.map((c) =>
            c.key === 'AA' ? { ...c, live: { ...c.live, version: 'x' } } : c,
          ),
        }),
        /The plan file plan\.json is not a cxctl plan: plan\.json:\d+:\d+: \/changes\/0\/live\/version must be integer\./,
      ],
      [
        text({ ...plan, changes: [{ ...plan.changes[0], bodyx: {} }, ...plan.changes.slice(1)] }),
        /plan\.json:\d+:\d+: \/changes\/0\/bodyx is not a plan field\./,
      ],
      [text({ ...plan, prune: 'yes' }), /plan\.json:\d+:\d+: \/prune must be equal to one of/],
      // A control character would reach the terminal in messages that name the object.
      [
        text({ ...plan, changes: [{ ...plan.changes[0], key: 'AA\u001b[2J' }] }),
        /plan\.json:\d+:\d+: \/changes\/0\/key must match pattern/,
      ],
      ['{"formatVersion": 1,\n  x}', /plan\.json:2:3: not valid JSON/],
      [
        text({
          ...plan,
          changes: [
            { ...plan.changes[0], body: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown },
          ],
        }),
        /plan\.json:\d+:\d+: nested deeper than 32 levels\./,
      ],
      [`{"a": ${'['.repeat(100_000)}`, /plan\.json:1:\d+: nested deeper than 32 levels\./],
    ];
    for (const [content, message] of cases) {
      writeFileSync(join(root, 'plan.json'), content);
      await expectRefused(root, message);
    }
  });
});
