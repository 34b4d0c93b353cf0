/**
 * Offline evaluation of one call attempt against one compliance rule (docs/compliance.md).
 *
 * Every constraint the rule declares applies, whatever its `type`; the reported reason, when several
 * checks block, follows {@link REASON_PRECEDENCE}. Pure and deterministic: the same rule and call give
 * the same verdict on every machine, whatever its clock or zone. docs/compliance.md has the semantics.
 */
import { haversineKm, type GeoExclusion } from './geo.js';
import { parseInstant } from './instant.js';
import {
  formatHour,
  formatLocalTime,
  isValidTimeZone,
  isWithinWindow,
  localTimeAt,
  runtimeTreatsAsSameZone,
  sameTimeZoneName,
  type LocalTime,
} from './timeWindow.js';
import {
  REASON_PRECEDENCE,
  type BlockReason,
  type CallAttempt,
  type CallProblem,
  type CheckOutcome,
  type EvaluatedRule,
  type Evaluation,
} from './types.js';

/** A call that passed validation, with its instant parsed and defaults filled in. */
export interface ValidCall {
  /** The number, or `the callee` when the test gives none (messages only). */
  phone: string;
  epochMs: number;
  timeZone: string;
  position: { latitude: number; longitude: number } | undefined;
  callsToday: number;
  onDncLists: readonly string[];
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Check a call attempt's own fields. Values are checked at run time too (not just typed), because a
 * call comes from a hand-written manifest.
 */
export function validateCall(
  call: CallAttempt,
): { ok: true; call: ValidCall } | { ok: false; problems: CallProblem[] } {
  const problems: CallProblem[] = [];
  // Read through `unknown` so the checks stay meaningful for data that only claims to be a call.
  const raw = call as unknown as Record<string, unknown>;

  // The number is optional (the manifest schema does not require it): it only appears in messages.
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

  if (typeof raw.timeZone !== 'string' || !isValidTimeZone(raw.timeZone)) {
    problems.push({
      field: 'timeZone',
      message: `timeZone ${JSON.stringify(raw.timeZone)} is not a known IANA time zone (e.g. America/New_York)`,
    });
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
    let ok = true;
    if (!isFiniteNumber(latitude) || latitude < -90 || latitude > 90) {
      problems.push({ field: 'latitude', message: 'latitude must be a number in -90..90' });
      ok = false;
    }
    if (!isFiniteNumber(longitude) || longitude < -180 || longitude > 180) {
      problems.push({ field: 'longitude', message: 'longitude must be a number in -180..180' });
      ok = false;
    }
    if (ok) position = { latitude: latitude as number, longitude: longitude as number };
  }

  const callsToday = raw.callsToday ?? 0;
  if (!Number.isSafeInteger(callsToday) || (callsToday as number) < 0) {
    problems.push({
      field: 'callsToday',
      message: `callsToday must be a whole number >= 0, not ${JSON.stringify(callsToday)}`,
    });
  }

  const onDncLists = raw.onDncLists ?? [];
  if (!Array.isArray(onDncLists) || !onDncLists.every((entry) => typeof entry === 'string')) {
    problems.push({
      field: 'onDncLists',
      message: 'onDncLists must be a list of DNC list names or ids',
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    call: {
      phone: (raw.phone as string | undefined) ?? 'the callee',
      epochMs,
      timeZone: raw.timeZone as string,
      position,
      callsToday: callsToday as number,
      onDncLists: onDncLists as string[],
    },
  };
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

function checkTimeWindow(rule: EvaluatedRule, call: ValidCall, local: LocalTime): CheckOutcome {
  const windows = rule.timeZoneRestrictions.filter((window) =>
    sameTimeZoneName(window.timeZone, call.timeZone),
  );
  const when = `${formatLocalTime(local)} in ${call.timeZone}`;
  if (windows.length === 0) {
    const covered = rule.timeZoneRestrictions.map((window) => window.timeZone);
    const alias = covered.find((zone) => runtimeTreatsAsSameZone(zone, call.timeZone));
    const aliasNote =
      alias === undefined
        ? ''
        : `; ${call.timeZone} is another name for ${alias}, write the zone the way the rule does`;
    const coveredNote = covered.length > 0 ? ` (it covers ${covered.join(', ')})` : '';
    return {
      check: 'time-window',
      outcome: 'blocked',
      detail: `the rule has no calling window for ${call.timeZone}${coveredNote}, so the call is blocked (fail closed)${aliasNote}`,
    };
  }
  // Each zone should appear once (the API enforces it); if it appears more often, every window must
  // allow the call, the strictest reading.
  const outside = windows.find(
    (window) => !isWithinWindow(local, window.startHour, window.endHour),
  );
  if (outside !== undefined) {
    return {
      check: 'time-window',
      outcome: 'blocked',
      detail: `${when} is outside the calling window ${formatHour(outside.startHour)}-${formatHour(outside.endHour)}`,
    };
  }
  const spans = windows
    .map((window) => `${formatHour(window.startHour)}-${formatHour(window.endHour)}`)
    .join(' and ');
  return {
    check: 'time-window',
    outcome: 'passed',
    detail: `${when} is inside the calling window ${spans}`,
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

function checkFrequency(rule: EvaluatedRule, call: ValidCall): CheckOutcome {
  const calls = call.callsToday === 1 ? '1 call' : `${call.callsToday} calls`;
  if (call.callsToday >= rule.maxCallsPerDay) {
    return {
      check: 'frequency',
      outcome: 'blocked',
      detail: `${calls} already made today reaches the limit of ${rule.maxCallsPerDay} per day`,
    };
  }
  return {
    check: 'frequency',
    outcome: 'passed',
    detail: `${calls} made today, below the limit of ${rule.maxCallsPerDay} per day`,
  };
}

/**
 * Evaluate a call attempt against a rule.
 *
 * - `invalid` when the call itself is malformed (bad instant, unknown zone, ...): no exception.
 * - `blocked` when any check blocks; `reason` is the first blocking check in
 *   {@link REASON_PRECEDENCE} (dnc, time-window, geo, frequency) and `blockedBy` lists all of them.
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
  const localTime = localTimeAt(valid.epochMs, valid.timeZone);
  const byCheck: Record<BlockReason, CheckOutcome> = {
    dnc: checkDnc(rule, valid),
    'time-window': checkTimeWindow(rule, valid, localTime),
    geo: checkGeo(rule, valid),
    frequency: checkFrequency(rule, valid),
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
