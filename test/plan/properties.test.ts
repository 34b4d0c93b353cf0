/**
 * Properties of plan and export, checked against the real simulator over HTTP (one simulator,
 * its state replaced per run with PUT semantics through `setState`):
 * - the plan's changes, applied to live by a reference model, give a state the server accepts and
 *   that plans to nothing (so owned objects equal the manifests), and nothing outside scope moves;
 * - export, then plan of the export, is empty (and export is deterministic);
 * - the plan digest does not depend on item order, file splitting, key order or how campaigns and
 *   DNC lists are spelt (name or id).
 * Runs are bounded (fast-check `numRuns`) so the suite stays fast.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CxoneClient } from '../../src/cxone/client.js';
import type { ComplianceRule, WrapUpCode } from '../../src/cxone/types.js';
import { exportManifests } from '../../src/export/manifests.js';
import { campaignsInScope } from '../../src/kinds/complianceRules.js';
import { readLiveState } from '../../src/kinds/readLive.js';
import { ReferenceIndex } from '../../src/kinds/references.js';
import type { LiveState } from '../../src/plan/build.js';
import { ownsWrapUpCode } from '../../src/plan/scope.js';
import type { Plan, PruneMode } from '../../src/plan/types.js';
import {
  DEFAULT_SEED,
  startSimulator,
  type RunningSimulator,
  type SimulatorSeed,
  type SimulatorState,
} from '../../src/simulator/index.js';
import { planTextsAgainst } from '../helpers/planning.js';

const RUNS = Number(process.env.CXCTL_PROPERTY_RUNS ?? 25);

let sim: RunningSimulator;
let client: CxoneClient;
beforeAll(async () => {
  sim = await startSimulator();
  client = createClient(
    {
      apiBase: sim.url,
      tokenUrl: sim.tokenUrl,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
    },
    { concurrency: 8, rateLimit: 100_000 },
  );
});
afterAll(async () => {
  await client.close();
  await sim.stop();
});

/** Replace the simulator's state and read it back over HTTP (rules of every campaign). */
async function seedAndRead(seed: SimulatorSeed): Promise<LiveState> {
  sim.setState({ ...DEFAULT_SEED, ...seed });
  return readLiveState(client, {
    campaigns: (refs) => refs.data.campaigns.map((campaign) => campaign.id),
  });
}

// ---------------------------------------------------------------- generators

const CATEGORIES = ['Resolution', 'Sales', 'Service', 'Billing'];
const CODES = ['AA_1', 'AA_2', 'AA_3', 'BB_1', 'BB_2', 'CC_1', 'CC_2'];
const CAMPAIGNS = [
  { id: 'cmp-1', name: 'Spring Renewals' },
  { id: 'cmp-2', name: 'Winback 2026' },
  { id: 'cmp-3', name: 'Collections Early Stage' },
];
const ACTIVE_LISTS = [
  { id: 'dnc-1', name: 'Internal DNC' },
  { id: 'dnc-2', name: 'National DNC Registry' },
  { id: 'dnc-3', name: 'Litigator Scrub' },
];
const RULE_NAMES = ['US hours', 'Florida FTSA', 'UK: quiet time', '"Quoted" rule', 'true'];
const ZONES = ['America/New_York', 'America/Chicago', 'Europe/London', 'Asia/Kolkata'];

const tricky = fc.constantFrom(
  'true',
  '123',
  'a: b',
  '# not a comment',
  '- dash',
  "it's",
  '"quoted"',
  '${env:HOME}',
  '$${x}',
  ' leading',
  'trailing ',
  '[x]',
  '{y}',
  '*star',
  '&amp',
  '!bang',
  'Ünïcødé ✓',
  'line\nbreak',
  'tab\there',
  'null',
);
const text = (maxLength: number) =>
  fc.oneof(
    tricky,
    fc.string({ minLength: 1, maxLength, unit: 'grapheme-ascii' }),
    fc.string({ minLength: 1, maxLength, unit: 'grapheme' }),
  );
const rarely = fc.oneof(
  { weight: 4, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);

interface CodeFields {
  code: string;
  name: string;
  category: string;
  duration: number;
  isActive: boolean;
  isDefault: boolean;
  description?: string;
}

const codeArb = (code: string): fc.Arbitrary<CodeFields> =>
  fc.record(
    {
      code: fc.constant(code),
      name: text(30),
      category: fc.constantFrom(...CATEGORIES),
      duration: fc.integer({ min: 1, max: 7200 }),
      isActive: fc.boolean(),
      isDefault: rarely,
      description: fc.oneof(fc.constant(''), text(60)),
    },
    { requiredKeys: ['code', 'name', 'category', 'duration', 'isActive', 'isDefault'] },
  );

/** Codes with unique codes and at most one default per category. */
const codesArb = fc
  .subarray(CODES)
  .chain((codes) => fc.tuple(...codes.map(codeArb)))
  .map((codes) => {
    const defaults = new Set<string>();
    return codes.map((code) => {
      if (!code.isDefault) return code;
      if (defaults.has(code.category)) return { ...code, isDefault: false };
      defaults.add(code.category);
      return code;
    });
  });

interface RuleFields {
  campaignId: string;
  name: string;
  type: 'TIME_RESTRICTION' | 'DNC_COMPLIANCE' | 'FREQUENCY_LIMIT';
  jurisdiction: string;
  timeZoneRestrictions: { timeZone: string; startHour: number; endHour: number }[];
  dncListIds: string[];
  maxCallsPerDay: number;
  concurrencyLimit: number;
  geographicExclusions: { latitude: number; longitude: number; radiusKm: number }[];
}

const hoursArb = fc
  .tuple(fc.integer({ min: 0, max: 22 }), fc.integer({ min: 1, max: 23 }))
  .filter(([start, end]) => start < end);

const ruleArb = (
  campaignId: string,
  name: string,
  lists: readonly string[],
): fc.Arbitrary<RuleFields> =>
  fc.record({
    campaignId: fc.constant(campaignId),
    name: fc.constant(name),
    type: fc.constantFrom('TIME_RESTRICTION', 'DNC_COMPLIANCE', 'FREQUENCY_LIMIT'),
    jurisdiction: text(12).filter((value) => value.trim() !== ''),
    timeZoneRestrictions: fc
      .subarray(ZONES, { minLength: 1 })
      .chain((zones) =>
        fc.tuple(
          ...zones.map((timeZone) =>
            hoursArb.map(([startHour, endHour]) => ({ timeZone, startHour, endHour })),
          ),
        ),
      ),
    dncListIds: fc.subarray([...lists], { minLength: 1 }),
    maxCallsPerDay: fc.integer({ min: 1, max: 5 }),
    concurrencyLimit: fc.integer({ min: 1, max: 10 }),
    geographicExclusions: fc.uniqueArray(
      fc.record({
        latitude: fc.constantFrom(-33.8688, 0, 27.9506, 40.7128),
        longitude: fc.constantFrom(-82.4572, -74.006, 0, 151.2093),
        radiusKm: fc.constantFrom(0.5, 25, 80),
      }),
      { maxLength: 2, selector: (g) => `${g.latitude},${g.longitude}` },
    ),
  });

/** Rules with unique names per campaign; live rules may name the inactive list too. */
const rulesArb = (lists: readonly string[]) =>
  fc
    .subarray(
      CAMPAIGNS.flatMap((campaign) => RULE_NAMES.map((name) => [campaign.id, name] as const)),
      {
        maxLength: 5,
      },
    )
    .chain((keys) => fc.tuple(...keys.map(([campaign, name]) => ruleArb(campaign, name, lists))));

const liveArb = fc.record({
  wrapUpCodes: codesArb,
  complianceRules: rulesArb(['dnc-1', 'dnc-2', 'dnc-3', 'dnc-4']),
});

interface DesiredState {
  codes: CodeFields[];
  rules: RuleFields[];
  scope?: { codePrefix?: string; categories?: string[]; campaigns?: string[] };
}

const scopeArb = fc.record(
  {
    codePrefix: fc.constantFrom('AA_', 'B'),
    categories: fc.subarray(CATEGORIES, { minLength: 1 }),
    campaigns: fc.subarray(
      CAMPAIGNS.map((c) => c.name),
      { minLength: 1 },
    ),
  },
  { requiredKeys: [] },
);

/**
 * Desired objects, with a scope one run in three; objects outside that scope are left out (a
 * manifest object outside its own scope is refused, which the unit tests cover), so most runs
 * produce a plan rather than a refusal.
 */
const desiredArb: fc.Arbitrary<DesiredState> = fc
  .record({
    codes: codesArb,
    rules: rulesArb(ACTIVE_LISTS.map((list) => list.id)),
    scope: fc.option(scopeArb, { freq: 2, nil: undefined }),
  })
  .map(({ codes, rules, scope }) => {
    if (!scope) return { codes, rules };
    const campaignIds = scope.campaigns?.map((name) => CAMPAIGNS.find((c) => c.name === name)!.id);
    return {
      codes: codes.filter(
        (code) =>
          (scope.codePrefix === undefined || code.code.startsWith(scope.codePrefix)) &&
          (scope.categories === undefined || scope.categories.includes(code.category)),
      ),
      rules: rules.filter(
        (rule) => campaignIds === undefined || campaignIds.includes(rule.campaignId),
      ),
      scope,
    };
  });

// ---------------------------------------------------------------- rendering manifests

const escape = (value: unknown): unknown =>
  typeof value === 'string'
    ? value.split('${').join('$${')
    : Array.isArray(value)
      ? value.map(escape)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escape(v)]))
        : value;

/** Spellings of an item: key order, campaign and DNC lists by name or id, list order. */
interface Spelling {
  reverseKeys: boolean;
  campaignById: boolean;
  listsById: boolean;
  reverseLists: boolean;
}
const PLAIN: Spelling = {
  reverseKeys: false,
  campaignById: false,
  listsById: false,
  reverseLists: false,
};

function codeItem(code: CodeFields, spelling: Spelling): Record<string, unknown> {
  const item: Record<string, unknown> = { ...code };
  if (item.description === '' && spelling.reverseKeys) delete item.description;
  return spelling.reverseKeys ? Object.fromEntries(Object.entries(item).reverse()) : item;
}

function ruleItem(rule: RuleFields, spelling: Spelling): Record<string, unknown> {
  const campaign = CAMPAIGNS.find((c) => c.id === rule.campaignId)!;
  const lists = rule.dncListIds.map((id) =>
    spelling.listsById ? id : (ACTIVE_LISTS.find((list) => list.id === id)?.name ?? id),
  );
  const { campaignId: _campaignId, dncListIds: _dncListIds, ...fields } = rule;
  const item: Record<string, unknown> = {
    campaign: spelling.campaignById ? campaign.id : campaign.name,
    ...fields,
    dncLists: spelling.reverseLists ? lists.reverse() : lists,
    timeZoneRestrictions: spelling.reverseLists
      ? [...rule.timeZoneRestrictions].reverse()
      : rule.timeZoneRestrictions,
  };
  return spelling.reverseKeys ? Object.fromEntries(Object.entries(item).reverse()) : item;
}

/** The desired state as manifest files: items as JSON flow mappings (JSON is YAML). */
function render(
  desired: DesiredState,
  options: { order?: number[]; files?: number; spelling?: (index: number) => Spelling } = {},
): Record<string, string> {
  const items = [
    ...desired.codes.map((code, i) => ({ key: 'wrapUpCodes', index: i, value: code })),
    ...desired.rules.map((rule, i) => ({
      key: 'complianceRules',
      index: desired.codes.length + i,
      value: rule,
    })),
  ];
  const order = options.order ?? items.map((_u, i) => i);
  const ordered = [...items].sort(
    (a, b) => (order[a.index] ?? 0) - (order[b.index] ?? 0) || a.index - b.index,
  );
  const fileCount = Math.max(1, options.files ?? 1);
  const files: Record<string, string> = {};
  ordered.forEach((item, position) => {
    const file = `m${position % fileCount}.yaml`;
    const spelling = options.spelling?.(item.index) ?? PLAIN;
    const value =
      item.key === 'wrapUpCodes'
        ? codeItem(item.value as CodeFields, spelling)
        : ruleItem(item.value as RuleFields, spelling);
    files[file] =
      (files[file] ?? 'version: 1\n') + `---\n${item.key}:\n  - ${JSON.stringify(escape(value))}\n`;
  });
  if (desired.scope) {
    files['scope.yaml'] = `version: 1\nscope: ${JSON.stringify({
      ...(desired.scope.codePrefix || desired.scope.categories
        ? {
            wrapUpCodes: {
              ...(desired.scope.codePrefix ? { codePrefix: desired.scope.codePrefix } : {}),
              ...(desired.scope.categories ? { categories: desired.scope.categories } : {}),
            },
          }
        : {}),
      ...(desired.scope.campaigns ? { campaigns: desired.scope.campaigns } : {}),
    })}\n`;
  }
  if (Object.keys(files).length === 0) files['empty.yaml'] = 'version: 1\n';
  return files;
}

// ---------------------------------------------------------------- the reference model

/** Apply a plan's changes to a state the way the API would, without the API. */
function applyModel(state: SimulatorState, plan: Plan): SimulatorState {
  const next = structuredClone(state);
  let counter = 0;
  for (const change of plan.changes) {
    if (change.kind === 'wrapUpCode') {
      const index = next.wrapUpCodes.findIndex((code) => code.id === change.live?.id);
      if (change.action === 'create') {
        next.wrapUpCodes.push({
          ...(change.body as unknown as WrapUpCode),
          id: `new-${counter++}`,
          version: 1,
        });
      } else if (change.action === 'delete' && change.deleteMode === 'delete') {
        next.wrapUpCodes.splice(index, 1);
      } else {
        next.wrapUpCodes[index] = {
          ...(change.body as unknown as WrapUpCode),
          id: change.live!.id,
          version: change.live!.version + 1,
        };
      }
    } else {
      const index = next.complianceRules.findIndex((rule) => rule.id === change.live?.id);
      if (change.action === 'create') {
        next.complianceRules.push({
          ...(change.body as unknown as ComplianceRule),
          campaignId: change.parentId!,
          id: `new-rule-${counter++}`,
          version: 1,
        });
      } else if (change.action === 'delete') {
        next.complianceRules.splice(index, 1);
      } else {
        next.complianceRules[index] = {
          ...(change.body as unknown as ComplianceRule),
          campaignId: change.parentId!,
          id: change.live!.id,
          version: change.live!.version + 1,
        };
      }
    }
  }
  return next;
}

function stateOfLive(live: LiveState): SimulatorState {
  return {
    categories: live.references.categories,
    campaigns: live.references.campaigns,
    dncLists: live.references.dncLists,
    wrapUpCodes: live.wrapUpCodes,
    complianceRules: live.complianceRules,
  };
}

// ---------------------------------------------------------------- properties

describe('plan properties (real simulator over HTTP)', () => {
  it('applying the plan to live by a reference model gives the manifests, within scope', async () => {
    let planned = 0;
    await fc.assert(
      fc.asyncProperty(
        liveArb,
        desiredArb,
        fc.constantFrom<PruneMode>(false, 'deactivate', 'delete'),
        async (liveSeed, desired, prune) => {
          const live = await seedAndRead(liveSeed);
          const files = render(desired);
          const first = planTextsAgainst(files, live, { prune });
          if (!first.ok) return; // a conflict the plan refuses (e.g. a default that stays): fine
          planned++;
          const refs = new ReferenceIndex(live.references);
          const ownedCampaigns = campaignsInScope(
            first.manifest.desired.complianceRules,
            first.scope,
            refs,
          );
          // Nothing outside scope is touched.
          for (const change of first.plan.changes) {
            if (!change.live) continue;
            if (change.kind === 'wrapUpCode') {
              const code = live.wrapUpCodes.find((c) => c.id === change.live!.id)!;
              expect(ownsWrapUpCode(first.scope, code)).toBe(true);
            } else {
              expect(ownedCampaigns.has(change.parentId!)).toBe(true);
            }
          }
          // The modelled result is a state the server accepts, and it plans to nothing.
          const next = applyModel(stateOfLive(live), first.plan);
          const reread = await seedAndRead(next);
          const second = planTextsAgainst(files, reread, { prune });
          expect(second.ok).toBe(true);
          expect(second.plan.changes).toEqual([]);
          if (prune === 'delete') expect(second.plan.unmanaged).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    // Guard against a generator that only produces refused plans (nearly every run plans).
    if (process.env.CXCTL_PROPERTY_STATS) console.log(`planned ${planned} of ${RUNS}`);
    expect(planned).toBeGreaterThan(RUNS / 2);
  });

  it('export of any live state plans to nothing, and is the same bytes twice', async () => {
    await fc.assert(
      fc.asyncProperty(liveArb, async (liveSeed) => {
        const live = await seedAndRead(liveSeed);
        const exported = exportManifests(live, { cxctlVersion: '0.0.0' });
        expect(
          exportManifests(await seedAndRead(liveSeed as SimulatorSeed), { cxctlVersion: '0.0.0' }),
        ).toEqual(exported);
        const files = Object.fromEntries(exported.files.map((file) => [file.path, file.text]));
        if (exported.files.length === 0) files['empty.yaml'] = 'version: 1\n';
        const outcome = planTextsAgainst(files, live);
        expect(outcome.positioned.filter((d) => d.severity === 'error')).toEqual([]);
        expect(outcome.plan.changes).toEqual([]);
        expect(outcome.plan.unmanaged).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same digest whatever the order, file split, key order and spelling of references', async () => {
    const spellingArb = fc.record({
      reverseKeys: fc.boolean(),
      campaignById: fc.boolean(),
      listsById: fc.boolean(),
      reverseLists: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        liveArb,
        desiredArb,
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(spellingArb, { minLength: 20, maxLength: 20 }),
        async (liveSeed, desired, order, fileCount, spellings) => {
          const live = await seedAndRead(liveSeed);
          const base = planTextsAgainst(render(desired), live);
          const reshaped = planTextsAgainst(
            render(desired, { order, files: fileCount, spelling: (i) => spellings[i % 20]! }),
            live,
          );
          expect(reshaped.ok).toBe(base.ok);
          expect(reshaped.plan.digest).toBe(base.plan.digest);
          const withoutSource = (plan: Plan) => plan.changes.map(({ source: _s, ...rest }) => rest);
          expect(withoutSource(reshaped.plan)).toEqual(withoutSource(base.plan));
          // Order and file splitting alone leave the manifest digest as it was.
          const reordered = planTextsAgainst(render(desired, { order, files: fileCount }), live);
          expect(reordered.plan.manifestDigest).toBe(base.plan.manifestDigest);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
