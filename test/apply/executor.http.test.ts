import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { checkPlanAgainstLive } from '../../src/apply/staleness.js';
import { clientRuleId } from '../../src/cxone/ruleIds.js';
import { DEFAULT_SEED } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../cxone/harness.js';
import { code, planAgainst, rule, writeCount } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [], complianceRules: [] });
  h.sim.clearFaults();
  h.sim.clearRequests();
});

function liveCodes(): { code: string; category: string; isDefault: boolean; isActive: boolean }[] {
  return h.sim.state().wrapUpCodes;
}

describe('executor against the simulator', () => {
  it('on stop, starts no new write, lets the one in flight finish and skips the rest', async () => {
    h.sim.setState({
      ...DEFAULT_SEED,
      wrapUpCodes: Array.from({ length: 6 }, (_u, i) => code(`S${i}`, { duration: 60 })),
    });
    const plan = await planAgainst(h.client, {
      codes: Array.from({ length: 6 }, (_u, i) => code(`S${i}`, { duration: 61 })),
    });
    h.sim.clearRequests();
    const stop = new AbortController();
    const report = await executePlan({
      client: h.client,
      plan,
      maxInFlight: 1,
      stop: stop.signal,
      // The first write to finish stops the run: the five others are queued, none is sent.
      onWrite: (record) => {
        if (record.outcome === 'success') stop.abort();
      },
    });
    expect(report.interrupted).toBe(true);
    expect(report.stoppedBy).toBe('interrupted');
    expect(report.results.map((r) => r.outcome)).toEqual([
      'success',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(report.results[1]!.error).toEqual({
      code: 'INTERRUPTED',
      message: 'update wrap-up code S1 skipped: not started: interrupted',
    });
    expect(writeCount(h.sim.requests().counts)).toBe(1);
    expect(h.sim.state().wrapUpCodes.filter((c) => c.duration === 61)).toHaveLength(1);
  });

  it('creates 250 codes in three batches and converges', async () => {
    const desired = Array.from({ length: 250 }, (_u, i) => code(`C${String(i).padStart(3, '0')}`));
    const plan = await planAgainst(h.client, { codes: desired });
    h.sim.clearRequests();
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.every((r) => r.outcome === 'success')).toBe(true);
    expect(
      h.sim.requests().counts['POST /api/v2/contact-center/interaction-config/wrap-up-codes'],
    ).toBe(3);
    expect(report.writes.map((w) => w.key.split(',').length).sort((a, b) => a - b)).toEqual([
      50, 100, 100,
    ]);
    expect(liveCodes()).toHaveLength(250);
    const again = await planAgainst(h.client, { codes: desired });
    expect(again.changes).toEqual([]);
  });

  it('moves the default between two codes of one category', async () => {
    h.sim.setState({
      ...DEFAULT_SEED,
      wrapUpCodes: [code('WA', { isDefault: true }), code('WB')],
    });
    const plan = await planAgainst(h.client, {
      codes: [code('WA'), code('WB', { isDefault: true })],
    });
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.map((r) => [r.key, r.outcome])).toEqual([
      ['WA', 'success'],
      ['WB', 'success'],
    ]);
    expect(liveCodes().map((c) => [c.code, c.isDefault])).toEqual([
      ['WA', false],
      ['WB', true],
    ]);
  });

  it('swaps defaults across categories in two writes each, the second against the new version', async () => {
    h.sim.setState({
      ...DEFAULT_SEED,
      wrapUpCodes: [
        code('WA', { isDefault: true, category: 'Resolution' }),
        code('WB', { isDefault: true, category: 'Sales' }),
      ],
    });
    const plan = await planAgainst(h.client, {
      codes: [
        code('WA', { isDefault: true, category: 'Sales' }),
        code('WB', { isDefault: true, category: 'Resolution' }),
      ],
    });
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.every((r) => r.outcome === 'success')).toBe(true);
    expect(report.writes.map((w) => `${w.key}:${w.step}`).sort()).toEqual([
      'WA:claim',
      'WA:release',
      'WB:claim',
      'WB:release',
    ]);
    expect(liveCodes().map((c) => [c.code, c.category, c.isDefault])).toEqual([
      ['WA', 'Sales', true],
      ['WB', 'Resolution', true],
    ]);
  });

  it('reports a 412 as a conflict naming the object and never overwrites', async () => {
    h.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [code('WA', { duration: 60 })] });
    const plan = await planAgainst(h.client, { codes: [code('WA', { duration: 120 })] });
    const [live] = await h.client.wrapUpCodes.list();
    await h.client.wrapUpCodes.update(
      live!.id,
      { ...live!, duration: 90 },
      { version: live!.version },
    );
    const report = await executePlan({ client: h.client, plan });
    expect(report.results[0]).toMatchObject({
      outcome: 'conflict',
      error: { code: 'VERSION_MISMATCH' },
    });
    expect(report.results[0]!.error!.message).toMatch(
      /^update wrap-up code WA failed: it changed since it was read \(version 1, now 2\)/,
    );
    expect(liveCodes()[0]).toMatchObject({ duration: 90 });
  });

  it('reports per-item failures of a batch and creates the rest', async () => {
    const plan = await planAgainst(h.client, {
      codes: [code('WA'), code('WB', { category: 'No Such Category' }), code('WC')],
    });
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.map((r) => [r.key, r.outcome])).toEqual([
      ['WA', 'success'],
      ['WB', 'failed'],
      ['WC', 'success'],
    ]);
    expect(report.results[1]!.error!.message).toMatch(
      /^create wrap-up code WB failed: CATEGORY_NOT_FOUND/,
    );
    expect(report.writes).toHaveLength(1);
    expect(report.writes[0]).toMatchObject({ outcome: 'failed', key: 'WA,WB,WC' });
    expect(liveCodes().map((c) => c.code)).toEqual(['WA', 'WC']);
  });

  it('settles a batch whose connection dropped after the commit by replay, without duplicates', async () => {
    h.sim.setFaults({
      rules: [{ method: 'POST', path: 'wrap-up-codes$', action: 'commit-then-drop', times: 1 }],
    });
    const plan = await planAgainst(h.client, { codes: [code('WA'), code('WB')] });
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.map((r) => [r.outcome, r.via])).toEqual([
      ['success', 'replayed'],
      ['success', 'replayed'],
    ]);
    expect(report.writes[0]).toMatchObject({ attempts: 2, status: 200 });
    expect(liveCodes().map((c) => c.code)).toEqual(['WA', 'WB']);
  });

  it('re-reads and reconciles a create that exists already as planned', async () => {
    const plan = await planAgainst(h.client, { codes: [code('WA'), code('WB')] });
    // Someone (or an earlier run under another key) created A exactly as planned.
    await h.client.wrapUpCodes.createBatch([code('WA')]);
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.map((r) => [r.key, r.outcome, r.via])).toEqual([
      ['WA', 'success', 'reconciled'],
      ['WB', 'success', 'written'],
    ]);
    expect(liveCodes()).toHaveLength(2);
  });

  it('skips a new default whose category is still held after the release failed', async () => {
    h.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [code('WA', { isDefault: true }), code('WB')] });
    const plan = await planAgainst(h.client, {
      codes: [
        code('WA'),
        code('WB', { isDefault: true }),
        code('WC', { category: 'Sales', duration: 5 }),
      ],
    });
    h.sim.setFaults({ rules: [{ method: 'PUT', status: 422, times: 1 }] });
    const report = await executePlan({ client: h.client, plan });
    expect(report.results.map((r) => [r.key, r.outcome])).toEqual([
      ['WA', 'failed'],
      ['WB', 'skipped'],
      ['WC', 'success'],
    ]);
    expect(report.results[1]!.error!.message).toMatch(
      /^update wrap-up code WB skipped: the default of category "Resolution" is still held by wrap-up code WA/,
    );
  });

  it('creates, updates and deletes compliance rules; deletes wait for the campaign', async () => {
    h.sim.setState({
      ...DEFAULT_SEED,
      complianceRules: [
        { campaignId: 'cmp-1', ...rule('cmp-1', 'Old name').fields },
        { campaignId: 'cmp-1', ...rule('cmp-1', 'Keep').fields },
      ],
    });
    const plan = await planAgainst(
      h.client,
      { rules: [rule('cmp-1', 'New name'), rule('cmp-1', 'Keep', { maxCallsPerDay: 3 })] },
      { prune: 'delete' },
    );
    expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'update cmp-1/Keep',
      'create cmp-1/New name',
      'delete cmp-1/Old name',
    ]);
    // The create fails: the delete must not run (the campaign would lose a rule).
    h.sim.setFaults({ rules: [{ method: 'POST', status: 422, times: 1 }] });
    const failed = await executePlan({ client: h.client, plan });
    expect(failed.results.map((r) => r.outcome)).toEqual(['success', 'failed', 'skipped']);
    expect(
      h.sim
        .state()
        .complianceRules.map((r: { name: string }) => r.name)
        .sort(),
    ).toEqual(['Keep', 'Old name']);
    // Re-plan and re-run: converges.
    const again = await planAgainst(
      h.client,
      { rules: [rule('cmp-1', 'New name'), rule('cmp-1', 'Keep', { maxCallsPerDay: 3 })] },
      { prune: 'delete' },
    );
    const report = await executePlan({ client: h.client, plan: again });
    expect(report.results.every((r) => r.outcome === 'success')).toBe(true);
    expect(report.results.find((r) => r.action === 'delete')).toMatchObject({
      parentId: 'cmp-1',
      jurisdiction: 'US-FCC',
      name: 'Old name',
    });
    expect(
      h.sim
        .state()
        .complianceRules.map((r: { name: string }) => r.name)
        .sort(),
    ).toEqual(['Keep', 'New name']);
  });

  it('finds a saved plan already applied, and resumes a half-done default move', async () => {
    h.sim.setState({
      ...DEFAULT_SEED,
      wrapUpCodes: [
        code('WA', { isDefault: true, category: 'Resolution' }),
        code('WB', { isDefault: true, category: 'Sales' }),
        code('WC', { duration: 5 }),
      ],
    });
    const plan = await planAgainst(h.client, {
      codes: [
        code('WA', { isDefault: true, category: 'Sales' }),
        code('WB', { isDefault: true, category: 'Resolution' }),
        code('WC', { duration: 6 }),
      ],
    });
    // Simulate a run killed after both releases and C's update.
    h.sim.setFaults({ rules: [{ method: 'PUT', path: '', status: 503, probability: 0 }] });
    const codes = await h.client.wrapUpCodes.list();
    const byCode = new Map(codes.map((c) => [c.code, c]));
    await h.client.wrapUpCodes.update(
      byCode.get('WA')!.id,
      { ...byCode.get('WA')!, category: 'Sales', isDefault: false },
      { version: 1 },
    );
    await h.client.wrapUpCodes.update(
      byCode.get('WB')!.id,
      { ...byCode.get('WB')!, category: 'Resolution', isDefault: false },
      { version: 1 },
    );
    await h.client.wrapUpCodes.update(
      byCode.get('WC')!.id,
      { ...byCode.get('WC')!, duration: 6 },
      { version: 1 },
    );
    const check = await checkPlanAgainstLive(h.client, plan);
    expect(check.stale).toEqual([]);
    expect([...check.resume.values()].map((p) => p.state).sort()).toEqual([
      'claim',
      'claim',
      'done',
    ]);
    h.sim.clearRequests();
    const report = await executePlan({ client: h.client, plan, resume: check.resume });
    expect(report.results.map((r) => [r.key, r.outcome, r.via])).toEqual([
      ['WA', 'success', 'written'],
      ['WB', 'success', 'written'],
      ['WC', 'success', 'already-applied'],
    ]);
    expect(writeCount(h.sim.requests().counts)).toBe(2);
    expect(liveCodes().map((c) => [c.code, c.category, c.isDefault])).toEqual([
      ['WA', 'Sales', true],
      ['WB', 'Resolution', true],
      ['WC', 'Resolution', false],
    ]);
  });

  it('calls a saved plan stale when an object changed by hand', async () => {
    h.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [code('WA', { duration: 60 })] });
    const plan = await planAgainst(h.client, { codes: [code('WA', { duration: 120 })] });
    const [live] = await h.client.wrapUpCodes.list();
    await h.client.wrapUpCodes.update(live!.id, { ...live!, duration: 90 }, { version: 1 });
    const check = await checkPlanAgainstLive(h.client, plan);
    expect(check.stale).toEqual([
      {
        kind: 'wrapUpCode',
        key: 'WA',
        reason: 'wrap-up code WA changed since the plan was made (version 1, now 2)',
      },
    ]);
  });
});

describe('executor: the same plan applied twice at once', () => {
  it('shares idempotency keys: the second waits for the first (409 in flight) and replays it', async () => {
    h.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [code('WA', { duration: 60 })] });
    const plan = await planAgainst(h.client, {
      codes: [code('WA', { duration: 61 }), code('WB')],
    });
    h.sim.configure({ latencyMs: 150 });
    try {
      const other = h.newClient();
      const [one, two] = await Promise.all([
        executePlan({ client: h.client, plan }),
        executePlan({ client: other, plan }),
      ]);
      const vias = [...one.results, ...two.results].map((r) => [r.key, r.outcome, r.via]);
      expect(vias.filter(([, outcome]) => outcome !== 'success')).toEqual([]);
      expect(vias.filter(([, , via]) => via === 'replayed').length).toBeGreaterThanOrEqual(2);
      expect(liveCodes().map((c) => c.code)).toEqual(['WA', 'WB']);
      expect(h.sim.state().wrapUpCodes[0]).toMatchObject({ duration: 61, version: 2 });
    } finally {
      h.sim.configure({ latencyMs: 0 });
    }
  });
});

describe('executor: a refusal stored under the plan key', () => {
  it('says when the server replayed an earlier run’s refusal', async () => {
    h.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [] });
    const plan = await planAgainst(h.client, { rules: [rule('cmp-1', 'Stored refusal')] });
    h.sim.setFaults({ rules: [{ method: 'POST', path: '/rules$', status: 422, times: 1 }] });
    const first = await executePlan({ client: h.client, plan });
    expect(first.results[0]!.error!.message).not.toContain('replayed');
    // An injected fault is never stored; a real refusal is. Make one: an inactive DNC list.
    const inactive = await planAgainst(h.client, {
      rules: [rule('cmp-1', 'Inactive list', { dncListIds: ['dnc-4'] })],
    });
    const refused = await executePlan({ client: h.client, plan: inactive });
    expect(refused.results[0]!.error!.code).toBe('VALIDATION_FAILED');
    const again = await executePlan({ client: h.client, plan: inactive });
    expect(again.results[0]!.error!.message).toContain(
      'the server replayed its stored answer to an earlier run of this plan',
    );
  });
});

describe('executor: a rule create carries its own id, so a repeat meets the rule it made', () => {
  const rulesRoute = 'POST /api/v2/campaigns/{campaignId}/rules';
  const liveRules = () => h.sim.state().complianceRules;

  it('creates the rule under the id derived from campaign and name', async () => {
    const plan = await planAgainst(h.client, { rules: [rule('cmp-1', 'US hours')] });
    const report = await executePlan({ client: h.client, plan });
    expect(report.results[0]).toMatchObject({ outcome: 'success', via: 'written' });
    expect(liveRules().map((r) => r.id)).toEqual([clientRuleId('cmp-1', 'US hours')]);
    expect(report.results[0]!.id).toBe(clientRuleId('cmp-1', 'US hours'));
  });

  it('a create that committed then dropped, repeated under a new idempotency key, leaves one rule', async () => {
    // Two plans made from the same live state (another target label: another digest, so other
    // idempotency keys), as when a run is repeated from a plan made before the first one landed.
    const first = await planAgainst(h.client, { rules: [rule('cmp-1', 'US hours')] });
    const second = await planAgainst(
      h.client,
      { rules: [rule('cmp-1', 'US hours')] },
      { target: 'again' },
    );
    expect(second.digest).not.toBe(first.digest);
    // Every attempt of the first run commits (or replays) and loses the answer.
    h.sim.setFaults({
      rules: [{ method: 'POST', path: '/rules$', action: 'commit-then-drop', times: 20 }],
    });
    const unclear = await executePlan({ client: h.client, plan: first });
    expect(unclear.results[0]).toMatchObject({ outcome: 'success', via: 'reconciled' });
    h.sim.clearFaults();
    h.sim.clearRequests();
    const repeated = await executePlan({ client: h.client, plan: second });
    expect(repeated.results[0]).toMatchObject({ outcome: 'success', via: 'reconciled' });
    expect(repeated.writes).toEqual([
      expect.objectContaining({ action: 'create', status: 409, outcome: 'success' }),
    ]);
    expect(h.sim.requests().counts[rulesRoute]).toBe(1);
    expect(h.sim.requests().counts['PUT /api/v2/campaigns/{campaignId}/rules/{ruleId}']).toBe(
      undefined,
    );
    expect(liveRules()).toHaveLength(1);
    expect(liveRules()[0]).toMatchObject({ id: clientRuleId('cmp-1', 'US hours'), version: 1 });
    const fresh = await planAgainst(h.client, { rules: [rule('cmp-1', 'US hours')] });
    expect(fresh.changes).toEqual([]);
  });

  it('adopts the rule it made with other values: one update with If-Match, then converged', async () => {
    const older = await planAgainst(h.client, { rules: [rule('cmp-1', 'US hours')] });
    const newer = await planAgainst(h.client, {
      rules: [rule('cmp-1', 'US hours', { maxCallsPerDay: 3 })],
    });
    h.sim.setFaults({
      rules: [{ method: 'POST', path: '/rules$', action: 'commit-then-drop', times: 1 }],
    });
    const made = await executePlan({ client: h.client, plan: older });
    expect(made.results[0]).toMatchObject({ outcome: 'success' });
    // The newer plan still says create; its POST (a new key) meets the rule the older one made,
    // and its answer is lost too.
    h.sim.setFaults({
      rules: [{ method: 'POST', path: '/rules$', action: 'commit-then-drop', times: 1 }],
    });
    const adopted = await executePlan({ client: h.client, plan: newer });
    expect(adopted.results[0]).toMatchObject({
      outcome: 'success',
      via: 'reconciled',
      id: clientRuleId('cmp-1', 'US hours'),
    });
    expect(adopted.writes.map((w) => [w.action, w.step, w.status, w.outcome])).toEqual([
      ['update', 'adopt', 200, 'success'],
      ['create', 'main', 409, 'success'],
    ]);
    expect(liveRules()).toHaveLength(1);
    expect(liveRules()[0]).toMatchObject({
      id: clientRuleId('cmp-1', 'US hours'),
      version: 2,
      maxCallsPerDay: 3,
    });
    const fresh = await planAgainst(h.client, {
      rules: [rule('cmp-1', 'US hours', { maxCallsPerDay: 3 })],
    });
    expect(fresh.changes).toEqual([]);
  });

  it('never adopts a rule of the same name that someone else made under another id', async () => {
    const plan = await planAgainst(h.client, {
      rules: [rule('cmp-1', 'US hours', { maxCallsPerDay: 3 })],
    });
    await h.client.rules.create('cmp-1', rule('cmp-1', 'US hours').fields);
    const report = await executePlan({ client: h.client, plan });
    expect(report.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'EXISTS_DIFFERENT' },
    });
    expect(report.writes.map((w) => w.step)).toEqual(['main']);
    expect(liveRules()).toEqual([
      expect.objectContaining({ id: 'rule-000001', version: 1, maxCallsPerDay: 1 }),
    ]);
  });
});
