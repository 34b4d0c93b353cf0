/**
 * Server-side validation of request bodies: the schema of wrap-up codes and compliance rules as the
 * simulated API enforces it (docs/cxone-api.md). Pure: callers pass in what must be looked up.
 *
 * Every check reports a {@link FieldError} with a JSON Pointer into the request body, and all
 * problems of a body are reported at once, as a 422 lists them.
 */
import { isJsonObject } from '../util/json.js';
import {
  RULE_TYPES,
  type ComplianceRuleFields,
  type DncList,
  type FieldError,
  type GeographicExclusion,
  type RuleHolidays,
  type RuleStateRule,
  type RuleType,
  type TimeZoneRestriction,
  type WrapUpCodeFields,
} from '../cxone/types.js';

/** `^[A-Z0-9][A-Z0-9_-]{1,31}$`, as the wrap-up code schema says. */
export const WRAP_UP_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;
/** Ids a seed may give its objects, and a rule body may echo: URL-safe, 1..64 characters. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/;
/** The id a client may choose for a new rule: a UUID in its 8-4-4-4-12 hex form (RFC 9562). */
export const RULE_UUID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/**
 * Fields of an older wire format, refused with the name that replaced them (so a seed or a client
 * written for the old shape learns what to change instead of reading "unknown field").
 */
const RENAMED_RULE_FIELDS: ReadonlyMap<string, string> = new Map([['dncLists', 'dncListIds']]);

const CODE_FIELDS = new Set([
  'code',
  'name',
  'category',
  'duration',
  'isActive',
  'isDefault',
  'description',
  'id',
  'version',
]);
const RULE_FIELDS = new Set([
  'name',
  'type',
  'jurisdiction',
  'timeZoneRestrictions',
  'dncListIds',
  'maxCallsPerDay',
  'concurrencyLimit',
  'geographicExclusions',
  'holidays',
  'callCounting',
  'minMinutesBetweenCalls',
  'stateRules',
  'id',
  'version',
  'campaignId',
]);
const RESTRICTION_FIELDS = new Set([
  'timeZone',
  'startHour',
  'endHour',
  'start',
  'end',
  'days',
  'closed',
]);
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const COUNTING = ['calendar-day', 'rolling-24h'];
const HOLIDAY_FIELDS = new Set(['country', 'subdivision', 'dates']);
const STATE_RULE_FIELDS = new Set(['state', 'start', 'end', 'maxCalls', 'per']);
const EXCLUSION_FIELDS = new Set(['latitude', 'longitude', 'radiusKm']);

/** Length in Unicode code points, as JSON Schema's minLength/maxLength count it. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Escape one JSON Pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

const zoneValidity = new Map<string, boolean>();

/**
 * True when `zone` names a time zone of the IANA database as the runtime's ICU knows it (links such
 * as `US/Eastern` and `UTC` included). UTC offsets such as `+05:00` are not zones and are refused.
 */
export function isIanaTimeZone(zone: string): boolean {
  const cached = zoneValidity.get(zone);
  if (cached !== undefined) return cached;
  let valid = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone) && zone.length <= 64;
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      valid = false;
    }
  }
  if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  return valid;
}

/** Collects field errors under a base pointer. */
class FieldErrors {
  constructor(readonly list: FieldError[] = []) {}
  add(pointer: string, message: string): void {
    this.list.push({ field: pointer, message });
  }
}

function unknownFields(
  body: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  pointer: string,
  errors: FieldErrors,
  renamed: ReadonlyMap<string, string> = new Map(),
): void {
  for (const key of Object.keys(body)) {
    if (allowed.has(key)) continue;
    const newName = renamed.get(key);
    errors.add(
      `${pointer}/${pointerSegment(key)}`,
      newName === undefined ? 'unknown field' : `unknown field: renamed to "${newName}"`,
    );
  }
}

function requireString(
  body: Record<string, unknown>,
  key: string,
  pointer: string,
  errors: FieldErrors,
  check: (value: string) => string | undefined,
): string | undefined {
  const value = body[key];
  const at = `${pointer}/${key}`;
  if (value === undefined) {
    errors.add(at, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.add(at, 'must be a string');
    return undefined;
  }
  const problem = check(value);
  if (problem) {
    errors.add(at, problem);
    return undefined;
  }
  return value;
}

function requireInteger(
  value: unknown,
  at: string,
  errors: FieldErrors,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) {
    errors.add(at, 'is required');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.add(at, 'must be an integer');
    return undefined;
  }
  if (value < min || value > max) {
    errors.add(
      at,
      max === Number.MAX_SAFE_INTEGER
        ? `must be at least ${min}`
        : `must be between ${min} and ${max}`,
    );
    return undefined;
  }
  return value;
}

function requireNumber(
  value: unknown,
  at: string,
  errors: FieldErrors,
  range: { min: number; max?: number; exclusiveMin?: boolean },
): number | undefined {
  if (value === undefined) {
    errors.add(at, 'is required');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    errors.add(at, 'must be a number');
    return undefined;
  }
  const belowMin = range.exclusiveMin ? value <= range.min : value < range.min;
  if (belowMin || (range.max !== undefined && value > range.max)) {
    errors.add(
      at,
      range.max === undefined
        ? `must be greater than ${range.min}`
        : `must be between ${range.min} and ${range.max}`,
    );
    return undefined;
  }
  return value;
}

function optionalBoolean(
  body: Record<string, unknown>,
  key: string,
  fallback: boolean,
  pointer: string,
  errors: FieldErrors,
): boolean {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    errors.add(`${pointer}/${key}`, 'must be true or false');
    return fallback;
  }
  return value;
}

/**
 * Check one wrap-up code body against the schema; `pointer` is where it sits in the request body
 * (`''` for a single object, `/3` for item 3 of a batch). `id` and `version` are ignored, a
 * `description` of `null` or `""` means none. Returns the fields, or undefined after adding errors.
 */
export function checkWrapUpCodeBody(
  input: unknown,
  pointer: string,
  errorList: FieldError[],
): WrapUpCodeFields | undefined {
  const errors = new FieldErrors(errorList);
  const before = errorList.length;
  if (!isJsonObject(input)) {
    errors.add(pointer, 'must be a wrap-up code object');
    return undefined;
  }
  unknownFields(input, CODE_FIELDS, pointer, errors);
  const code = requireString(input, 'code', pointer, errors, (value) =>
    WRAP_UP_CODE_PATTERN.test(value)
      ? undefined
      : 'must match ^[A-Z0-9][A-Z0-9_-]{1,31}$ (2..32 upper-case letters, digits, _ or -)',
  );
  const name = requireString(input, 'name', pointer, errors, (value) => {
    const length = codePointLength(value);
    return length >= 1 && length <= 100 ? undefined : 'must be 1..100 characters';
  });
  const category = requireString(input, 'category', pointer, errors, (value) =>
    value.length > 0 ? undefined : 'must not be empty',
  );
  const duration = requireInteger(input.duration, `${pointer}/duration`, errors, 1, 7200);
  const isActive = optionalBoolean(input, 'isActive', true, pointer, errors);
  const isDefault = optionalBoolean(input, 'isDefault', false, pointer, errors);
  let description: string | undefined;
  const rawDescription = input.description;
  if (rawDescription !== undefined && rawDescription !== null) {
    if (typeof rawDescription !== 'string') {
      errors.add(`${pointer}/description`, 'must be a string');
    } else if (codePointLength(rawDescription) > 500) {
      errors.add(`${pointer}/description`, 'must be at most 500 characters');
    } else if (rawDescription !== '') {
      description = rawDescription;
    }
  }
  if (errorList.length > before) return undefined;
  const fields: WrapUpCodeFields = {
    code: code!,
    name: name!,
    category: category!,
    duration: duration!,
    isActive,
    isDefault,
  };
  if (description !== undefined) fields.description = description;
  return fields;
}

/** What rule validation needs to know about the tenant. */
export interface RuleContext {
  /** DNC lists by id. */
  dncLists: ReadonlyMap<string, DncList>;
  /** The campaign in the request path. */
  campaignId: string;
  /** True for a create: an `id` in the body is the client's choice, and must be a UUID. */
  chosenId?: boolean;
}

/** A rule body that passed validation, with the extra keys a request may carry. */
export interface CheckedRuleBody {
  fields: ComplianceRuleFields;
  /** A client-chosen id (POST) or the echoed id (PUT), when the body has one. */
  id?: string;
}

function checkRestrictions(value: unknown, pointer: string, errors: FieldErrors) {
  const at = `${pointer}/timeZoneRestrictions`;
  if (value === undefined) {
    errors.add(at, 'is required');
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.add(at, 'must be an array');
    return undefined;
  }
  if (value.length === 0) {
    errors.add(at, 'must list at least one time zone');
    return undefined;
  }
  const result: TimeZoneRestriction[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, index) => {
    const itemAt = `${at}/${index}`;
    if (!isJsonObject(item)) {
      errors.add(itemAt, 'must be an object {timeZone, startHour, endHour}');
      return;
    }
    unknownFields(item, RESTRICTION_FIELDS, itemAt, errors);
    const days = checkDays(item.days, `${itemAt}/days`, errors);
    const key = `${String(item.timeZone)} ${(days ?? []).join(',')}`;
    const timeZone = requireString(item, 'timeZone', itemAt, errors, (zone) => {
      if (!isIanaTimeZone(zone)) return `"${zone}" is not an IANA time zone`;
      if (seen.has(key)) return `time zone "${zone}" is listed more than once for the same days`;
      seen.add(key);
      return undefined;
    });
    const window = checkWindow(item, itemAt, errors);
    if (timeZone !== undefined && window !== undefined) {
      const restriction: TimeZoneRestriction = { timeZone, ...window };
      if (days !== undefined) restriction.days = days;
      result.push(restriction);
    }
  });
  return result;
}

function checkDays(value: unknown, at: string, errors: FieldErrors): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((day) => typeof day === 'string' && WEEKDAYS.includes(day)) ||
    new Set(value).size !== value.length
  ) {
    errors.add(at, `must be a non-empty list of distinct days (${WEEKDAYS.join(', ')})`);
    return undefined;
  }
  return value as string[];
}

function optionalClock(
  item: Record<string, unknown>,
  key: string,
  at: string,
  errors: FieldErrors,
) {
  const value = item[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CLOCK.test(value)) {
    errors.add(`${at}/${key}`, 'must be a local time "HH:MM" (00:00..23:59)');
    return undefined;
  }
  return value;
}

/** A window: startHour/endHour, or start/end ("HH:MM"), or closed: true; never two of them. */
function checkWindow(
  item: Record<string, unknown>,
  itemAt: string,
  errors: FieldErrors,
): Omit<TimeZoneRestriction, 'timeZone' | 'days'> | undefined {
  const before = errors.list.length;
  const closed = item.closed;
  if (closed !== undefined && typeof closed !== 'boolean') {
    errors.add(`${itemAt}/closed`, 'must be true or false');
  }
  const hasHours = item.startHour !== undefined || item.endHour !== undefined;
  const hasClock = item.start !== undefined || item.end !== undefined;
  if (closed === true) {
    if (hasHours || hasClock) errors.add(`${itemAt}/closed`, 'a closed entry has no window');
    return errors.list.length > before ? undefined : { closed: true };
  }
  if (hasClock) {
    if (hasHours) errors.add(`${itemAt}/start`, 'use startHour/endHour or start/end, not both');
    const start = optionalClock(item, 'start', itemAt, errors);
    const end = optionalClock(item, 'end', itemAt, errors);
    if (item.start === undefined) errors.add(`${itemAt}/start`, 'is required');
    if (item.end === undefined) errors.add(`${itemAt}/end`, 'is required');
    if (start !== undefined && end !== undefined && end <= start) {
      errors.add(`${itemAt}/end`, 'must be later than start');
    }
    if (errors.list.length > before || start === undefined || end === undefined) return undefined;
    return closed === false ? { start, end, closed } : { start, end };
  }
  const startHour = requireInteger(item.startHour, `${itemAt}/startHour`, errors, 0, 23);
  const endHour = requireInteger(item.endHour, `${itemAt}/endHour`, errors, 0, 23);
  if (startHour !== undefined && endHour !== undefined && startHour >= endHour) {
    errors.add(`${itemAt}/endHour`, 'must be greater than startHour');
  }
  if (errors.list.length > before || startHour === undefined || endHour === undefined) {
    return undefined;
  }
  return closed === false ? { startHour, endHour, closed } : { startHour, endHour };
}

function checkHolidays(value: unknown, pointer: string, errors: FieldErrors) {
  const at = `${pointer}/holidays`;
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) {
    errors.add(at, 'must be an object {country?, subdivision?, dates?}');
    return undefined;
  }
  unknownFields(value, HOLIDAY_FIELDS, at, errors);
  const holidays: RuleHolidays = {};
  if (value.country !== undefined) {
    if (typeof value.country !== 'string' || !/^[A-Z]{2}$/.test(value.country)) {
      errors.add(`${at}/country`, 'must be an ISO 3166-1 alpha-2 code');
    } else holidays.country = value.country;
  }
  if (value.subdivision !== undefined) {
    if (typeof value.subdivision !== 'string' || value.country === undefined) {
      errors.add(`${at}/subdivision`, 'must be a subdivision code of the country');
    } else holidays.subdivision = value.subdivision;
  }
  if (value.dates !== undefined) {
    if (
      !Array.isArray(value.dates) ||
      !value.dates.every((date) => typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date))
    ) {
      errors.add(`${at}/dates`, 'must be a list of dates YYYY-MM-DD');
    } else holidays.dates = value.dates as string[];
  }
  if (Object.keys(value).length === 0) errors.add(at, 'must name a country or dates');
  return holidays;
}

function checkStateRules(value: unknown, pointer: string, errors: FieldErrors) {
  const at = `${pointer}/stateRules`;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    errors.add(at, 'must be an array');
    return undefined;
  }
  const result: RuleStateRule[] = [];
  value.forEach((item: unknown, index) => {
    const itemAt = `${at}/${index}`;
    if (!isJsonObject(item)) {
      errors.add(itemAt, 'must be an object {state, start?, end?, maxCalls?, per?}');
      return;
    }
    unknownFields(item, STATE_RULE_FIELDS, itemAt, errors);
    const state = requireString(item, 'state', itemAt, errors, (code) =>
      /^[A-Z]{2}$/.test(code) ? undefined : 'must be a two-letter state code',
    );
    const entry: RuleStateRule = { state: state ?? '' };
    const start = optionalClock(item, 'start', itemAt, errors);
    const end = optionalClock(item, 'end', itemAt, errors);
    if (start !== undefined) entry.start = start;
    if (end !== undefined) entry.end = end;
    if (start !== undefined && end !== undefined && end <= start) {
      errors.add(`${itemAt}/end`, 'must be later than start');
    }
    if (item.maxCalls !== undefined) {
      const maxCalls = requireInteger(
        item.maxCalls,
        `${itemAt}/maxCalls`,
        errors,
        1,
        Number.MAX_SAFE_INTEGER,
      );
      if (maxCalls !== undefined) entry.maxCalls = maxCalls;
    }
    if (item.per !== undefined) {
      if (typeof item.per !== 'string' || !COUNTING.includes(item.per)) {
        errors.add(`${itemAt}/per`, `must be one of ${COUNTING.join(', ')}`);
      } else entry.per = item.per as RuleStateRule['per'];
    }
    result.push(entry);
  });
  return result;
}

function checkDncListIds(value: unknown, pointer: string, errors: FieldErrors, ctx: RuleContext) {
  const at = `${pointer}/dncListIds`;
  if (value === undefined) {
    errors.add(at, 'is required');
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.add(at, 'must be an array of DNC list ids');
    return undefined;
  }
  if (value.length === 0) {
    errors.add(at, 'must name at least one DNC list');
    return undefined;
  }
  const result: string[] = [];
  value.forEach((id: unknown, index) => {
    const itemAt = `${at}/${index}`;
    if (typeof id !== 'string') {
      errors.add(itemAt, 'must be a DNC list id (string)');
      return;
    }
    const list = ctx.dncLists.get(id);
    if (!list) errors.add(itemAt, `DNC list "${id}" does not exist`);
    else if (!list.active) errors.add(itemAt, `DNC list "${id}" (${list.name}) is not active`);
    else if (result.includes(id)) errors.add(itemAt, `DNC list "${id}" is listed more than once`);
    else result.push(id);
  });
  return result;
}

function checkExclusions(value: unknown, pointer: string, errors: FieldErrors) {
  const at = `${pointer}/geographicExclusions`;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(at, 'must be an array');
    return undefined;
  }
  const result: GeographicExclusion[] = [];
  value.forEach((item: unknown, index) => {
    const itemAt = `${at}/${index}`;
    if (!isJsonObject(item)) {
      errors.add(itemAt, 'must be an object {latitude, longitude, radiusKm}');
      return;
    }
    unknownFields(item, EXCLUSION_FIELDS, itemAt, errors);
    const latitude = requireNumber(item.latitude, `${itemAt}/latitude`, errors, {
      min: -90,
      max: 90,
    });
    const longitude = requireNumber(item.longitude, `${itemAt}/longitude`, errors, {
      min: -180,
      max: 180,
    });
    const radiusKm = requireNumber(item.radiusKm, `${itemAt}/radiusKm`, errors, {
      min: 0,
      exclusiveMin: true,
    });
    if (latitude !== undefined && longitude !== undefined && radiusKm !== undefined) {
      result.push({ latitude, longitude, radiusKm });
    }
  });
  return result;
}

/**
 * Check one compliance rule body. `campaignId` in the body, when present, must equal the campaign of
 * the path; `id`, when present, must be a UUID for a create (`ctx.chosenId`), else a URL-safe
 * string (whether it may be used is the caller's decision); `version` is ignored; the old field name `dncLists` is
 * refused with its new name. Returns the fields, or undefined after adding errors.
 */
export function checkRuleBody(
  input: unknown,
  ctx: RuleContext,
  errorList: FieldError[],
  pointer = '',
): CheckedRuleBody | undefined {
  const errors = new FieldErrors(errorList);
  const before = errorList.length;
  if (!isJsonObject(input)) {
    errors.add(pointer, 'must be a compliance rule object');
    return undefined;
  }
  unknownFields(input, RULE_FIELDS, pointer, errors, RENAMED_RULE_FIELDS);
  let id: string | undefined;
  if (input.id !== undefined) {
    if (ctx.chosenId && (typeof input.id !== 'string' || !RULE_UUID_PATTERN.test(input.id))) {
      errors.add(
        `${pointer}/id`,
        'must be a UUID (8-4-4-4-12 hexadecimal digits), or absent for a server-chosen id',
      );
    } else if (typeof input.id !== 'string' || !CLIENT_ID_PATTERN.test(input.id)) {
      errors.add(`${pointer}/id`, 'must be 1..64 characters of A-Z a-z 0-9 . _ ~ -');
    } else {
      id = input.id;
    }
  }
  if (input.campaignId !== undefined && input.campaignId !== ctx.campaignId) {
    errors.add(`${pointer}/campaignId`, `must be "${ctx.campaignId}", the campaign of the path`);
  }
  const name = requireString(input, 'name', pointer, errors, (value) =>
    codePointLength(value.trim()) >= 3 ? undefined : 'must be at least 3 characters',
  );
  const type = requireString(input, 'type', pointer, errors, (value) =>
    (RULE_TYPES as readonly string[]).includes(value)
      ? undefined
      : `must be one of ${RULE_TYPES.join(', ')}`,
  ) as RuleType | undefined;
  const jurisdiction = requireString(input, 'jurisdiction', pointer, errors, (value) =>
    value.trim().length > 0 ? undefined : 'must not be empty',
  );
  const timeZoneRestrictions = checkRestrictions(input.timeZoneRestrictions, pointer, errors);
  const dncListIds = checkDncListIds(input.dncListIds, pointer, errors, ctx);
  const maxCallsPerDay = requireInteger(
    input.maxCallsPerDay,
    `${pointer}/maxCallsPerDay`,
    errors,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const concurrencyLimit = requireInteger(
    input.concurrencyLimit,
    `${pointer}/concurrencyLimit`,
    errors,
    1,
    10,
  );
  const geographicExclusions = checkExclusions(input.geographicExclusions, pointer, errors);
  const holidays = checkHolidays(input.holidays, pointer, errors);
  const stateRules = checkStateRules(input.stateRules, pointer, errors);
  const callCounting = input.callCounting;
  if (
    callCounting !== undefined &&
    (typeof callCounting !== 'string' || !COUNTING.includes(callCounting))
  ) {
    errors.add(`${pointer}/callCounting`, `must be one of ${COUNTING.join(', ')}`);
  }
  const minMinutes =
    input.minMinutesBetweenCalls === undefined
      ? undefined
      : requireInteger(
          input.minMinutesBetweenCalls,
          `${pointer}/minMinutesBetweenCalls`,
          errors,
          1,
          10080,
        );
  if (errorList.length > before) return undefined;
  const fields: ComplianceRuleFields = {
    name: name!,
    type: type!,
    jurisdiction: jurisdiction!,
    timeZoneRestrictions: timeZoneRestrictions!,
    dncListIds: dncListIds!,
    maxCallsPerDay: maxCallsPerDay!,
    concurrencyLimit: concurrencyLimit!,
    geographicExclusions: geographicExclusions!,
  };
  if (holidays !== undefined) fields.holidays = holidays;
  if (typeof callCounting === 'string') {
    fields.callCounting = callCounting as ComplianceRuleFields['callCounting'];
  }
  if (minMinutes !== undefined) fields.minMinutesBetweenCalls = minMinutes;
  if (stateRules !== undefined) fields.stateRules = stateRules;
  return id === undefined ? { fields } : { fields, id };
}
