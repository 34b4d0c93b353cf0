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
  RuleHolidays,
  RuleStateRule,
  TimeZoneRestriction,
} from '../cxone/types.js';
import type { Located, ManifestPointer, PendingDiagnostic } from '../manifest/types.js';
import type { DesiredEntry, LiveEntry } from '../plan/compute.js';
import { referenceProblem, type ResolvedScope } from '../plan/scope.js';
import type { ReferenceIndex } from './references.js';
import { isKnownCountry, isUsStateCode, subdivisionsOf } from '../compliance/holidays.js';
import { isJsonObject } from '../util/json.js';
import { closestMatch } from '../util/suggest.js';
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
 * Defaults applied (campaign, `geographicExclusions: []`, `callCounting: calendar-day` left out);
 * lists whose order carries no meaning are sorted so that reordering them in a manifest changes
 * nothing: time-zone restrictions by zone and days, DNC lists by name, exclusions by latitude,
 * longitude and radius, state rules by state, holiday dates.
 */
export function normaliseComplianceRule(
  item: RawItem,
  defaults: KindDefaults,
): DesiredComplianceRule {
  const lists = canonicalRuleLists({
    timeZoneRestrictions: item.timeZoneRestrictions as TimeZoneRestriction[],
    geographicExclusions: (item.geographicExclusions as GeographicExclusion[] | undefined) ?? [],
    holidays: item.holidays as RuleHolidays | undefined,
    callCounting: item.callCounting as ComplianceRuleFields['callCounting'],
    minMinutesBetweenCalls: item.minMinutesBetweenCalls as number | undefined,
    stateRules: item.stateRules as RuleStateRule[] | undefined,
  });
  return {
    campaign: (item.campaign as string | undefined) ?? defaults.defaultCampaign ?? '',
    name: item.name as string,
    type: item.type as DesiredComplianceRule['type'],
    jurisdiction: item.jurisdiction as string,
    dncLists: [...(item.dncLists as string[])].sort(compareStrings),
    maxCallsPerDay: item.maxCallsPerDay as number,
    concurrencyLimit: item.concurrencyLimit as number,
    ...lists,
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
  // Per zone and weekday: the entry that closes it and the entry that opens a window on it.
  const dayEntries = new Map<string, { closed?: number; open?: number }>();
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
    const days = Array.isArray(restriction.days) ? restriction.days : undefined;
    if (days === undefined) {
      const firstIndex = zoneIndex.get(zone);
      if (firstIndex !== undefined) {
        error(
          'complianceRule.duplicateTimeZone',
          `time zone ${zone} appears more than once in timeZoneRestrictions (first as entry ${firstIndex + 1})`,
          at('timeZoneRestrictions', index, 'timeZone'),
          'give each zone one default window; use days: [...] entries for other windows on some days',
        );
      } else {
        zoneIndex.set(zone, index);
      }
    }
    diagnostics.push(
      ...checkWindowShape(
        restriction,
        (...path) => at('timeZoneRestrictions', index, ...path),
        schemaValid,
      ),
    );
    if (typeof startHour === 'number' && typeof endHour === 'number' && startHour >= endHour) {
      error(
        'complianceRule.window',
        `startHour (${startHour}) must be before endHour (${endHour}) in ${zone}`,
        at('timeZoneRestrictions', index, 'endHour'),
        'the window is [startHour, endHour) in local time and cannot wrap past midnight',
      );
    }
    for (const day of days ?? []) {
      if (typeof day !== 'string') continue;
      const key = `${zone}\u0000${day}`;
      const seen = dayEntries.get(key) ?? {};
      const role = restriction.closed === true ? 'closed' : 'open';
      const other = role === 'closed' ? seen.open : seen.closed;
      if (other !== undefined) {
        error(
          'complianceRule.closedDay',
          `${day} in ${zone} is closed in one entry and has a window in another (entry ${other + 1})`,
          at('timeZoneRestrictions', index, 'days'),
          'a closed day has no window: remove the window or the closed entry',
        );
      }
      seen[role] ??= index;
      dayEntries.set(key, seen);
    }
  });
  diagnostics.push(...checkHolidays(rule.holidays, at));
  diagnostics.push(...checkStateRules(rule.stateRules, at));
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

type At = (...path: (string | number)[]) => ManifestPointer;

function problem(
  code: string,
  message: string,
  at: ManifestPointer,
  hint?: string,
): PendingDiagnostic {
  return { severity: 'error', code, message, at, ...(hint === undefined ? {} : { hint }) };
}

/** Minutes after midnight of a well-formed `"HH:MM"`, else undefined (the schema reports it). */
function clockMinutes(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2]);
}

/**
 * One window entry: whole hours or "HH:MM" (not both), or `closed: true` (without a window), and
 * "HH:MM" end after start.
 */
function checkWindowShape(
  restriction: Partial<TimeZoneRestriction>,
  at: At,
  schemaValid: boolean,
): PendingDiagnostic[] {
  const diagnostics: PendingDiagnostic[] = [];
  const hours = restriction.startHour !== undefined || restriction.endHour !== undefined;
  const clock = restriction.start !== undefined || restriction.end !== undefined;
  if (hours && clock) {
    diagnostics.push(
      problem(
        'complianceRule.windowForm',
        'a window is either startHour/endHour or start/end, not both',
        at('start'),
        'keep one of the two forms',
      ),
    );
  }
  if (restriction.closed === true && (hours || clock)) {
    diagnostics.push(
      problem(
        'complianceRule.closedWithWindow',
        'closed: true goes without a window: a closed entry allows no calls',
        at('closed'),
        'remove the window, or remove closed: true',
      ),
    );
  }
  if (restriction.closed !== true && !hours && !clock && schemaValid) {
    diagnostics.push(
      problem(
        'complianceRule.noWindow',
        `the entry for ${String(restriction.timeZone)} has no window`,
        at(),
        'add start: "HH:MM" and end: "HH:MM" (or startHour/endHour), or closed: true',
      ),
    );
  }
  if (schemaValid) {
    for (const field of ['startHour', 'endHour'] as const) {
      const hour = restriction[field];
      if (hour !== undefined && (!Number.isInteger(hour) || hour < 0 || hour > 23)) {
        diagnostics.push(
          problem(
            'complianceRule.hour',
            `${field} must be between 0 and 23, got ${String(hour)}`,
            at(field),
          ),
        );
      }
    }
  }
  const start = clockMinutes(restriction.start);
  const end = clockMinutes(restriction.end);
  if (start !== undefined && end !== undefined && end <= start) {
    diagnostics.push(
      problem(
        'complianceRule.window',
        `end (${String(restriction.end)}) must be after start (${String(restriction.start)}) in ${String(restriction.timeZone)}`,
        at('end'),
        'the window is [start, end) in local time and cannot wrap past midnight; use two entries',
      ),
    );
  }
  return diagnostics;
}

/** The holiday calendar names a country and subdivision the holiday library knows. */
function checkHolidays(value: unknown, at: At): PendingDiagnostic[] {
  if (!isJsonObject(value)) return [];
  const { country, subdivision, dates } = value;
  const diagnostics: PendingDiagnostic[] = [];
  if (Array.isArray(dates)) {
    dates.forEach((date: unknown, index) => {
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return; // the schema's
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      const check = new Date(Date.UTC(year, month - 1, day));
      if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
        diagnostics.push(
          problem(
            'complianceRule.holidayDate',
            `${date} is not a date of the calendar`,
            at('holidays', 'dates', index),
          ),
        );
      }
    });
  }
  return [...diagnostics, ...checkHolidayRegion(country, subdivision, at)];
}

function checkHolidayRegion(country: unknown, subdivision: unknown, at: At): PendingDiagnostic[] {
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) return [];
  if (!isKnownCountry(country)) {
    return [
      problem(
        'complianceRule.holidayCountry',
        `the holiday library has no country ${JSON.stringify(country)}`,
        at('holidays', 'country'),
        'use an ISO 3166-1 alpha-2 code, e.g. US, GB, DE',
      ),
    ];
  }
  if (typeof subdivision === 'string' && !Object.hasOwn(subdivisionsOf(country), subdivision)) {
    const known = Object.keys(subdivisionsOf(country));
    const suggestion = closestMatch(subdivision, known);
    return [
      problem(
        'complianceRule.holidaySubdivision',
        `the holiday library has no subdivision ${JSON.stringify(subdivision)} of ${country}`,
        at('holidays', 'subdivision'),
        suggestion !== undefined
          ? `did you mean "${suggestion}"?`
          : known.length === 0
            ? `the library has no subdivisions for ${country}; leave subdivision out`
            : `known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''}`,
      ),
    ];
  }
  return [];
}

/** State rules name known US states, each once, with end after start. */
function checkStateRules(value: unknown, at: At): PendingDiagnostic[] {
  if (!Array.isArray(value)) return [];
  const diagnostics: PendingDiagnostic[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry: unknown, index) => {
    if (!isJsonObject(entry) || typeof entry.state !== 'string') return;
    const state = entry.state;
    if (/^[A-Z]{2}$/.test(state) && !isUsStateCode(state)) {
      diagnostics.push(
        problem(
          'complianceRule.state',
          `${JSON.stringify(state)} is not a US state code`,
          at('stateRules', index, 'state'),
          'use a two-letter USPS code, e.g. FL, NY, DC',
        ),
      );
    }
    const first = seen.get(state);
    if (first !== undefined) {
      diagnostics.push(
        problem(
          'complianceRule.duplicateState',
          `state ${state} has more than one state rule (first as entry ${first + 1})`,
          at('stateRules', index, 'state'),
          'merge them into one entry',
        ),
      );
    } else {
      seen.set(state, index);
    }
    const start = clockMinutes(entry.start);
    const end = clockMinutes(entry.end);
    if (start !== undefined && end !== undefined && end <= start) {
      diagnostics.push(
        problem(
          'complianceRule.window',
          `end (${String(entry.end)}) must be after start (${String(entry.start)}) in the ${state} state rule`,
          at('stateRules', index, 'end'),
        ),
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

const WEEK_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A restriction with only the keys it has, its days deduplicated in week order. */
function canonicalRestriction(restriction: TimeZoneRestriction): TimeZoneRestriction {
  const copy: TimeZoneRestriction = { timeZone: restriction.timeZone };
  if (restriction.days !== undefined) {
    copy.days = [...new Set(restriction.days)].sort(
      (a, b) => WEEK_ORDER.indexOf(a) - WEEK_ORDER.indexOf(b) || compareStrings(a, b),
    );
  }
  if (restriction.closed !== undefined) copy.closed = restriction.closed;
  if (restriction.startHour !== undefined) copy.startHour = restriction.startHour;
  if (restriction.endHour !== undefined) copy.endHour = restriction.endHour;
  if (restriction.start !== undefined) copy.start = restriction.start;
  if (restriction.end !== undefined) copy.end = restriction.end;
  return copy;
}

/** The order of restrictions: by zone, the default window first, then by days and start. */
function restrictionOrder(restriction: TimeZoneRestriction): string {
  const days = (restriction.days ?? []).map((day) => WEEK_ORDER.indexOf(day)).join(',');
  const start = restriction.start ?? String(restriction.startHour ?? '').padStart(2, '0');
  return `${days === '' ? 0 : 1}|${days}|${start}`;
}

/** The optional rule fields in canonical form (absent when not set; `calendar-day` is the default). */
type RuleOptions = Pick<
  ComplianceRuleFields,
  'holidays' | 'callCounting' | 'minMinutesBetweenCalls' | 'stateRules'
>;

function canonicalOptions(rule: RuleOptions): RuleOptions {
  const options: RuleOptions = {};
  if (rule.holidays !== undefined) {
    const holidays: RuleHolidays = {};
    if (rule.holidays.country !== undefined) holidays.country = rule.holidays.country;
    if (rule.holidays.subdivision !== undefined) holidays.subdivision = rule.holidays.subdivision;
    if (rule.holidays.dates !== undefined) {
      holidays.dates = [...new Set(rule.holidays.dates)].sort(compareStrings);
    }
    options.holidays = holidays;
  }
  if (rule.callCounting !== undefined && rule.callCounting !== 'calendar-day') {
    options.callCounting = rule.callCounting;
  }
  if (rule.minMinutesBetweenCalls !== undefined) {
    options.minMinutesBetweenCalls = rule.minMinutesBetweenCalls;
  }
  if (rule.stateRules !== undefined && rule.stateRules.length > 0) {
    options.stateRules = rule.stateRules
      .map(({ state, start, end, maxCalls, per }) => {
        const entry: RuleStateRule = { state };
        if (start !== undefined) entry.start = start;
        if (end !== undefined) entry.end = end;
        if (maxCalls !== undefined) entry.maxCalls = maxCalls;
        if (per !== undefined) entry.per = per;
        return entry;
      })
      .sort((a, b) => compareStrings(a.state, b.state));
  }
  return options;
}

/**
 * Time-zone restrictions sorted by zone (default window first, then by days), exclusions by
 * latitude, longitude, radius, state rules by state, holiday dates sorted; optional fields only
 * when set (copies).
 */
function canonicalRuleLists(
  rule: Pick<ComplianceRuleFields, 'timeZoneRestrictions' | 'geographicExclusions'> & RuleOptions,
): {
  timeZoneRestrictions: TimeZoneRestriction[];
  geographicExclusions: GeographicExclusion[];
} & RuleOptions {
  const timeZoneRestrictions = rule.timeZoneRestrictions.map(canonicalRestriction);
  timeZoneRestrictions.sort(
    (a, b) =>
      compareStrings(a.timeZone, b.timeZone) ||
      compareStrings(restrictionOrder(a), restrictionOrder(b)),
  );
  const geographicExclusions = (rule.geographicExclusions ?? []).map(
    ({ latitude, longitude, radiusKm }) => ({ latitude, longitude, radiusKm }),
  );
  geographicExclusions.sort(
    (a, b) => a.latitude - b.latitude || a.longitude - b.longitude || a.radiusKm - b.radiusKm,
  );
  return { timeZoneRestrictions, geographicExclusions, ...canonicalOptions(rule) };
}

/** The comparable form of a rule (see {@link comparableRule}). */
type ComparableRule = Record<string, unknown>;

/**
 * The comparable form of a rule: writable fields (no campaign: it is part of the key), DNC lists by
 * their labels (names), order-free lists sorted. Compared as canonical JSON, so key order only
 * matters for display: restrictions read `{timeZone, startHour, endHour}`.
 */
function comparableRule(
  rule: Omit<ComplianceRuleFields, 'dncListIds'>,
  dncListLabels: string[],
): ComparableRule {
  const { timeZoneRestrictions, geographicExclusions, ...options } = canonicalRuleLists(rule);
  return {
    concurrencyLimit: rule.concurrencyLimit,
    dncLists: dncListLabels,
    geographicExclusions,
    jurisdiction: rule.jurisdiction,
    maxCallsPerDay: rule.maxCallsPerDay,
    name: rule.name,
    timeZoneRestrictions,
    type: rule.type,
    ...options,
  };
}

/** The key of a rule in plans: `<campaign label>/<rule name>`. */
export function complianceRuleKey(refs: ReferenceIndex, campaignId: string, name: string): string {
  return `${refs.campaignLabel(campaignId)}/${name}`;
}

/** The read side of compliance rules. */
export const complianceRulesLive: LiveResourceKind<
  DesiredComplianceRule,
  ComplianceRule,
  'complianceRule'
> = {
  kind: 'complianceRule',
  memberKeys: {
    // A zone may have a default window and day entries: the zone and its days name one entry.
    timeZoneRestrictions: (member: TimeZoneRestriction) =>
      member.days === undefined ? member.timeZone : `${member.timeZone} ${member.days.join(',')}`,
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
): PreparedKind<'complianceRule', ComparableRule> {
  const { refs, scope } = context;
  const owned = campaignsInScope(desired, scope, refs);
  const diagnostics: PendingDiagnostic[] = [];
  const ifChanged = new Map<string, PendingDiagnostic[]>();

  const liveEntries: LiveEntry<ComparableRule>[] = live.map((rule) => {
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

  const desiredEntries: DesiredEntry<'complianceRule', ComparableRule>[] = [];
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
    const lists = canonicalRuleLists(value);
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
        ...canonicalOptions(value),
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
  const { timeZoneRestrictions, geographicExclusions, ...options } = canonicalRuleLists(rule);
  const item: Record<string, unknown> = {
    campaign: refs.campaignLabel(rule.campaignId),
    name: rule.name,
    type: rule.type,
    jurisdiction: rule.jurisdiction,
    timeZoneRestrictions,
    dncLists: [...new Set(rule.dncListIds.map((id) => refs.dncListLabel(id)))].sort(compareStrings),
    maxCallsPerDay: rule.maxCallsPerDay,
    concurrencyLimit: rule.concurrencyLimit,
  };
  if (geographicExclusions.length > 0) item.geographicExclusions = geographicExclusions;
  return { ...item, ...options };
}
