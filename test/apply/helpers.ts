/**
 * Helpers for executor tests: a minimal planner over the client (test-only: the product's
 * manifest-to-plan path is `cxctl plan`'s), so the executor can be exercised on exact plans.
 */
import type { CxoneClient } from '../../src/cxone/client.js';
import type { ComplianceRuleFields, WrapUpCodeFields } from '../../src/cxone/types.js';
import { wrapUpCodeBody } from '../../src/cxone/wrapUpCodes.js';
import { ruleBody } from '../../src/cxone/rules.js';
import { assemblePlan, type DiffsByKind } from '../../src/plan/assemble.js';
import { diffKind } from '../../src/plan/compute.js';
import type { Plan, PruneMode } from '../../src/plan/types.js';

/** A desired rule: its campaign id and its fields (DNC lists as ids). */
export interface DesiredRule {
  campaignId: string;
  fields: ComplianceRuleFields;
}

function codeComparable(code: WrapUpCodeFields): WrapUpCodeFields {
  const body = wrapUpCodeBody(code);
  if (body.description === '') delete body.description;
  return body;
}

function ruleComparable(rule: ComplianceRuleFields): Record<string, unknown> {
  const body = ruleBody(rule);
  return {
    ...body,
    dncListIds: [...body.dncListIds].sort(),
    timeZoneRestrictions: [...body.timeZoneRestrictions].sort((a, b) =>
      a.timeZone.localeCompare(b.timeZone),
    ),
  };
}

/** Plan `desired` against the live state the client reads (every code and listed campaigns owned). */
export async function planAgainst(
  client: CxoneClient,
  desired: { codes?: WrapUpCodeFields[]; rules?: DesiredRule[] },
  options: { prune?: PruneMode; campaigns?: string[]; target?: string } = {},
): Promise<Plan> {
  const prune = options.prune ?? false;
  const liveCodes = await client.wrapUpCodes.list();
  const diffs: DiffsByKind = {};
  diffs.wrapUpCode = diffKind({
    kind: 'wrapUpCode',
    desired: (desired.codes ?? []).map((code) => ({
      key: code.code,
      comparable: codeComparable(code),
      body: codeComparable(code),
    })),
    live: liveCodes.map((code) => ({
      key: code.code,
      comparable: codeComparable(code),
      live: { id: code.id, version: code.version },
      owned: true,
    })),
    prune,
    pruneBehaviour: {
      deactivate: (entry) =>
        entry.comparable.isActive === false && entry.comparable.isDefault !== true
          ? undefined
          : {
              body: { ...entry.comparable, isActive: false, isDefault: false },
              fields: [{ path: 'isActive', oldValue: entry.comparable.isActive, newValue: false }],
            },
    },
  });
  const campaigns = new Set([
    ...(options.campaigns ?? []),
    ...(desired.rules ?? []).map((rule) => rule.campaignId),
  ]);
  const liveRules = (
    await Promise.all([...campaigns].map((campaignId) => client.rules.list(campaignId)))
  ).flat();
  diffs.complianceRule = diffKind({
    kind: 'complianceRule',
    desired: (desired.rules ?? []).map((rule) => ({
      key: `${rule.campaignId}/${rule.fields.name}`,
      comparable: ruleComparable(rule.fields),
      body: ruleBody(rule.fields),
      parentId: rule.campaignId,
      labels: { campaign: rule.campaignId },
    })),
    live: liveRules.map((rule) => ({
      key: `${rule.campaignId}/${rule.name}`,
      comparable: ruleComparable(rule),
      live: { id: rule.id, version: rule.version },
      owned: true,
      parentId: rule.campaignId,
    })),
    prune,
  });
  return assemblePlan(
    {
      target: { label: options.target ?? 'test' },
      manifestDigest: 'm'.repeat(64),
      prune,
      cxctlVersion: '0.0.0',
      createdAt: new Date(0).toISOString(),
    },
    diffs,
  );
}

/** A valid desired wrap-up code. */
export function code(key: string, overrides: Partial<WrapUpCodeFields> = {}): WrapUpCodeFields {
  return {
    code: key,
    name: `Name of ${key}`,
    category: 'Resolution',
    duration: 300,
    isActive: true,
    isDefault: false,
    ...overrides,
  };
}

/** A valid desired rule in campaign `campaignId` (default seed: dnc-1 is active). */
export function rule(
  campaignId: string,
  name: string,
  overrides: Partial<ComplianceRuleFields> = {},
): DesiredRule {
  return {
    campaignId,
    fields: {
      name,
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
      dncListIds: ['dnc-1'],
      maxCallsPerDay: 1,
      concurrencyLimit: 5,
      geographicExclusions: [],
      ...overrides,
    },
  };
}

/** Requests the simulator logged that are writes (POST/PUT/DELETE to the API, tokens excluded). */
export function writeCount(counts: Record<string, number>): number {
  let total = 0;
  for (const [route, n] of Object.entries(counts)) {
    if (/^(POST|PUT|DELETE) /.test(route) && !route.includes('/oauth')) total += n;
  }
  return total;
}
