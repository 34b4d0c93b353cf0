/**
 * Every `--format json` document names its version the same way: a top-level `formatVersion`
 * (docs/plan.md, "JSON output"). One run of each command that has a JSON format, successful and
 * stopped, against the real simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';
import { cxctl } from '../helpers/project.js';

const MANIFESTS = {
  'manifests/codes.yaml': `version: 1
wrapUpCodes:
  - { code: RES_001, name: Case Resolved, category: Resolution, duration: 300 }
crmMappings:
  - system: zendesk
    statuses:
      - { status: solved, description: Solved }
    rules:
      - { status: solved, code: ZD_SOLVED, category: Resolution, duration: 120 }
`,
  'manifests/rules.yaml': `complianceRules:
  - campaign: Spring Renewals
    name: US-FCC calling hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions:
      - { timeZone: America/New_York, startHour: 8, endHour: 20 }
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
complianceTests:
  - name: afternoon call is allowed
    rule: { campaign: Spring Renewals, name: US-FCC calling hours }
    call: { phone: "+12125550199", at: "2026-03-03T18:00:00Z", timeZone: America/New_York }
    expect: allowed
`,
};
/** A manifest that fails the schema: plan, drift and apply print their stop document. */
const BROKEN = {
  'broken/codes.yaml':
    'wrapUpCodes:\n  - { code: RES_001, name: Case Resolved, category: Resolution, duration: 0 }\n',
};

let project: SimProject;
beforeAll(async () => {
  project = await startSimProject({ ...MANIFESTS, ...BROKEN });
});
afterAll(async () => {
  await project.close();
});

/** The commands in the order they run (apply changes the tenant, so drift runs before it). */
const RUNS: { name: string; args: string[]; code: number; offline?: true }[] = [
  { name: 'validate', args: ['validate', 'manifests', '--format', 'json'], code: 0, offline: true },
  {
    name: 'validate (errors)',
    args: ['validate', 'broken', '--format', 'json'],
    code: 1,
    offline: true,
  },
  { name: 'plan', args: ['plan', 'manifests', '--format', 'json'], code: 0 },
  { name: 'plan (stopped)', args: ['plan', 'broken', '--format', 'json'], code: 1 },
  { name: 'drift', args: ['drift', 'manifests', '--format', 'json'], code: 2 },
  { name: 'drift (stopped)', args: ['drift', 'broken', '--format', 'json'], code: 1 },
  {
    name: 'apply',
    args: ['apply', 'manifests', '--format', 'json', '--auto-approve'],
    code: 0,
  },
  {
    name: 'apply (nothing to do)',
    args: ['apply', 'manifests', '--format', 'json', '--auto-approve'],
    code: 0,
  },
  {
    name: 'apply (stopped)',
    args: ['apply', 'broken', '--format', 'json', '--auto-approve'],
    code: 1,
  },
  { name: 'test', args: ['test', 'manifests', '--format', 'json'], code: 0, offline: true },
  {
    name: 'crm mappings',
    args: ['crm', 'mappings', 'manifests', '--format', 'json'],
    code: 0,
    offline: true,
  },
];

describe('--format json', () => {
  it('has a top-level formatVersion of 1 in every command', async () => {
    const seen: Record<string, unknown> = {};
    for (const run of RUNS) {
      const result = run.offline
        ? await cxctl(project.root, run.args)
        : await project.run(run.args);
      expect(result.code, `${run.name}: ${result.stderr}`).toBe(run.code);
      const document = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(Object.keys(document)[0], run.name).toBe('formatVersion');
      expect(document, run.name).not.toHaveProperty('version');
      seen[run.name] = document.formatVersion;
    }
    expect(seen).toEqual(Object.fromEntries(RUNS.map((run) => [run.name, 1])));
  });
});
