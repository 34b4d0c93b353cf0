/**
 * Convergence, property-based over random live and desired states and random fault schedules:
 * after an apply the plan is empty and a second apply sends no write; after a faulty apply (which
 * may report failures), a clean re-run converges with no duplicates. One simulator, reset with
 * PUT-state semantics between runs; runs are bounded in number.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { planForApply } from '../../src/cli/applyPlanning.js';
import { createContext } from '../../src/cli/context.js';
import { openTargetFromArgs } from '../../src/cli/targetOptions.js';
import { createClient } from '../../src/cxone/client.js';
import { FAST_RETRY } from '../cxone/harness.js';
import { captureIO } from '../helpers/capture.js';
import { ApplyHarness, codesManifest, rulesYaml, seedCode } from './applyHarness.js';

let h: ApplyHarness;
let root: string;
beforeAll(async () => {
  h = await ApplyHarness.start();
  root = h.project({});
});
afterAll(async () => {
  await h.close();
});

interface Code {
  code: string;
  category: string;
  isDefault: boolean;
  isActive: boolean;
  duration: number;
}
interface Rule {
  name: string;
  maxCallsPerDay: number;
}

/** Codes with unique keys and at most one default per category (a server rule). */
const codeSet = (minLength: number) =>
  fc
    .uniqueArray(
      fc.record({
        code: fc.constantFrom('AA', 'BB', 'CC', 'DD', 'EE'),
        category: fc.constantFrom('Resolution', 'Sales'),
        isDefault: fc.boolean(),
        isActive: fc.boolean(),
        duration: fc.constantFrom(60, 120),
      }),
      { selector: (c) => c.code, minLength, maxLength: 5 },
    )
    .map((codes): Code[] => {
      const taken = new Set<string>();
      return codes.map((c) => {
        if (!c.isDefault) return c;
        if (taken.has(c.category)) return { ...c, isDefault: false };
        taken.add(c.category);
        return c;
      });
    });

const ruleSet = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('Rule one', 'Rule two', 'Rule three'),
    maxCallsPerDay: fc.constantFrom(1, 2),
  }),
  { selector: (r) => r.name, maxLength: 3 },
);

const pruneMode = fc.constantFrom<false | 'deactivate' | 'delete'>(false, 'deactivate', 'delete');

const scenario = fc
  .record({
    live: codeSet(0),
    desired: codeSet(1),
    liveRules: ruleSet,
    desiredRules: ruleSet,
    prune: pruneMode,
  })
  // A default kept by a live code the manifests do not declare (and prune does not remove)
  // blocks a desired default in its category: a plan-time error, not something apply converges.
  .filter(({ live, desired, prune }) => {
    if (prune !== false) return true;
    const declared = new Set(desired.map((c) => c.code));
    const kept = live.filter((c) => !declared.has(c.code) && c.isDefault);
    return !kept.some((k) => desired.some((d) => d.isDefault && d.category === k.category));
  });

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function seed(s: Scenario): void {
  h.reset({
    wrapUpCodes: s.live.map((c) => seedCode(c.code, { ...c })),
    complianceRules: s.liveRules.map((r) => ({
      campaignId: 'Spring Renewals',
      name: r.name,
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
      dncListIds: ['Internal DNC'],
      maxCallsPerDay: r.maxCallsPerDay,
      concurrencyLimit: 5,
    })),
  });
  const codes = codesManifest(s.desired.map((c) => [c.code, { ...c, code: undefined } as never]));
  const text = codes.replace(/\n {4}code: undefined/g, '');
  h.write(root, {
    'manifests/all.yaml': `${text}${s.desiredRules.length > 0 ? rulesYaml(s.desiredRules) : ''}`,
  });
}

function pruneArgs(prune: Scenario['prune']): string[] {
  return prune === false ? [] : prune === 'delete' ? ['--prune=delete'] : ['--prune'];
}

async function apply(prune: Scenario['prune']) {
  return h.run(['apply', '--auto-approve', ...pruneArgs(prune), ...h.targetArgs()], { cwd: root });
}

/** The live state matches the manifests: every desired code as declared, every desired rule. */
function expectConverged(s: Scenario): void {
  const live = h.sim.state().wrapUpCodes as Code[];
  const byCode = new Map(live.map((c) => [c.code, c]));
  for (const desired of s.desired) {
    expect(byCode.get(desired.code)).toMatchObject(desired);
  }
  // No duplicates: exactly the keys that were live or declared exist, once each.
  const keys = new Set([...s.live.map((c) => c.code), ...s.desired.map((c) => c.code)]);
  if (s.prune === 'delete') {
    expect(live.map((c) => c.code).sort()).toEqual(s.desired.map((c) => c.code).sort());
  } else {
    expect(live.map((c) => c.code).sort()).toEqual([...keys].sort());
  }
  const rules = h.sim.state().complianceRules as Rule[];
  for (const desired of s.desiredRules) {
    expect(rules.filter((r) => r.name === desired.name)).toEqual([
      expect.objectContaining({ maxCallsPerDay: desired.maxCallsPerDay }),
    ]);
  }
  expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
}

/** Plan and execute in-process with a client that retries quickly; failures are expected. */
async function faultyApply(prune: Scenario['prune']): Promise<void> {
  const globals = { color: false, logLevel: 'silent' as const };
  const io = captureIO({ cwd: root, env: h.env() });
  const context = createContext(io, globals);
  const args = { ...globals, target: h.sim.url, rateLimit: 1000 };
  const target = await openTargetFromArgs(args, context);
  const client = createClient(target, { rateLimit: 1000, retry: FAST_RETRY });
  try {
    const planned = await planForApply({ args, context, target, client, prune }).catch(
      () => undefined, // reading live state may fail under faults too
    );
    if (planned?.status !== 'planned') return;
    const report = await executePlan({ client, plan: planned.plan });
    expect(report.results).toHaveLength(planned.plan.changes.length);
  } finally {
    await client.close();
    await target.close();
  }
}

describe('cxctl apply converges', () => {
  it('after an apply the plan is empty and a second apply sends no write', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        seed(s);
        const first = await apply(s.prune);
        expect(first.code, first.stdout + first.stderr).toBe(0);
        expectConverged(s);
        h.sim.clearRequests();
        const second = await apply(s.prune);
        expect(second.code).toBe(0);
        expect(second.stdout).toContain('No changes. Nothing was applied.');
        expect(h.writes()).toBe(0);
      }),
      { numRuns: 15 },
    );
  });

  it('after a faulty apply, a clean re-run converges without duplicates', async () => {
    const faults = fc.record({
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      // Percentages as integers: fast-check's doubles cluster at the bounds.
      commitThenDrop: fc.integer({ min: 0, max: 50 }).map((p) => p / 100),
      throttled: fc.integer({ min: 0, max: 20 }).map((p) => p / 100),
      retryAfter: fc.constantFrom(0, 0, 1),
      unavailable: fc.integer({ min: 0, max: 50 }).map((p) => p / 100),
    });
    await fc.assert(
      fc.asyncProperty(scenario, faults, async (s, f) => {
        seed(s);
        const writes = ['POST', 'PUT', 'DELETE'].map((method) => ({
          method,
          path: '^/api/',
          action: 'commit-then-drop' as const,
          probability: f.commitThenDrop,
        }));
        h.sim.setFaults({
          seed: f.seed,
          rules: [
            ...writes,
            { path: '^/api/', status: 429, retryAfter: f.retryAfter, probability: f.throttled },
            { path: '^/api/', status: 503, probability: f.unavailable },
          ],
        });
        // The faulty run: the product's planner and executor, with quick retries so failures
        // (retry budgets running out) happen often and cost little time.
        await faultyApply(s.prune);
        h.sim.clearFaults();
        const clean = await apply(s.prune);
        expect(clean.code, clean.stdout + clean.stderr).toBe(0);
        expectConverged(s);
        h.sim.clearRequests();
        const again = await apply(s.prune);
        expect(again.stdout).toContain('No changes. Nothing was applied.');
        expect(h.writes()).toBe(0);
      }),
      { numRuns: 12 },
    );
  });
});
