import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';

const projects: SimProject[] = [];
afterEach(async () => {
  for (const started of projects.splice(0)) {
    expect(started.writes()).toEqual([]);
    await started.close();
  }
});

const rule = (campaignId: string, name: string, extra: Record<string, unknown> = {}) => ({
  campaignId,
  name,
  type: 'TIME_RESTRICTION' as const,
  jurisdiction: 'US-FCC',
  timeZoneRestrictions: [
    { timeZone: 'America/New_York', startHour: 8, endHour: 21 },
    { timeZone: 'America/Chicago', startHour: 8, endHour: 21 },
  ],
  dncListIds: ['dnc-2', 'dnc-1'],
  maxCallsPerDay: 3,
  concurrencyLimit: 5,
  ...extra,
});

async function tenant(): Promise<SimProject> {
  const started = await startSimProject(
    {},
    {
      wrapUpCodes: [
        {
          code: 'RES_001',
          name: 'Case Resolved',
          category: 'Resolution',
          duration: 300,
          isDefault: true,
          description: 'Customer confirmed: fixed',
        },
        { code: 'RES_099', name: 'Legacy', category: 'Resolution', duration: 120, isActive: false },
        { code: 'SAL_001', name: 'Sale', category: 'Sales', duration: 600 },
      ],
      complianceRules: [
        rule('cmp-1', 'US-FCC calling hours'),
        rule('cmp-1', 'Florida FTSA', {
          geographicExclusions: [{ latitude: 27.9506, longitude: -82.4572, radiusKm: 80 }],
        }),
        rule('cmp-2', 'UK hours', {
          timeZoneRestrictions: [{ timeZone: 'Europe/London', startHour: 9, endHour: 20 }],
          dncListIds: ['dnc-1'],
        }),
      ],
    },
  );
  projects.push(started);
  return started;
}

function tree(root: string, directory = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(root, directory), { withFileTypes: true })) {
    const path = directory ? `${directory}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(files, tree(root, path));
    else files[path] = readFileSync(join(root, path), 'utf8');
  }
  return files;
}

describe('cxctl export', () => {
  it('writes manifests that plan to nothing against the same tenant', async () => {
    const started = await tenant();
    const result = await started.run(['export', '--out', 'adopted']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Exported 3 wrap-up code(s) and 3 compliance rule(s) in 2 campaign(s)',
    );
    expect(Object.keys(tree(join(started.root, 'adopted')))).toEqual([
      'compliance-rules/spring-renewals.yaml',
      'compliance-rules/winback-2026.yaml',
      'wrap-up-codes.yaml',
    ]);
    const plan = await started.run(['plan', 'adopted', '--detailed-exitcode', '--no-color']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.stdout).not.toContain('Not in manifests');
    const drift = await started.run(['drift', 'adopted']);
    expect(drift.code).toBe(0);
  });

  it('writes the same bytes twice', async () => {
    const started = await tenant();
    expect((await started.run(['export', '--out', 'one'])).code).toBe(0);
    expect((await started.run(['export', '--out', 'two'])).code).toBe(0);
    expect(tree(join(started.root, 'two'))).toEqual(tree(join(started.root, 'one')));
  });

  it('refuses a directory that is not empty unless --force, which keeps other files', async () => {
    const started = await tenant();
    started.write({ 'out/notes.md': 'mine', 'out/extra.yaml': 'version: 1\n' });
    const refused = await started.run(['export', '--out', 'out']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: out is not empty');
    expect(refused.stderr).toContain('--force');
    writeFileSync(join(started.root, 'out', 'wrap-up-codes.yaml'), 'stale');
    const forced = await started.run(['export', '--out', 'out', '--force']);
    expect(forced.code).toBe(0);
    const files = tree(join(started.root, 'out'));
    expect(files['notes.md']).toBe('mine');
    expect(files['wrap-up-codes.yaml']).toContain('code: RES_001');
    expect(forced.stderr).toContain('1 other YAML file(s) in out were left as they are');
    expect(forced.stderr).toContain('extra.yaml');
  });
});
