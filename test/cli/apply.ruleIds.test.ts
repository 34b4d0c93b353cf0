/**
 * Rule creates carry a UUIDv5 of campaign and name, so no run of `cxctl apply` can make a second
 * copy of a rule, whatever idempotency key it uses: through a lost answer, a re-run with a fresh
 * plan, or two runs racing from plans made before either wrote.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import { clientRuleId } from '../../src/cxone/ruleIds.js';
import { ApplyHarness, rulesYaml } from './applyHarness.js';

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

const RULES_ROUTE = 'POST /api/v2/campaigns/{campaignId}/rules';
const liveRules = () => h.sim.state().complianceRules;

describe('cxctl apply: one rule, whatever the idempotency keys', () => {
  it('a create whose answer was lost, then a re-run with a fresh plan and a forgetful server', async () => {
    const root = h.project({
      'manifests/rules.yaml': `version: 1\n${rulesYaml([{ name: 'US hours' }])}`,
    });
    h.sim.setFaults({
      rules: [{ method: 'POST', path: '/rules$', action: 'commit-then-drop', times: 1 }],
    });
    const first = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(first.code).toBe(0);
    // The server forgets every stored idempotent response (as after a restart without its state
    // file's extras): only the rule's own id can stop a second copy now.
    h.sim.setState(h.sim.state());
    h.sim.clearRequests();
    const again = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. Nothing was applied.');
    expect(h.sim.requests().counts[RULES_ROUTE]).toBeUndefined();
    expect(liveRules()).toHaveLength(1);
    expect(liveRules()[0]).toMatchObject({
      id: clientRuleId('cmp-1', 'US hours'),
      campaignId: 'cmp-1',
      name: 'US hours',
    });
  });

  it('two runs racing from plans made before either wrote: both succeed, one rule', async () => {
    const root = h.project({
      'manifests/rules.yaml': `version: 1\n${rulesYaml([{ name: 'US hours' }])}`,
    });
    // Hold each POST back, so that both runs have planned (rule absent) before either commits.
    h.sim.setFaults({
      rules: [{ method: 'POST', path: '/rules$', action: 'delay', delayMs: 400, times: 2 }],
    });
    const runs = await Promise.all(
      [0, 1].map(() =>
        h.run(['apply', '--auto-approve', '--format', 'json', ...h.targetArgs()], { cwd: root }),
      ),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as ApplyReport;
      expect(report.results.map((r) => r.outcome)).toEqual(
        report.results.length === 0 ? [] : ['success'],
      );
    }
    expect(h.sim.requests().counts[RULES_ROUTE]).toBeLessThanOrEqual(2);
    expect(liveRules().map((r) => r.id)).toEqual([clientRuleId('cmp-1', 'US hours')]);
    const plan = await h.run(['plan', ...h.targetArgs()], { cwd: root });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});
