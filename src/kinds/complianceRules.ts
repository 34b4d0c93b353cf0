/**
 * Outbound-campaign compliance rules: identity `campaign` + `name` (names unique within a
 * campaign). Campaigns and DNC lists are named by name or id and resolved against the tenant at
 * plan time; rules that name no campaign get the default campaign (CXONE_CAMPAIGN_ID).
 */
import type { CxoneClient } from '../cxone/client.js';
import type {
  ComplianceRule,
  ComplianceRuleFields,
  GeographicExclusion,
  TimeZoneRestriction,
} from '../cxone/types.js';
import type { Located, ManifestPointer, PendingDiagnostic } from '../manifest/types.js';
import type { DesiredEntry, LiveEntry } from '../plan/compute.js';
import { referenceProblem, type ResolvedScope } from '../plan/scope.js';
import type { ReferenceIndex } from './references.js';
import { checkTimeZone } from './timeZones.js';
import {
  compareStrings,
  pointerInside,
  type CheckedItem,
  type KindDefaults,
  type LiveResourceKind,
  type PlanContext,
  type PreparedKind,
  type RawItem,
  type ResourceKind,
} from './types.js';

/**
 * A desired compliance rule: the API's writable fields with `campaign` (name or id, as written or
 * defaulted) instead of a campaign id, and DNC lists by name or id.
 */
export type DesiredComplianceRule = Omit<ComplianceRuleFields, 'dncListIds'> & {
  /** Campaign name or id; the default campaign when the manifest names none. */
  campaign: string;
  /** DNC lists by name or id, as written; resolved to the wire's `dncListIds` at plan time. */
  dncLists: string[];
};

/** The compliance rule kind. */
export const complianceRulesKind: ResourceKind<DesiredComplianceRule> = {
  key: 'complianceRules',
  noun: 'compliance rule',
  identity: (rule) => JSON.stringify([rule.campaign, rule.name]),
  describe: (rule) => `compliance rule ${JSON.stringify(rule.name)} in campaign ${rule.campaign}`,
  normalise: normaliseComplianceRule,
  validate: validateComplianceRules,
  compare: (a, b) => compareStrings(a.campaign, b.campaign) || compareStrings(a.name, b.name),
};

/**
 * Defaults applied (campaign, `geographicExclusions: []`); lists whose order carries no meaning are
 * sorted so that reordering them in a manifest changes nothing: time-zone restrictions by zone, DNC
 * lists by name, exclusions by latitude, longitude and radius.
 */
export function normaliseComplianceRule(
  item: RawItem,
  defaults: KindDefaults,
): DesiredComplianceRule {
  const restrictions = (item.timeZoneRestrictions as TimeZoneRestriction[]).map(
    ({ timeZone, startHour, endHour }) => ({ timeZone, startHour, endHour }),
  );
  restrictions.sort((a, b) => compareStrings(a.timeZone, b.timeZone));
  const exclusions = ((item.geographicExclusions as GeographicExclusion[] | undefined) ?? []).map(
    ({ latitude, longitude, radiusKm }) => ({ latitude, longitude, radiusKm }),
  );
  exclusions.sort(
    (a, b) => a.latitude - b.latitude || a.longitude - b.longitude || a.radiusKm - b.radiusKm,
  );
  return {
    campaign: (item.campaign as string | undefined) ?? defaults.defaultCampaign ?? '',
    name: item.name as string,
    type: item.type as DesiredComplianceRule['type'],
    jurisdiction: item.jurisdiction as string,
    timeZoneRestrictions: restrictions,
    dncLists: [...(item.dncLists as string[])].sort(compareStrings),
    maxCallsPerDay: item.maxCallsPerDay as number,
    concurrencyLimit: item.concurrencyLimit as number,
    geographicExclusions: exclusions,
  };
}

/**
 * Rule names unique per campaign; a campaign for every rule; valid IANA zones, each once per rule,
 * with startHour < endHour; non-empty restriction and DNC lists; coordinates in range, radius > 0,
 * maxCallsPerDay >= 1 and concurrencyLimit 1..10 (the schema says the same for editors; these
 * checks keep the kind correct on its own, and only run on items the schema let through).
 */
export function validateComplianceRules(
  items: readonly CheckedItem[],
  defaults: KindDefaults,
): PendingDiagnostic[] {
  const diagnostics: PendingDiagnostic[] = [];
  const firstByIdentity = new Map<string, ManifestPointer>();
  for (const item of items) {
    const rule = item.value;
    const at = (...path: (string | number)[]): ManifestPointer => ({
      ...item.at,
      path: [...item.at.path, ...path],
    });
    const campaign =
      typeof rule.campaign === 'string' ? rule.campaign : (defaults.defaultCampaign ?? undefined);
    if (rule.campaign === undefined && defaults.defaultCampaign === undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'complianceRule.noCampaign',
        message: `compliance rule${typeof rule.name === 'string' ? ` ${JSON.stringify(rule.name)}` : ''} names no campaign and no default campaign is set`,
        at: at(),
        hint: 'add campaign: <name or id>, or set CXONE_CAMPAIGN_ID',
      });
    }
    if (typeof rule.name === 'string' && campaign !== undefined) {
      const identity = JSON.stringify([campaign, rule.name]);
      const first = firstByIdentity.get(identity);
      if (first) {
        const name = rule.name;
        diagnostics.push({
          severity: 'error',
          code: 'complianceRule.duplicate',
          message: (where) =>
            `campaign ${JSON.stringify(campaign)} has two compliance rules named ${JSON.stringify(name)}: here and at ${where(first)}`,
          at: at('name'),
          hint: 'rule names are unique within a campaign; rename or remove one of them',
        });
      } else {
        firstByIdentity.set(identity, at('name'));
      }
    }
    diagnostics.push(...checkRule(rule, at, item.schemaValid));
  }
  return diagnostics;
}

/**
 * Checks of one rule. Those the schema cannot express (IANA zones, each zone once, start before
 * end) run on every well-typed field; those that repeat the schema's bounds only run when the
 * schema accepted the rule, so a problem is never reported twice.
 */
function checkRule(
  rule: RawItem,
  at: (...path: (string | number)[]) => ManifestPointer,
  schemaValid: boolean,
): PendingDiagnostic[] {
  const diagnostics: PendingDiagnostic[] = [];
  const error = (code: string, message: string, where: ManifestPointer, hint?: string) =>
    diagnostics.push({
      severity: 'error',
      code,
      message,
      at: where,
      ...(hint === undefined ? {} : { hint }),
    });
  const restrictions = Array.isArray(rule.timeZoneRestrictions)
    ? (rule.timeZoneRestrictions as unknown[]).map((entry) =>
        typeof entry === 'object' && entry !== null ? (entry as Partial<TimeZoneRestriction>) : {},
      )
    : [];
  if (schemaValid && restrictions.length === 0) {
    error(
      'complianceRule.noTimeZones',
      'timeZoneRestrictions must not be empty',
      at('timeZoneRestrictions'),
    );
  }
  const zoneIndex = new Map<string, number>();
  restrictions.forEach((restriction, index) => {
    const zone = restriction.timeZone;
    const { startHour, endHour } = restriction;
    if (typeof zone !== 'string') return;
    const zoneCheck = checkTimeZone(zone);
    if (!zoneCheck.ok) {
      error(
        'complianceRule.timeZone',
        `timeZone ${JSON.stringify(zone)} is not an IANA time zone`,
        at('timeZoneRestrictions', index, 'timeZone'),
        zoneCheck.suggestion
          ? `did you mean "${zoneCheck.suggestion}"?`
          : 'use a name from the IANA time zone database, e.g. America/New_York',
      );
    }
    const firstIndex = zoneIndex.get(zone);
    if (firstIndex !== undefined) {
      error(
        'complianceRule.duplicateTimeZone',
        `time zone ${zone} appears more than once in timeZoneRestrictions (first as entry ${firstIndex + 1})`,
        at('timeZoneRestrictions', index, 'timeZone'),
        'give each zone one window',
      );
    } else {
      zoneIndex.set(zone, index);
    }
    for (const field of ['startHour', 'endHour'] as const) {
      const hour = restriction[field];
      if (schemaValid && (!Number.isInteger(hour) || hour! < 0 || hour! > 23)) {
        error(
          'complianceRule.hour',
          `${field} must be between 0 and 23, got ${String(hour)}`,
          at('timeZoneRestrictions', index, field),
        );
      }
    }
    if (typeof startHour === 'number' && typeof endHour === 'number' && startHour >= endHour) {
      error(
        'complianceRule.window',
        `startHour (${startHour}) must be before endHour (${endHour}) in ${zone}`,
        at('timeZoneRestrictions', index, 'endHour'),
        'the window is [startHour, endHour) in local time and cannot wrap past midnight',
      );
    }
  });
  if (Array.isArray(rule.dncLists)) {
    const seenLists = new Set<unknown>();
    (rule.dncLists as unknown[]).forEach((list, index) => {
      if (typeof list === 'string' && seenLists.has(list)) {
        diagnostics.push({
          severity: 'warning',
          code: 'complianceRule.duplicateDncList',
          message: `DNC list ${JSON.stringify(list)} is listed more than once`,
          at: at('dncLists', index),
          hint: 'remove the repeated entry',
        });
      }
      seenLists.add(list);
    });
  }
  if (!schemaValid) return diagnostics;
  const dncLists = rule.dncLists as string[];
  if (dncLists.length === 0) {
    error('complianceRule.noDncLists', 'dncLists must name at least one list', at('dncLists'));
  }
  const maxCallsPerDay = rule.maxCallsPerDay as number;
  if (!Number.isInteger(maxCallsPerDay) || maxCallsPerDay < 1) {
    error(
      'complianceRule.maxCallsPerDay',
      `maxCallsPerDay must be at least 1, got ${maxCallsPerDay}`,
      at('maxCallsPerDay'),
    );
  }
  const concurrencyLimit = rule.concurrencyLimit as number;
  if (!Number.isInteger(concurrencyLimit) || concurrencyLimit < 1 || concurrencyLimit > 10) {
    error(
      'complianceRule.concurrencyLimit',
      `concurrencyLimit must be between 1 and 10, got ${concurrencyLimit}`,
      at('concurrencyLimit'),
    );
  }
  const exclusions = (rule.geographicExclusions as GeographicExclusion[] | undefined) ?? [];
  exclusions.forEach((exclusion, index) => {
    if (!(Math.abs(exclusion.latitude) <= 90)) {
      error(
        'complianceRule.latitude',
        `latitude must be between -90 and 90 degrees, got ${exclusion.latitude}`,
        at('geographicExclusions', index, 'latitude'),
      );
    }
    if (!(Math.abs(exclusion.longitude) <= 180)) {
      error(
        'complianceRule.longitude',
        `longitude must be between -180 and 180 degrees, got ${exclusion.longitude}`,
        at('geographicExclusions', index, 'longitude'),
      );
    }
    if (!(exclusion.radiusKm > 0)) {
      error(
        'complianceRule.radius',
        `radiusKm must be greater than 0 km, got ${exclusion.radiusKm}`,
        at('geographicExclusions', index, 'radiusKm'),
      );
    }
  });
  return diagnostics;
}

/**
 * The rules of the given campaigns, all campaigns at once (each campaign's pages as
 * `listAllPages` reads them); the requests queue on the client's concurrency and rate limits.
 */
export async function listLiveComplianceRules(
  client: CxoneClient,
  campaignIds: Iterable<string>,
  signal?: AbortSignal,
): Promise<ComplianceRule[]> {
  const options = signal ? { signal } : {};
  const lists = await Promise.all(
    [...campaignIds].map((campaignId) => client.rules.list(campaignId, options)),
  );
  return lists.flat();
}

/**
 * The campaigns whose rules the manifests own: those `scope.campaigns` names, else those the
 * desired rules name (by name or id, or the default campaign), as far as they resolve.
 */
export function campaignsInScope(
  desired: readonly Located<DesiredComplianceRule>[],
  scope: ResolvedScope,
  refs: ReferenceIndex,
): Set<string> {
  if (scope.campaigns !== undefined) return new Set(scope.campaigns);
  const ids = new Set<string>();
  for (const { value } of desired) {
    const resolution = refs.resolveCampaign(value.campaign);
    if (resolution.ok) ids.add(resolution.value.id);
  }
  return ids;
}

/** Time-zone restrictions sorted by zone, exclusions by latitude, longitude, radius (copies). */
function sortedRuleLists(
  rule: Pick<ComplianceRuleFields, 'timeZoneRestrictions' | 'geographicExclusions'>,
): {
  timeZoneRestrictions: TimeZoneRestriction[];
  geographicExclusions: GeographicExclusion[];
} {
  const timeZoneRestrictions = rule.timeZoneRestrictions.map(
    ({ timeZone, startHour, endHour }) => ({ timeZone, startHour, endHour }),
  );
  timeZoneRestrictions.sort((a, b) => compareStrings(a.timeZone, b.timeZone));
  const geographicExclusions = (rule.geographicExclusions ?? []).map(
    ({ latitude, longitude, radiusKm }) => ({ latitude, longitude, radiusKm }),
  );
  geographicExclusions.sort(
    (a, b) => a.latitude - b.latitude || a.longitude - b.longitude || a.radiusKm - b.radiusKm,
  );
  return { timeZoneRestrictions, geographicExclusions };
}

/**
 * The comparable form of a rule: writable fields (no campaign: it is part of the key), DNC lists by
 * their labels (names), order-free lists sorted. Compared as canonical JSON, so key order only
 * matters for display: restrictions read `{timeZone, startHour, endHour}`.
 */
function comparableRule(
  rule: Omit<ComplianceRuleFields, 'dncListIds'>,
  dncListLabels: string[],
): Record<string, unknown> {
  const lists = sortedRuleLists(rule);
  return {
    concurrencyLimit: rule.concurrencyLimit,
    dncLists: dncListLabels,
    geographicExclusions: lists.geographicExclusions,
    jurisdiction: rule.jurisdiction,
    maxCallsPerDay: rule.maxCallsPerDay,
    name: rule.name,
    timeZoneRestrictions: lists.timeZoneRestrictions,
    type: rule.type,
  };
}

/** The key of a rule in plans: `<campaign label>/<rule name>`. */
export function complianceRuleKey(refs: ReferenceIndex, campaignId: string, name: string): string {
  return `${refs.campaignLabel(campaignId)}/${name}`;
}

/** The read side of compliance rules. */
export const complianceRulesLive: LiveResourceKind<DesiredComplianceRule, ComplianceRule> = {
  kind: 'complianceRule',
  memberKeys: {
    timeZoneRestrictions: 'timeZone',
    geographicExclusions: (member: GeographicExclusion) => `${member.latitude},${member.longitude}`,
  },
  // No deactivate: rules are pruned by deletion.
  pruneBehaviour: {},
  prepare: prepareComplianceRules,
  exportItem: exportComplianceRule,
};

/**
 * Both sides in comparable form. Checks: the campaign resolves (name or id, unambiguous) and is
 * in scope; every DNC list resolves; two manifest rules that name the same campaign differently do
 * not collide. A reference to an inactive DNC list stops the plan only if the rule is written.
 */
export function prepareComplianceRules(
  desired: readonly Located<DesiredComplianceRule>[],
  live: readonly ComplianceRule[],
  context: PlanContext,
): PreparedKind {
  const { refs, scope } = context;
  const owned = campaignsInScope(desired, scope, refs);
  const diagnostics: PendingDiagnostic[] = [];
  const ifChanged = new Map<string, PendingDiagnostic[]>();

  const liveEntries: LiveEntry[] = live.map((rule) => {
    const labels = [...new Set(rule.dncListIds.map((id) => refs.dncListLabel(id)))].sort(
      compareStrings,
    );
    return {
      key: complianceRuleKey(refs, rule.campaignId, rule.name),
      comparable: comparableRule(rule, labels),
      live: { id: rule.id, version: rule.version },
      owned: owned.has(rule.campaignId),
      parentId: rule.campaignId,
      labels: { campaign: refs.campaignLabel(rule.campaignId) },
    };
  });

  const desiredEntries: DesiredEntry[] = [];
  const desiredAt = new Map<string, ManifestPointer>();
  for (const { value, at } of desired) {
    const raw = context.raw(at);
    const writtenCampaign = typeof raw?.campaign === 'string';
    const ruleName = `compliance rule ${JSON.stringify(value.name)}`;
    const campaignAt = writtenCampaign ? pointerInside(at, 'campaign') : at;
    const campaign = refs.resolveCampaign(value.campaign);
    if (!campaign.ok) {
      diagnostics.push(
        referenceProblem(
          'campaign',
          value.campaign,
          campaign,
          campaignAt,
          writtenCampaign
            ? ruleName
            : `${ruleName} (default campaign from CXONE_CAMPAIGN_ID or the profile)`,
        ),
      );
      continue;
    }
    const campaignId = campaign.value.id;
    if (!owned.has(campaignId)) {
      diagnostics.push({
        severity: 'error',
        code: 'scope.outside',
        message: `${ruleName} is in campaign ${JSON.stringify(campaign.value.name)}, which scope.campaigns does not list`,
        at: campaignAt,
        hint: 'add the campaign to scope.campaigns, or remove the rule from the manifests',
      });
      continue;
    }
    const key = complianceRuleKey(refs, campaignId, value.name);
    const first = desiredAt.get(key);
    if (first) {
      diagnostics.push({
        severity: 'error',
        code: 'complianceRule.duplicate',
        message: (where) =>
          `campaign ${JSON.stringify(campaign.value.name)} has two compliance rules named ${JSON.stringify(value.name)}: here and at ${where(first)} (the campaign is written differently, by name and by id)`,
        at: pointerInside(at, 'name'),
        hint: 'rule names are unique within a campaign; remove one of them',
      });
      continue;
    }
    desiredAt.set(key, at);

    // DNC lists: resolved to ids for the body, to labels for the comparison.
    const rawLists = Array.isArray(raw?.dncLists) ? (raw.dncLists as unknown[]) : [];
    const listAt = (text: string): ManifestPointer => {
      const index = rawLists.indexOf(text);
      return index >= 0 ? pointerInside(at, 'dncLists', index) : pointerInside(at, 'dncLists');
    };
    const listIds: string[] = [];
    const inactive: PendingDiagnostic[] = [];
    for (const text of value.dncLists) {
      const list = refs.resolveDncList(text);
      if (!list.ok) {
        diagnostics.push(referenceProblem('DNC list', text, list, listAt(text), ruleName));
        continue;
      }
      if (!listIds.includes(list.value.id)) listIds.push(list.value.id);
      if (!list.value.active) {
        inactive.push({
          severity: 'error',
          code: 'reference.dncListInactive',
          message: `${ruleName} names DNC list ${JSON.stringify(text)}, which is inactive; the API refuses rules that reference inactive lists`,
          at: listAt(text),
          hint: 'remove the list from the rule, or reactivate it in CXone',
        });
      }
    }
    if (inactive.length > 0) ifChanged.set(key, inactive);
    const byLabel = listIds
      .map((id) => ({ id, label: refs.dncListLabel(id) }))
      .sort((a, b) => compareStrings(a.label, b.label));
    const lists = sortedRuleLists(value);
    desiredEntries.push({
      key,
      comparable: comparableRule(
        value,
        byLabel.map((list) => list.label),
      ),
      body: {
        name: value.name,
        type: value.type,
        jurisdiction: value.jurisdiction,
        timeZoneRestrictions: lists.timeZoneRestrictions,
        dncListIds: byLabel.map((list) => list.id),
        maxCallsPerDay: value.maxCallsPerDay,
        concurrencyLimit: value.concurrencyLimit,
        geographicExclusions: lists.geographicExclusions,
      },
      parentId: campaignId,
      labels: { campaign: refs.campaignLabel(campaignId) },
      origin: at,
    });
  }
  return { desired: desiredEntries, live: liveEntries, diagnostics, ifChanged };
}

/**
 * The live rule as a manifest item: campaign and DNC lists by name (by id where a name is shared),
 * restrictions sorted by zone, no empty `geographicExclusions`.
 */
export function exportComplianceRule(
  rule: ComplianceRule,
  refs: ReferenceIndex,
): Record<string, unknown> {
  const lists = sortedRuleLists(rule);
  const item: Record<string, unknown> = {
    campaign: refs.campaignLabel(rule.campaignId),
    name: rule.name,
    type: rule.type,
    jurisdiction: rule.jurisdiction,
    timeZoneRestrictions: lists.timeZoneRestrictions,
    dncLists: [...new Set(rule.dncListIds.map((id) => refs.dncListLabel(id)))].sort(compareStrings),
    maxCallsPerDay: rule.maxCallsPerDay,
    concurrencyLimit: rule.concurrencyLimit,
  };
  if (lists.geographicExclusions.length > 0) item.geographicExclusions = lists.geographicExclusions;
  return item;
}
