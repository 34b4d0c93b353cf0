import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { Plan } from '../../src/plan/types.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { captureIO } from '../helpers/capture.js';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';

const projects: SimProject[] = [];
async function project(
  files: Record<string, string>,
  seed?: Parameters<typeof startSimProject>[1],
): Promise<SimProject> {
  const started = await startSimProject(files, seed);
  projects.push(started);
  return started;
}
afterEach(async () => {
  // Plan is read-only: no test in this file may have sent a write.
  for (const started of projects.splice(0)) {
    expect(started.writes()).toEqual([]);
    await started.close();
  }
});

const CODES = `version: 1
wrapUpCodes:
  - code: RES_001
    name: Case Resolved
    category: Resolution
    duration: 300
    isDefault: true
  - code: SAL_001
    name: Sale
    category: Sales
    duration: 600
`;
const LIVE_RES_001 = {
  code: 'RES_001',
  name: 'Case Resolved',
  category: 'Resolution',
  duration: 120,
  isDefault: true,
};

function planSchemaValidator() {
  const schema = JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', 'plan.schema.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('cxctl plan', () => {
  it('plans the shipped examples as creates only against the default seed', async () => {
    const started = await project({});
    const examples = join(packageRoot(), 'examples', 'manifests');
    const result = await started.run(['plan', examples, '--detailed-exitcode', '--no-color']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const summary = /Plan: (\d+) to create, 0 to update, 0 to delete\./.exec(result.stdout);
    expect(Number(summary?.[1])).toBeGreaterThan(30);
    expect(result.stdout).not.toContain('Not in manifests');
    expect(result.stdout).toMatch(/Plan digest: [0-9a-f]{64}\n$/);
  });

  it('plans against the embedded simulator with no setup', async () => {
    const started = await project({ 'manifests/codes.yaml': CODES });
    const io = captureIO({ cwd: started.root });
    expect(await runCli(['plan', '--target', 'embedded', '--no-color'], io)).toBe(0);
    expect(io.stdout.text).toContain('cxctl will make these changes on embedded:');
    expect(io.stdout.text).toContain('Plan: 2 to create, 0 to update, 0 to delete.');
    expect(existsSync(join(started.root, '.cxctl', 'simulator-state.json'))).toBe(true);
  });

  it('shows creates and field-level updates in text, and exits by --detailed-exitcode', async () => {
    const started = await project(
      { 'manifests/codes.yaml': CODES },
      { wrapUpCodes: [LIVE_RES_001] },
    );
    const plain = await started.run(['plan', '--no-color']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('+ wrap-up code SAL_001  (manifests/codes.yaml:8)');
    expect(plain.stdout).toContain('+ duration = 600');
    expect(plain.stdout).toContain('~ wrap-up code RES_001  (manifests/codes.yaml:3)');
    expect(plain.stdout).toContain('~ duration: 120 -> 300');
    expect(plain.stdout).toContain('Plan: 1 to create, 1 to update, 0 to delete.');
    expect((await started.run(['plan', '--detailed-exitcode'])).code).toBe(2);
  });

  it('exits 0 when there is nothing to do, with or without --detailed-exitcode', async () => {
    const started = await project(
      { 'manifests/codes.yaml': CODES },
      {
        wrapUpCodes: [
          { ...LIVE_RES_001, duration: 300 },
          { code: 'SAL_001', name: 'Sale', category: 'Sales', duration: 600 },
        ],
      },
    );
    for (const args of [['plan'], ['plan', '--detailed-exitcode']]) {
      const result = await started.run([...args, '--no-color']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('No changes. Live configuration matches the manifests.');
    }
  });

  it('prints JSON that the plan schema describes, and saves the same plan with --out', async () => {
    const started = await project(
      { 'manifests/codes.yaml': CODES },
      { wrapUpCodes: [LIVE_RES_001] },
    );
    const result = await started.run(['plan', '--format', 'json', '--out', 'plan.json']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Plan;
    const validate = planSchemaValidator();
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    expect(plan.target.label).toBe(started.sim.url);
    expect(plan.changes.map((c) => [c.action, c.key])).toEqual([
      ['update', 'RES_001'],
      ['create', 'SAL_001'],
    ]);
    const saved = JSON.parse(readFileSync(join(started.root, 'plan.json'), 'utf8')) as Plan;
    expect(saved.digest).toBe(plan.digest);
    expect(saved.changes).toEqual(plan.changes);
    expect(saved.manifestDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says where --out saved the plan and how to apply it, on stderr beside json and markdown', async () => {
    const started = await project({ 'manifests/codes.yaml': CODES });
    const note = `Saved the plan to plan.json. Apply exactly these changes with: cxctl apply --plan plan.json --target ${started.sim.url}\n`;
    const text = await started.run(['plan', '--no-color', '--out', 'plan.json']);
    expect(text.code).toBe(0);
    expect(text.stdout.endsWith(note)).toBe(true);
    expect(text.stderr).toBe('');
    for (const format of ['json', 'markdown']) {
      const result = await started.run(['plan', '--format', format, '--out', 'plan.json']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(note);
      expect(result.stdout).not.toContain('Saved the plan');
    }
    expect(JSON.parse(readFileSync(join(started.root, 'plan.json'), 'utf8'))).toHaveProperty(
      'formatVersion',
      1,
    );
    const spaced = await started.run(['plan', '--format', 'json', '--out', "it's a plan.json"]);
    expect(spaced.stderr).toBe(
      `Saved the plan to 'it'\\''s a plan.json'. Apply exactly these changes with: cxctl apply --plan 'it'\\''s a plan.json' --target ${started.sim.url}\n`,
    );
    expect(existsSync(join(started.root, "it's a plan.json"))).toBe(true);
  });

  it('renders markdown for a pull-request comment, with the digest line CI parses', async () => {
    const started = await project({ 'manifests/codes.yaml': CODES });
    const result = await started.run(['plan', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`### cxctl plan for \`${started.sim.url}\``)).toBe(true);
    expect(result.stdout).toContain('| Wrap-up codes | 2 | 0 | 0 | 0 | 0 | 0 |');
    expect(result.stdout).toMatch(/Plan digest: `([0-9a-f]{64})`/);
  });

  it('reports manifest problems before any request, in the chosen format', async () => {
    const broken = CODES.replace('duration: 600', 'duration: 0');
    const started = await project({ 'manifests/codes.yaml': broken });
    started.sim.clearRequests();
    const text = await started.run(['plan', '--no-color', '--out', 'plan.json']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'manifests/codes.yaml:11:15: error: duration must be between 1 and 7200',
    );
    const json = await started.run(['plan', '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      diagnostics: [{ file: 'manifests/codes.yaml', line: 11, severity: 'error' }],
    });
    const markdown = await started.run(['plan', '--format', 'markdown']);
    expect(markdown.stdout).toContain('- **error** `manifests/codes.yaml:11:15`');
    expect(started.sim.requests().total).toBe(0);
    expect(existsSync(join(started.root, 'plan.json'))).toBe(false);
  });

  it('shows manifest problems even when no target is configured', async () => {
    const started = await project({ 'manifests/codes.yaml': 'wrapUpCodes: [{code: x}]\n' });
    const io = captureIO({ cwd: started.root });
    expect(await runCli(['plan', '--no-color'], io)).toBe(1);
    expect(io.stdout.text).toContain('manifests/codes.yaml:1:');
    expect(io.stderr.text).toBe('');
    const valid = await project({ 'manifests/codes.yaml': CODES });
    const noTarget = captureIO({ cwd: valid.root });
    expect(await runCli(['plan'], noTarget)).toBe(1);
    expect(noTarget.stderr.text).toContain('error: no CXone target');
  });

  it('names unknown campaigns, DNC lists and categories at file:line with "did you mean"', async () => {
    const started = await project({
      'manifests/rules.yaml': `version: 1
wrapUpCodes:
  - { code: RES_001, name: Resolved, category: Resolutions, duration: 60 }
complianceRules:
  - campaign: Sprng Renewals
    name: US hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: [{ timeZone: America/New_York, startHour: 8, endHour: 20 }]
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
  - campaign: Winback 2026
    name: UK hours
    type: TIME_RESTRICTION
    jurisdiction: UK-OFCOM
    timeZoneRestrictions: [{ timeZone: Europe/London, startHour: 9, endHour: 20 }]
    dncLists: [Internal DNC, Nationl DNC Registry]
    maxCallsPerDay: 1
    concurrencyLimit: 5
`,
    });
    const result = await started.run(['plan', '--no-color', '--out', 'plan.json']);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      'manifests/rules.yaml:3:48: error: wrap-up code RES_001 is in category "Resolutions", which does not exist in the tenant [reference.categoryUnknown]',
    );
    expect(lines).toContain('  hint: did you mean "Resolution"?');
    expect(result.stdout).toContain(
      'manifests/rules.yaml:5:15: error: compliance rule "US hours" names campaign "Sprng Renewals", which does not exist in the tenant',
    );
    expect(result.stdout).toContain('hint: did you mean "Spring Renewals"?');
    expect(result.stdout).toMatch(
      /manifests\/rules\.yaml:18:\d+: error: compliance rule "UK hours" names DNC list "Nationl DNC Registry"/,
    );
    expect(result.stdout).toContain('hint: did you mean "National DNC Registry"?');
    expect(existsSync(join(started.root, 'plan.json'))).toBe(false);
  });

  it('narrows ownership with scope: codes outside it are left alone and never listed', async () => {
    const started = await project(
      {
        'manifests/codes.yaml': `version: 1
scope:
  wrapUpCodes: { codePrefix: SF_ }
wrapUpCodes:
  - { code: SF_WON, name: Won, category: Sales, duration: 60 }
`,
      },
      {
        wrapUpCodes: [
          { code: 'HAND_MADE', name: 'Other team', category: 'Sales', duration: 5 },
          { code: 'SF_OLD', name: 'Old', category: 'Sales', duration: 5 },
        ],
      },
    );
    const result = await started.run(['plan', '--format', 'json', '--prune']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Plan;
    expect(plan.changes.map((c) => [c.action, c.key, c.deleteMode ?? ''])).toEqual([
      ['delete', 'SF_OLD', 'deactivate'],
      ['create', 'SF_WON', ''],
    ]);
    expect(plan.unmanaged).toEqual([]);
    expect(plan.countsByKind.wrapUpCode.managed).toBe(1);
  });

  it('refuses a prune over the delete threshold, still showing the plan, and allows it when raised', async () => {
    const live = Array.from({ length: 20 }, (_u, i) => ({
      code: `OLD_${String(i).padStart(2, '0')}`,
      name: 'Old',
      category: 'Sales',
      duration: 60,
    }));
    const declared = live
      .slice(0, 17)
      .map((c) => `  - { code: ${c.code}, name: Old, category: Sales, duration: 60 }\n`)
      .join('');
    const started = await project(
      { 'manifests/codes.yaml': `version: 1\nwrapUpCodes:\n${declared}` },
      { wrapUpCodes: live },
    );
    const refused = await started.run(['plan', '--prune', '--no-color', '--out', 'plan.json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('- wrap-up code OLD_19 (deactivate)');
    expect(refused.stdout).toContain(
      'Plan: 0 to create, 0 to update, 0 to delete, 3 to deactivate.',
    );
    expect(refused.stderr).toContain(
      'error: refusing this plan: it would remove 3 of 20 wrap-up codes (15%), over the 10% limit for pruning',
    );
    expect(refused.stderr).toContain('--max-delete-percent 15');
    expect(existsSync(join(started.root, 'plan.json'))).toBe(false);
    // Without --prune nothing is removed: the extras are only listed.
    const listed = await started.run(['plan', '--no-color']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Not in manifests (3, left as they are; --prune removes them)');
    const allowed = await started.run([
      'plan',
      '--prune=delete',
      '--max-delete-percent',
      '15',
      '--detailed-exitcode',
      '--out',
      'plan.json',
    ]);
    expect(allowed.code).toBe(2);
    const saved = JSON.parse(readFileSync(join(started.root, 'plan.json'), 'utf8')) as Plan;
    expect(saved.prune).toBe('delete');
    expect(saved.changes.every((c) => c.action === 'delete' && c.deleteMode === 'delete')).toBe(
      true,
    );
  });

  it('explains a --prune value it does not know', async () => {
    const started = await project({ 'manifests/codes.yaml': CODES });
    const result = await started.run(['plan', '--prune', 'manifests']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--prune takes no value (deactivate wrap-up codes) or =delete');
  });
});
