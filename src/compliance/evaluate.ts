/**
 * Offline evaluation of one call attempt against one compliance rule (docs/compliance.md).
 *
 * Every constraint the rule declares applies, whatever its `type`; the reported reason, when several
 * checks block, follows {@link REASON_PRECEDENCE}. Pure and deterministic: the same rule and call give
 * the same verdict on every machine, whatever its clock or zone. docs/compliance.md has the semantics.
 */
import { haversineKm, type GeoExclusion } from './geo.js';
import { parseInstant } from './instant.js';
import { isUsStateCode, publicHolidayOn } from './holidays.js';
import { zonesOfPhone } from './phoneZones.js';
import {
  describeSchedule,
  describeSlots,
  scheduleAllows,
  scheduleOn,
  type Slot,
} from './schedule.js';
import {
  formatLocalDate,
  formatLocalTime,
  isValidTimeZone,
  localTimeAt,
  parseClock,
  runtimeTreatsAsSameZone,
  sameTimeZoneName,
  weekdayIndex,
  type LocalTime,
} from './timeWindow.js';
import {
  REASON_PRECEDENCE,
  WEEKDAYS,
  type BlockReason,
  type CallAttempt,
  type CallCounting,
  type CallProblem,
  type CheckOutcome,
  type EvaluatedRule,
  type Evaluation,
  type HolidayCalendar,
  type StateRule,
} from './types.js';

/** A call that passed validation, with its instant parsed and defaults filled in. */
export interface ValidCall {
  /** The number, or `the callee` when the test gives none (messages only). */
  phone: string;
  epochMs: number;
  /** The callee's candidate zones: the call's own, or those of its number (maybe none). */
  timeZones: string[];
  /** Where the zones come from, for messages. */
  zoneSource: 'call' | 'phone';
  /** Why the number gave no zone, when it gave none. */
  zoneProblem?: string;
  state: string | undefined;
  position: { latitude: number; longitude: number } | undefined;
  callsToday: number;
  onDncLists: readonly string[];
  /** Earlier attempts, epoch milliseconds, each before `epochMs`. */
  previousCalls: number[];
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The most earlier attempts one call may list; more is a malformed call, not a slow one. */
export const MAX_PREVIOUS_CALLS = 1_000;

function checkPreviousCalls(raw: unknown, epochMs: number, problems: CallProblem[]): number[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_PREVIOUS_CALLS) {
    problems.push({
      field: 'previousCalls',
      message: `previousCalls must be a list of at most ${MAX_PREVIOUS_CALLS} RFC 3339 instants`,
    });
    return [];
  }
  const instants: number[] = [];
  raw.forEach((entry: unknown, index) => {
    const instant = typeof entry === 'string' ? parseInstant(entry) : undefined;
    if (instant === undefined || !instant.ok) {
      problems.push({
        field: 'previousCalls',
        message: `previousCalls[${index}]: ${instant?.message ?? 'must be an RFC 3339 instant written as a string'}`,
      });
    } else if (Number.isFinite(epochMs) && instant.epochMs >= epochMs) {
      problems.push({
        field: 'previousCalls',
        message: `previousCalls[${index}] (${String(entry)}) is not before the attempt's at`,
      });
    } else {
      instants.push(instant.epochMs);
    }
  });
  return instants;
}

/**
 * Check a call attempt's own fields. Values are checked at run time too (not just typed), because a
 * call comes from a hand-written manifest or a dialer export.
 */
export function validateCall(
  call: CallAttempt,
): { ok: true; call: ValidCall } | { ok: false; problems: CallProblem[] } {
  const problems: CallProblem[] = [];
  // Read through a record so the checks stay meaningful for data that only claims to be a call.
  const raw: Record<string, unknown> = { ...call };

  // The number is optional when the call names its zone: then it only appears in messages.
  if (raw.phone !== undefined && (typeof raw.phone !== 'string' || raw.phone.trim() === '')) {
    problems.push({ field: 'phone', message: 'phone must be a non-empty string when given' });
  }

  let epochMs = Number.NaN;
  if (typeof raw.at !== 'string') {
    problems.push({ field: 'at', message: 'at must be an RFC 3339 instant written as a string' });
  } else {
    const instant = parseInstant(raw.at);
    if (instant.ok) epochMs = instant.epochMs;
    else problems.push({ field: 'at', message: instant.message });
  }

  let timeZones: string[] = [];
  let zoneSource: ValidCall['zoneSource'] = 'call';
  let zoneProblem: string | undefined;
  if (raw.timeZone !== undefined) {
    if (typeof raw.timeZone !== 'string' || !isValidTimeZone(raw.timeZone)) {
      problems.push({
        field: 'timeZone',
        message: `timeZone ${JSON.stringify(raw.timeZone)} is not a known IANA time zone (e.g. America/New_York)`,
      });
    } else {
      timeZones = [raw.timeZone];
    }
  } else if (typeof raw.phone === 'string' && raw.phone.trim() !== '') {
    zoneSource = 'phone';
    const fromPhone = zonesOfPhone(raw.phone);
    if (fromPhone.ok) {
      timeZones = fromPhone.zones.filter(isValidTimeZone);
      if (timeZones.length === 0) zoneProblem = `no zone of ${fromPhone.e164} is known here`;
    } else {
      zoneProblem = fromPhone.message;
    }
  } else if (raw.phone === undefined) {
    problems.push({
      field: 'timeZone',
      message: 'the call needs a timeZone, or a phone number to take the zones from',
    });
  }

  let state: string | undefined;
  if (raw.state !== undefined) {
    if (typeof raw.state !== 'string' || !isUsStateCode(raw.state)) {
      problems.push({
        field: 'state',
        message: `state ${JSON.stringify(raw.state)} is not a US state code (e.g. FL)`,
      });
    } else {
      state = raw.state;
    }
  }

  let position: ValidCall['position'];
  const hasLatitude = raw.latitude !== undefined;
  const hasLongitude = raw.longitude !== undefined;
  if (hasLatitude !== hasLongitude) {
    const missing = hasLatitude ? 'longitude' : 'latitude';
    problems.push({
      field: missing,
      message: `latitude and longitude go together; ${missing} is missing`,
    });
  } else if (hasLatitude) {
    const { latitude, longitude } = raw;
    if (!isFiniteNumber(latitude) || latitude < -90 || latitude > 90) {
      problems.push({ field: 'latitude', message: 'latitude must be a number in -90..90' });
    } else if (!isFiniteNumber(longitude) || longitude < -180 || longitude > 180) {
      problems.push({ field: 'longitude', message: 'longitude must be a number in -180..180' });
    } else {
      position = { latitude, longitude };
    }
  }

  const callsToday = raw.callsToday ?? 0;
  if (typeof callsToday !== 'number' || !Number.isSafeInteger(callsToday) || callsToday < 0) {
    problems.push({
      field: 'callsToday',
      message: `callsToday must be a whole number >= 0, not ${JSON.stringify(callsToday)}`,
    });
  }

  const onDncLists = raw.onDncLists ?? [];
  const dncNames: string[] = [];
  if (!Array.isArray(onDncLists) || !onDncLists.every((entry) => typeof entry === 'string')) {
    problems.push({
      field: 'onDncLists',
      message: 'onDncLists must be a list of DNC list names or ids',
    });
  } else {
    dncNames.push(...onDncLists);
  }

  const previousCalls = checkPreviousCalls(raw.previousCalls, epochMs, problems);

  if (problems.length > 0) return { ok: false, problems };
  const valid: ValidCall = {
    phone: typeof raw.phone === 'string' ? raw.phone : 'the callee',
    epochMs,
    timeZones,
    zoneSource,
    state,
    position,
    callsToday: callsToday as number,
    onDncLists: dncNames,
    previousCalls,
  };
  if (zoneProblem !== undefined) valid.zoneProblem = zoneProblem;
  return { ok: true, call: valid };
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

function checkDnc(rule: EvaluatedRule, call: ValidCall): CheckOutcome {
  const ruleLists = new Set(rule.dncLists);
  const hits = [...new Set(call.onDncLists.filter((list) => ruleLists.has(list)))];
  if (hits.length > 0) {
    const noun = hits.length === 1 ? 'DNC list' : 'DNC lists';
    return {
      check: 'dnc',
      outcome: 'blocked',
      detail: `${call.phone} is on ${noun} ${quoteList(hits)}, which the rule checks`,
    };
  }
  const others = call.onDncLists.length > 0 ? `; it is only on ${quoteList(call.onDncLists)}` : '';
  return {
    check: 'dnc',
    outcome: 'passed',
    detail: `${call.phone} is not on the rule's DNC lists (${quoteList(rule.dncLists)})${others}`,
  };
}

/** The callee's local time in each candidate zone. */
interface ZoneTime {
  zone: string;
  local: LocalTime;
}

function stateRuleOf(rule: EvaluatedRule, call: ValidCall): StateRule | undefined {
  if (call.state === undefined) return undefined;
  return rule.stateRules?.find((entry) => entry.state === call.state);
}

/** A state rule's window; a missing bound is the day's edge, a malformed one allows nothing. */
function stateSlot(stateRule: StateRule): Slot | undefined {
  const start = stateRule.start === undefined ? 0 : parseClock(stateRule.start);
  const end = stateRule.end === undefined ? 24 * 60 : parseClock(stateRule.end);
  if (start === undefined || end === undefined || end <= start) return undefined;
  return { start, end };
}

function zoneWord(call: ValidCall): string {
  return call.zoneSource === 'phone' ? ` (a zone of ${call.phone})` : '';
}

/** Why one zone's window blocks the call, or undefined when it allows it. */
function windowVerdict(
  rule: EvaluatedRule,
  call: ValidCall,
  { zone, local }: ZoneTime,
): { blocked: boolean; detail: string } {
  const when = `${formatLocalTime(local)} in ${zone}${zoneWord(call)}`;
  const windows = rule.timeZoneRestrictions.filter((window) =>
    sameTimeZoneName(window.timeZone, zone),
  );
  if (windows.length === 0) {
    const covered = [...new Set(rule.timeZoneRestrictions.map((window) => window.timeZone))];
    const alias = covered.find((name) => runtimeTreatsAsSameZone(name, zone));
    const aliasNote =
      alias === undefined
        ? ''
        : `; ${zone} is another name for ${alias}, write the zone the way the rule does`;
    const coveredNote = covered.length > 0 ? ` (it covers ${covered.join(', ')})` : '';
    return {
      blocked: true,
      detail: `the rule has no calling window for ${zone}${zoneWord(call)}${coveredNote}, so the call is blocked (fail closed)${aliasNote}`,
    };
  }
  const weekday = WEEKDAYS[weekdayIndex(local)] ?? 'mon';
  const schedule = scheduleOn(windows, weekday);
  const minute = local.hour * 60 + local.minute;
  const described = describeSchedule(schedule);
  if (!scheduleAllows(schedule, minute)) {
    const why =
      schedule.closed || schedule.source === 'none'
        ? `${when} falls on a day the rule allows no calls: ${described}`
        : `${when} is outside ${described}`;
    return { blocked: true, detail: why };
  }
  const stateRule = stateRuleOf(rule, call);
  if (stateRule !== undefined && (stateRule.start !== undefined || stateRule.end !== undefined)) {
    const slot = stateSlot(stateRule);
    const span = slot === undefined ? 'an empty window' : describeSlots([slot]);
    if (slot === undefined || minute < slot.start || minute >= slot.end) {
      return {
        blocked: true,
        detail: `${when} is inside ${described} but outside the ${stateRule.state} state rule's window ${span}`,
      };
    }
    return {
      blocked: false,
      detail: `${when} is inside ${described} and the ${stateRule.state} state rule's window ${span}`,
    };
  }
  return { blocked: false, detail: `${when} is inside ${described}` };
}

function checkTimeWindow(rule: EvaluatedRule, call: ValidCall, zones: ZoneTime[]): CheckOutcome {
  if (zones.length === 0) {
    return {
      check: 'time-window',
      outcome: 'blocked',
      detail: `no time zone is known for the callee (${call.zoneProblem ?? 'the call names none'}), so the call is blocked (fail closed)`,
    };
  }
  const verdicts = zones.map((zone) => windowVerdict(rule, call, zone));
  const blocked = verdicts.find((verdict) => verdict.blocked);
  const many =
    zones.length > 1 ? ` (allowed only if every one of its ${zones.length} zones allows it)` : '';
  if (blocked !== undefined) {
    return { check: 'time-window', outcome: 'blocked', detail: `${blocked.detail}${many}` };
  }
  return {
    check: 'time-window',
    outcome: 'passed',
    detail: verdicts.map((verdict) => verdict.detail).join('; '),
  };
}

function describeCalendar(holidays: HolidayCalendar): string {
  if (holidays.country === undefined) return "the rule's holiday dates";
  const region =
    holidays.subdivision === undefined
      ? holidays.country
      : `${holidays.country}-${holidays.subdivision}`;
  return `the public holidays of ${region}`;
}

function checkHoliday(rule: EvaluatedRule, call: ValidCall, zones: ZoneTime[]): CheckOutcome {
  const holidays = rule.holidays;
  if (holidays === undefined) {
    return { check: 'holiday', outcome: 'skipped', detail: 'the rule has no holidays' };
  }
  const dates = new Set(holidays.dates ?? []);
  for (const { zone, local } of zones) {
    const date = formatLocalDate(local);
    const where = zones.length > 1 ? ` in ${zone}` : '';
    if (dates.has(date)) {
      return {
        check: 'holiday',
        outcome: 'blocked',
        detail: `${date}${where} is a holiday the rule lists (holidays.dates)`,
      };
    }
    if (holidays.country !== undefined) {
      const hit = publicHolidayOn(holidays.country, holidays.subdivision, date);
      if (hit !== undefined) {
        return {
          check: 'holiday',
          outcome: 'blocked',
          detail: `${date}${where} is ${hit.name}, one of ${describeCalendar(holidays)}`,
        };
      }
    }
  }
  const days = [...new Set(zones.map(({ local }) => formatLocalDate(local)))].join(', ');
  const listed =
    holidays.dates !== undefined && holidays.country !== undefined ? ' nor a listed date' : '';
  return {
    check: 'holiday',
    outcome: 'passed',
    detail: `${days || 'the day'} is not one of ${describeCalendar(holidays)}${listed}`,
  };
}

function formatKm(km: number): string {
  return km < 10 ? km.toFixed(2) : km.toFixed(1);
}

function formatPoint(point: { latitude: number; longitude: number }): string {
  return `${point.latitude}, ${point.longitude}`;
}

function describeExclusion(exclusion: GeoExclusion): string {
  return `the exclusion around ${formatPoint(exclusion)} (radius ${exclusion.radiusKm} km)`;
}

function checkGeo(rule: EvaluatedRule, call: ValidCall): CheckOutcome {
  const exclusions = rule.geographicExclusions ?? [];
  if (exclusions.length === 0) {
    return { check: 'geo', outcome: 'skipped', detail: 'the rule has no geographic exclusions' };
  }
  if (call.position === undefined) {
    return {
      check: 'geo',
      outcome: 'skipped',
      detail: 'the call has no coordinates, so geographic exclusions do not apply',
    };
  }
  const position = call.position;
  const distances = exclusions.map((exclusion) => haversineKm(position, exclusion));
  // Blocked: name the first exclusion, in the rule's order, that contains the callee.
  const containing = exclusions.findIndex(
    (exclusion, index) => (distances[index] ?? Number.POSITIVE_INFINITY) <= exclusion.radiusKm,
  );
  if (containing >= 0) {
    const exclusion = exclusions[containing] as GeoExclusion;
    return {
      check: 'geo',
      outcome: 'blocked',
      detail: `the callee at ${formatPoint(position)} is ${formatKm(distances[containing] ?? 0)} km from the centre of ${describeExclusion(exclusion)}`,
    };
  }
  // Allowed: name the exclusion whose edge is nearest.
  let nearest = 0;
  let nearestMargin = Number.POSITIVE_INFINITY;
  exclusions.forEach((exclusion, index) => {
    const margin = (distances[index] ?? Number.POSITIVE_INFINITY) - exclusion.radiusKm;
    if (margin < nearestMargin) {
      nearest = index;
      nearestMargin = margin;
    }
  });
  const about = describeExclusion(exclusions[nearest] as GeoExclusion);
  const count =
    exclusions.length === 1 ? 'the only exclusion' : `all ${exclusions.length} exclusions`;
  return {
    check: 'geo',
    outcome: 'passed',
    detail: `the callee at ${formatPoint(position)} is outside ${count}, ${formatKm(nearestMargin)} km beyond the edge of ${about}`,
  };
}

/** A call limit and where it comes from. */
interface CallLimit {
  max: number;
  per: CallCounting;
  source: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function limitsOf(rule: EvaluatedRule, call: ValidCall): CallLimit[] {
  const counting = rule.callCounting ?? 'calendar-day';
  const limits: CallLimit[] = [{ max: rule.maxCallsPerDay, per: counting, source: '' }];
  const stateRule = stateRuleOf(rule, call);
  if (stateRule?.maxCalls !== undefined) {
    limits.push({
      max: stateRule.maxCalls,
      per: stateRule.per ?? counting,
      source: ` of the ${stateRule.state} state rule`,
    });
  }
  return limits;
}

/**
 * Calls already made in the limit's period: `callsToday` and the earlier attempts that fall in
 * the period, whichever is more (they may describe the same calls). A calendar day is the
 * callee's local day, in every candidate zone; the largest count wins.
 */
function countCalls(per: CallCounting, call: ValidCall, zones: ZoneTime[]): number {
  let counted: number;
  if (per === 'rolling-24h') {
    counted = call.previousCalls.filter((at) => call.epochMs - at < DAY_MS).length;
  } else {
    counted = 0;
    for (const { zone, local } of zones) {
      const today = formatLocalDate(local);
      const sameDay = call.previousCalls.filter(
        (at) => formatLocalDate(localTimeAt(at, zone)) === today,
      ).length;
      counted = Math.max(counted, sameDay);
    }
  }
  return Math.max(counted, call.callsToday);
}

function periodWords(per: CallCounting): { made: string; limit: string } {
  return per === 'rolling-24h'
    ? { made: 'in the last 24 hours', limit: 'per rolling 24 hours' }
    : { made: 'today', limit: 'per day' };
}

function plural(count: number): string {
  return count === 1 ? '1 call' : `${count} calls`;
}

function checkFrequency(rule: EvaluatedRule, call: ValidCall, zones: ZoneTime[]): CheckOutcome {
  const outcomes = limitsOf(rule, call).map((limit) => {
    const count = countCalls(limit.per, call, zones);
    const words = periodWords(limit.per);
    return {
      blocked: count >= limit.max,
      detail:
        count >= limit.max
          ? `${plural(count)} already made ${words.made} reaches the limit of ${limit.max} ${words.limit}${limit.source}`
          : `${plural(count)} made ${words.made}, below the limit of ${limit.max} ${words.limit}${limit.source}`,
    };
  });
  const blocked = outcomes.find((outcome) => outcome.blocked);
  if (blocked !== undefined)
    return { check: 'frequency', outcome: 'blocked', detail: blocked.detail };
  return {
    check: 'frequency',
    outcome: 'passed',
    detail: outcomes.map((outcome) => outcome.detail).join('; '),
  };
}

function checkSpacing(rule: EvaluatedRule, call: ValidCall): CheckOutcome {
  const minimum = rule.minMinutesBetweenCalls;
  if (minimum === undefined) {
    return { check: 'spacing', outcome: 'skipped', detail: 'the rule sets no minimum spacing' };
  }
  if (call.previousCalls.length === 0) {
    return {
      check: 'spacing',
      outcome: 'passed',
      detail: `no earlier call is given, so the ${minimum}-minute spacing is kept`,
    };
  }
  const latest = Math.max(...call.previousCalls);
  const minutes = Math.floor((call.epochMs - latest) / 60_000);
  if (call.epochMs - latest < minimum * 60_000) {
    return {
      check: 'spacing',
      outcome: 'blocked',
      detail: `the last call was ${minutes} minutes earlier (${new Date(latest).toISOString()}), less than the rule's minMinutesBetweenCalls of ${minimum}`,
    };
  }
  return {
    check: 'spacing',
    outcome: 'passed',
    detail: `the last call was ${minutes} minutes earlier, at least the rule's ${minimum} minutes`,
  };
}

/**
 * Evaluate a call attempt against a rule.
 *
 * - `invalid` when the call itself is malformed (bad instant, unknown zone, ...): no exception.
 * - `blocked` when any check blocks; `reason` is the first blocking check in
 *   {@link REASON_PRECEDENCE} (dnc, time-window, holiday, geo, frequency, spacing) and `blockedBy`
 *   lists all of them.
 * - `allowed` otherwise.
 */
export function evaluateCall(rule: EvaluatedRule, call: CallAttempt): Evaluation {
  const validated = validateCall(call);
  if (!validated.ok) {
    return {
      verdict: 'invalid',
      problems: validated.problems,
      detail: validated.problems.map((problem) => problem.message).join('; '),
    };
  }
  const valid = validated.call;
  const zones = valid.timeZones.map((zone) => ({ zone, local: localTimeAt(valid.epochMs, zone) }));
  const localTime = zones[0]?.local ?? localTimeAt(valid.epochMs, 'UTC');
  const byCheck: Record<BlockReason, CheckOutcome> = {
    dnc: checkDnc(rule, valid),
    'time-window': checkTimeWindow(rule, valid, zones),
    holiday: checkHoliday(rule, valid, zones),
    geo: checkGeo(rule, valid),
    frequency: checkFrequency(rule, valid, zones),
    spacing: checkSpacing(rule, valid),
  };
  const checks = REASON_PRECEDENCE.map((reason) => byCheck[reason]);
  const blockedBy = checks.filter((c) => c.outcome === 'blocked').map((c) => c.check);
  const [reason, ...others] = blockedBy;
  if (reason === undefined) {
    const detail = checks
      .filter((c) => c.outcome === 'passed')
      .map((c) => c.detail)
      .join('; ');
    return { verdict: 'allowed', detail, checks, localTime };
  }
  const also = others.length > 0 ? ` (also blocked by: ${others.join(', ')})` : '';
  return {
    verdict: 'blocked',
    reason,
    blockedBy,
    detail: `${byCheck[reason].detail}${also}`,
    checks,
    localTime,
  };
}
