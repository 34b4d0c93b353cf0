/**
 * A wrap-up code pruned by deactivation is retired, not drift: after `apply --prune` the nightly
 * `drift` is clean and `plan` shows nothing for it, while `--prune=delete` may still delete it and
 * an active code no manifest declares is still "not in manifests". End to end, against the
 * simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import type { Plan } from '../../src/plan/types.js';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';

const KEEP = { code: 'KEEP_1', name: 'Kept', category: 'Sales', duration: 60 };
const MANIFEST = {
  'manifests/codes.yaml': `version: 1\nwrapUpCodes:\n  - ${JSON.stringify(KEEP)}\n`,
};
const code = (name: string, fields: Record<string, unknown> = {}) => ({
  code: name,
  name,
  category: 'Sales',
  duration: 60,
  ...fields,
});

const projects: SimProject[] = [];
afterEach(async () => {
  for (const project of projects.splice(0)) await project.close();
});

describe('retired wrap-up codes', () => {
  it('apply --prune deactivates (and says so); then drift is clean and plan is empty', async () => {
    const project = await startSimProject(MANIFEST, {
      wrapUpCodes: [
        KEEP,
        code('OLD_A'),
        code('OLD_B', { isDefault: true }),
        code('LONG_GONE', { isActive: false }),
      ],
    });
    projects.push(project);

    const applied = await project.run(['apply', '--prune', '--auto-approve', '--no-color']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('- wrap-up code OLD_A (deactivate)');
    expect(applied.stdout).toContain(
      'Plan: 0 to create, 0 to update, 0 to delete, 2 to deactivate.',
    );
    expect(applied.stdout).toMatch(/^deactivated wrap-up code OLD_A\b/m);
    expect(applied.stdout).toContain(
      'Apply complete: 0 created, 0 updated, 0 deleted, 2 deactivated.',
    );
    expect(applied.stdout).not.toMatch(/^deleted /m);
    expect(applied.stdout).not.toContain('LONG_GONE');
    const live = new Map(project.sim.state().wrapUpCodes.map((c) => [c.code, c]));
    expect(live.get('OLD_A')).toMatchObject({ isActive: false, isDefault: false });
    expect(live.get('OLD_B')).toMatchObject({ isActive: false, isDefault: false });

    const drift = await project.run(['drift', '--no-color']);
    expect(drift.stdout).toContain('No drift');
    expect(drift.code).toBe(0);
    const driftJson = await project.run(['drift', '--format', 'json']);
    expect(JSON.parse(driftJson.stdout)).toMatchObject({ hasDrift: false, unmanaged: [] });

    const plan = await project.run(['plan', '--detailed-exitcode', '--no-color']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.stdout).not.toMatch(/OLD_A|OLD_B|LONG_GONE|Not in manifests/);
    const planJson = JSON.parse((await project.run(['plan', '--format', 'json'])).stdout) as Plan;
    expect(planJson.changes).toEqual([]);
    expect(planJson.unmanaged).toEqual([]);
    expect(planJson.countsByKind.wrapUpCode).toMatchObject({ retired: 3, unmanaged: 0 });
    // Pruning again has nothing left to do.
    const again = await project.run(['plan', '--prune', '--detailed-exitcode', '--no-color']);
    expect(again.code).toBe(0);

    // An active code nobody declares is still not in the manifests; retired ones stay out.
    project.sim.setState({
      ...project.sim.state(),
      wrapUpCodes: [
        ...project.sim.state().wrapUpCodes,
        { ...code('BY_HAND'), id: 'h1', version: 1 },
      ],
    });
    const drifted = await project.run(['drift', '--format', 'json']);
    expect(drifted.code).toBe(2);
    const report = JSON.parse(drifted.stdout) as { unmanaged: { key: string }[] };
    expect(report.unmanaged.map((u) => u.key)).toEqual(['BY_HAND']);

    // --prune=delete still deletes retired codes.
    const hard = JSON.parse(
      (
        await project.run([
          'plan',
          '--prune=delete',
          '--format',
          'json',
          '--max-delete-percent',
          '100',
        ])
      ).stdout,
    ) as Plan;
    expect(hard.changes.map((c) => [c.key, c.action, c.deleteMode])).toEqual([
      ['BY_HAND', 'delete', 'delete'],
      ['LONG_GONE', 'delete', 'delete'],
      ['OLD_A', 'delete', 'delete'],
      ['OLD_B', 'delete', 'delete'],
    ]);
  });

  it('reports deactivations apart from deletes in the JSON report', async () => {
    const project = await startSimProject(MANIFEST, { wrapUpCodes: [KEEP, code('OLD_A')] });
    projects.push(project);
    const applied = await project.run(['apply', '--prune', '--auto-approve', '--format', 'json']);
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as ApplyReport;
    expect(report.counts).toMatchObject({ deleted: 0, deactivated: 1 });
    expect(report.results.map((r) => [r.key, r.action, r.outcome])).toEqual([
      ['OLD_A', 'deactivate', 'success'],
    ]);
  });
});
