import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import { planDigest } from '../../src/plan/assemble.js';
import type { Plan } from '../../src/plan/types.js';
import { ApplyHarness, codesManifest, rulesYaml, seedCode } from './applyHarness.js';

let h: ApplyHarness;
beforeAll(async () => {
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.reset();
});

const CODES_ROUTE = 'POST /api/v2/contact-center/interaction-config/wrap-up-codes';

function liveCodes(): { code: string; category: string; isDefault: boolean; duration: number }[] {
  return h.sim.state().wrapUpCodes;
}

describe('cxctl apply: approval', () => {
  it('refuses in a non-terminal without --auto-approve and writes nothing', async () => {
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    const run = await h.run(['apply', ...h.targetArgs()], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: cxctl apply is not running in a terminal, so it cannot ask for confirmation; nothing was written.',
    );
    expect(run.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
    expect(h.writes()).toBe(0);
  });

  it("applies on a terminal only when the answer is 'yes'", async () => {
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    const no = await h.run(['apply', ...h.targetArgs()], { cwd: root, answer: 'y' });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("Do you want to apply these changes? Only 'yes' is accepted");
    expect(no.stderr).toContain('Apply cancelled; nothing was written.');
    expect(h.writes()).toBe(0);
    const yes = await h.run(['apply', ...h.targetArgs()], { cwd: root, answer: 'yes' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('Apply complete: 1 created, 0 updated, 0 deleted.');
    expect(liveCodes().map((c) => c.code)).toEqual(['AA']);
  });

  it('says so and writes nothing when there is nothing to do', async () => {
    h.reset({ wrapUpCodes: [seedCode('AA')] });
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    const run = await h.run(['apply', ...h.targetArgs()], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes. Nothing was applied.');
    expect(h.writes()).toBe(0);
  });

  it('prints manifest problems as diagnostics and writes nothing', async () => {
    const root = h.project({
      'manifests/codes.yaml': codesManifest([['AA', { category: 'Nowhere' }]]),
    });
    const run = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/manifests\/codes\.yaml:\d+:\d+: error: .*Nowhere/);
    expect(h.writes()).toBe(0);
  });
});

describe('cxctl apply: ordering and results', () => {
  it('moves isDefault between two codes of one category in one apply', async () => {
    h.reset({ wrapUpCodes: [seedCode('AA', { isDefault: true }), seedCode('BB')] });
    const root = h.project({
      'manifests/codes.yaml': codesManifest([['AA'], ['BB', { isDefault: true }]]),
    });
    const run = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(run.code).toBe(0);
    expect(liveCodes().map((c) => [c.code, c.isDefault])).toEqual([
      ['AA', false],
      ['BB', true],
    ]);
  });

  it('swaps defaults across categories in one apply', async () => {
    h.reset({
      wrapUpCodes: [
        seedCode('AA', { isDefault: true, category: 'Resolution' }),
        seedCode('BB', { isDefault: true, category: 'Sales' }),
      ],
    });
    const root = h.project({
      'manifests/codes.yaml': codesManifest([
        ['AA', { isDefault: true, category: 'Sales' }],
        ['BB', { isDefault: true, category: 'Resolution' }],
      ]),
    });
    const run = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(run.code).toBe(0);
    expect(liveCodes().map((c) => [c.code, c.category, c.isDefault])).toEqual([
      ['AA', 'Sales', true],
      ['BB', 'Resolution', true],
    ]);
    expect(
      h.sim.requests().counts['PUT /api/v2/contact-center/interaction-config/wrap-up-codes/{id}'],
    ).toBe(4);
  });

  it('batches creates by 100 and prints a line per change, counts before errors', async () => {
    const codes = Array.from({ length: 150 }, (_u, i): [string] => [
      `C${String(i).padStart(3, '0')}`,
    ]);
    const root = h.project({ 'manifests/codes.yaml': codesManifest(codes) });
    const run = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(run.code).toBe(0);
    expect(h.sim.requests().counts[CODES_ROUTE]).toBe(2);
    expect(run.stdout.match(/^created wrap-up code C\d{3} \(wuc-\d+\)$/gm)).toHaveLength(150);
    expect(run.stdout).toContain('Apply complete: 150 created, 0 updated, 0 deleted.');
    expect(run.stdout).toMatch(/Metrics: 2 operations \(2 succeeded, 0 failed\)/);
  });

  it('reports per-item batch failures per change and applies the rest (exit 1)', async () => {
    // The category disappears while the batch is on its way: it is accepted, two items are refused.
    h.reset();
    const root = h.project({
      'manifests/codes.yaml': codesManifest([
        ['AA'],
        ['BB', { category: 'Billing' }],
        ['CC'],
        ['DD', { category: 'Billing' }],
      ]),
    });
    h.sim.setFaults({
      rules: [
        { method: 'POST', path: 'wrap-up-codes$', action: 'delay', delayMs: 1_500, times: 1 },
      ],
    });
    const running = h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    const delayed = () => h.sim.simulator.faults.describe().rules[0]?.fired === 1;
    for (let wait = 0; wait < 200 && !delayed(); wait++) {
      await new Promise((done) => setTimeout(done, 25));
    }
    expect(delayed()).toBe(true);
    const state = h.sim.state();
    h.sim.setState({
      ...state,
      categories: state.categories.filter((c: { name: string }) => c.name !== 'Billing'),
    });
    const run = await running;
    expect(run.code).toBe(1);
    const summary = run.stdout.indexOf(
      'Apply failed: 2 created, 0 updated, 0 deleted; 2 failed, 0 skipped.',
    );
    const errors = run.stdout.indexOf('Errors (2):');
    expect(summary).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(summary);
    expect(run.stdout).toMatch(/- create wrap-up code BB failed: CATEGORY_NOT_FOUND: /);
    expect(run.stdout).toMatch(/- create wrap-up code DD failed: CATEGORY_NOT_FOUND: /);
    expect(liveCodes().map((c) => c.code)).toEqual(['AA', 'CC']);
  });

  it('creates, updates and deletes compliance rules with --prune', async () => {
    h.reset({
      complianceRules: [
        {
          campaignId: 'Spring Renewals',
          name: 'Old rule',
          type: 'TIME_RESTRICTION',
          jurisdiction: 'US-FCC',
          timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
          dncListIds: ['Internal DNC'],
          maxCallsPerDay: 1,
          concurrencyLimit: 5,
        },
      ],
    });
    const root = h.project({
      'manifests/rules.yaml': `version: 1\n${rulesYaml([{ name: 'New rule', maxCallsPerDay: 2 }])}`,
    });
    const run = await h.run(
      ['apply', '--prune', '--auto-approve', '--format', 'json', ...h.targetArgs()],
      {
        cwd: root,
      },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReport;
    expect(report.results.map((r) => [r.action, r.key, r.outcome])).toEqual([
      ['create', 'Spring Renewals/New rule', 'success'],
      ['delete', 'Spring Renewals/Old rule', 'success'],
    ]);
    expect(h.sim.state().complianceRules.map((r: { name: string }) => r.name)).toEqual([
      'New rule',
    ]);
  });
});

describe('cxctl apply: refusals that write nothing', () => {
  it('refuses a stale saved plan (an object changed by hand after planning)', async () => {
    h.reset({ wrapUpCodes: [seedCode('AA', { duration: 60 }), seedCode('BB', { duration: 60 })] });
    const root = h.project({
      'manifests/codes.yaml': codesManifest([
        ['AA', { duration: 120 }],
        ['BB', { duration: 120 }],
      ]),
    });
    expect(
      (await h.run(['plan', '--out', 'plan.json', ...h.targetArgs()], { cwd: root })).code,
    ).toBe(0);
    const state = h.sim.state();
    h.sim.setState({
      ...state,
      wrapUpCodes: state.wrapUpCodes.map((c) =>
        c.code === 'BB' ? { ...c, duration: 90, version: c.version + 1 } : c,
      ),
    });
    h.sim.clearRequests();
    const run = await h.run(['apply', '--plan', 'plan.json', '--auto-approve', ...h.targetArgs()], {
      cwd: root,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'is stale: wrap-up code BB changed since the plan was made (version 1, now 2). Nothing was written.',
    );
    expect(h.writes()).toBe(0);
  });

  it('refuses a wrong --expect-plan-digest, printing both digests', async () => {
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    const wrong = 'a'.repeat(64);
    const run = await h.run(
      ['apply', '--auto-approve', '--expect-plan-digest', wrong, ...h.targetArgs()],
      {
        cwd: root,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `The plan digest is [0-9a-f]{64}, but --expect-plan-digest is ${wrong}; nothing was written.`,
      ),
    );
    expect(h.writes()).toBe(0);
  });

  it('applies when --expect-plan-digest matches the reviewed plan', async () => {
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    const plan = await h.run(['plan', '--format', 'json', ...h.targetArgs()], { cwd: root });
    const digest = (JSON.parse(plan.stdout) as Plan).digest;
    const run = await h.run(
      ['apply', '--auto-approve', '--expect-plan-digest', digest, ...h.targetArgs()],
      {
        cwd: root,
      },
    );
    expect(run.code).toBe(0);
    expect(liveCodes()).toHaveLength(1);
  });

  it('refuses a saved plan when the manifests changed, or for another target', async () => {
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    expect(
      (await h.run(['plan', '--out', 'plan.json', ...h.targetArgs()], { cwd: root })).code,
    ).toBe(0);
    h.write(root, { 'manifests/codes.yaml': codesManifest([['AA', { duration: 5 }]]) });
    const changed = await h.run(
      ['apply', '--plan', 'plan.json', '--auto-approve', ...h.targetArgs()],
      { cwd: root },
    );
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('The manifests changed since the plan plan.json was made');
    const plan = JSON.parse(readFileSync(join(root, 'plan.json'), 'utf8')) as Plan;
    const elsewhere = { label: 'elsewhere' };
    writeFileSync(
      join(root, 'other.json'),
      JSON.stringify({ ...plan, target: elsewhere, digest: planDigest(elsewhere, plan.changes) }),
    );
    const other = await h.run(
      ['apply', '--plan', 'other.json', '--auto-approve', ...h.targetArgs()],
      { cwd: root },
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `error: The plan other.json was made for target elsewhere, not ${h.sim.url}; nothing was written.`,
    );
    // An edited plan no longer matches its digest.
    const edited = {
      ...plan,
      changes: plan.changes.map((c) => ({ ...c, body: { ...c.body, duration: 7 } })),
    };
    writeFileSync(join(root, 'edited.json'), JSON.stringify(edited));
    const tampered = await h.run(
      ['apply', '--plan', 'edited.json', '--auto-approve', ...h.targetArgs()],
      { cwd: root },
    );
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(
      'error: The plan file edited.json was changed after it was saved',
    );
    expect(h.writes()).toBe(0);
  });

  it('refuses a plan file that is not a plan', async () => {
    const root = h.project({
      'manifests/codes.yaml': codesManifest([['AA']]),
      'plan.json': '{"formatVersion": 1}',
    });
    const run = await h.run(['apply', '--plan', 'plan.json', '--auto-approve', ...h.targetArgs()], {
      cwd: root,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: The plan file plan.json is not a cxctl plan: plan.json:1:1: / must have required property',
    );
    expect(h.writes()).toBe(0);
  });

  it('refuses a mass prune over the delete threshold', async () => {
    const live = Array.from({ length: 20 }, (_u, i) => seedCode(`C${String(i).padStart(2, '0')}`));
    h.reset({ wrapUpCodes: live });
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['C00'], ['C01']]) });
    const run = await h.run(['apply', '--prune', '--auto-approve', ...h.targetArgs()], {
      cwd: root,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The plan would remove 18 of 20 wrap-up codes \(90\.0%\), more than the 10% allowed; nothing was written\./,
    );
    expect(h.writes()).toBe(0);
    const allowed = await h.run(
      ['apply', '--prune', '--max-delete-percent', '95', '--auto-approve', ...h.targetArgs()],
      { cwd: root },
    );
    expect(allowed.code).toBe(0);
    expect(
      liveCodes().filter((c) => (c as unknown as { isActive: boolean }).isActive),
    ).toHaveLength(2);
  });

  it('refuses to prune when an input failed to load', async () => {
    h.reset({ wrapUpCodes: [seedCode('AA'), seedCode('ZZ')] });
    const root = h.project({
      'manifests/codes.yaml': codesManifest([['AA']]),
      'manifests/broken.yaml': 'version: 1\nwrapUpCodes: [\n',
    });
    const run = await h.run(['apply', '--prune', '--auto-approve', ...h.targetArgs()], {
      cwd: root,
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('broken.yaml');
    expect(h.writes()).toBe(0);
  });

  it('refuses before any request when the audit log cannot be opened', async () => {
    const root = h.project({ 'manifests/codes.yaml': codesManifest([['AA']]) });
    const run = await h.run(
      ['apply', '--auto-approve', '--audit-log', 'no/such/dir/audit.jsonl', ...h.targetArgs()],
      { cwd: root },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot open the audit log');
    expect(h.sim.requests().total).toBe(0);
  });
});

describe('cxctl apply: records', () => {
  it('writes one audit record per write, metrics in JSON and a Prometheus file', async () => {
    h.reset({ wrapUpCodes: [seedCode('AA', { duration: 60 })] });
    const root = h.project({
      'manifests/codes.yaml': codesManifest([['AA', { duration: 61 }], ['BB'], ['CC']]),
    });
    const run = await h.run(
      [
        'apply',
        '--auto-approve',
        '--format',
        'json',
        '--audit-log',
        'audit.jsonl',
        '--metrics-file',
        'cxctl.prom',
        ...h.targetArgs(),
      ],
      { cwd: root },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReport;
    expect(report).toMatchObject({
      status: 'applied',
      counts: { created: 2, updated: 1, deleted: 0, failed: 0, skipped: 0 },
      metrics: {
        total: {
          operations: 2,
          successes: 2,
          failures: 0,
          validation: { objects: 3, violations: 0 },
        },
      },
    });
    expect(report.metrics.total.latency.p95Ms).toBeGreaterThan(0);
    const records = readFileSync(join(root, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r.record, r.kind, r.key, r.action, r.outcome, r.status])).toEqual(
      expect.arrayContaining([
        ['write', 'wrapUpCode', 'BB,CC', 'create', 'success', 200],
        ['write', 'wrapUpCode', 'AA', 'update', 'success', 200],
      ]),
    );
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({ planDigest: report.planDigest, attempts: 1 });
      expect(record.idempotencyKey).toMatch(/^cxctl-[0-9a-f]{48}$/);
      expect(record.requestBytes).toBeGreaterThan(0);
    }
    expect(existsSync(join(root, 'cxctl.prom'))).toBe(true);
    const prom = readFileSync(join(root, 'cxctl.prom'), 'utf8');
    expect(prom).toContain('cxctl_operations_total{command="apply",target=');
    expect(prom).toMatch(/cxctl_last_run_success\{[^}]*\} 1/);
  });
});
