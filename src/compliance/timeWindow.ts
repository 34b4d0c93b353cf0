/**
 * Local wall-clock time of an instant in an IANA time zone, and the calling-window check.
 *
 * The zone rules (daylight saving, half-hour offsets, historical changes) come from the runtime's
 * ICU data through `Intl.DateTimeFormat`; nothing here knows about any particular zone.
 */

/** Wall-clock time in a zone. */
export interface LocalTime {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0..23 */
  hour: number;
  /** 0..59 */
  minute: number;
  /** 0..59 */
  second: number;
  /** Offset from UTC in minutes at that instant (e.g. -240 for New York in summer, 330 for Kolkata). */
  offsetMinutes: number;
}

// One formatter per zone: constructing an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12: false: the latter prints midnight as "24" in some ICU versions.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * True when `timeZone` names a zone the runtime knows. Only IANA names count: numeric offsets such
 * as `+05:30`, which newer runtimes also accept, are refused because a fixed offset has no daylight
 * saving rules and is not the callee's zone.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '' || /^[+\-\u2212]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when two zone names are written the same, ignoring case (ECMA-402 matches zone names
 * case-insensitively). Aliases such as `Asia/Calcutta` and `Asia/Kolkata` are different names here,
 * on purpose: whether a runtime folds them together changed between Node versions, and a compliance
 * verdict must not depend on the Node version.
 */
export function sameTimeZoneName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * True when the runtime treats two differently written names as one zone (an IANA link such as
 * `US/Eastern` -> `America/New_York`). Used only to word a hint; never to decide a verdict.
 */
export function runtimeTreatsAsSameZone(a: string, b: string): boolean {
  if (!isValidTimeZone(a) || !isValidTimeZone(b)) return false;
  return formatterFor(a).resolvedOptions().timeZone === formatterFor(b).resolvedOptions().timeZone;
}

/** Wall-clock time from ICU, the reference every other path must agree with. */
function localTimeFromIcu(epochMs: number, timeZone: string): LocalTime {
  const parts = formatterFor(timeZone).formatToParts(epochMs);
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    return part === undefined ? 0 : Number(part.value);
  };
  const era = parts.find((p) => p.type === 'era')?.value;
  let year = field('year');
  // en-US prints years before 1 CE as "1 BC" (year 0 is 1 BC, year -1 is 2 BC, ...).
  if (era !== undefined && era.startsWith('B')) year = 1 - year;
  const hour = field('hour') % 24;
  const local = {
    year,
    month: field('month'),
    day: field('day'),
    hour,
    minute: field('minute'),
    second: field('second'),
  };
  // The offset is what separates the wall clock, read as if it were UTC, from the instant.
  // (setUTCFullYear, not Date.UTC: the latter maps years 0..99 to 1900..1999.)
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(local.year, local.month - 1, local.day);
  wallClock.setUTCHours(local.hour, local.minute, local.second, 0);
  const wallClockAsUtc = wallClock.getTime();
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const offsetMinutes = Math.round((wallClockAsUtc - wholeSecond) / 60_000);
  return { ...local, offsetMinutes };
}

const DAY_MS = 86_400_000;
// Offsets per zone and UTC day: ICU's formatToParts dominates the cost of judging a call, and a
// dialer export asks for the same zones and days over and over.
const offsetsByDay = new Map<string, number | null>();
const MAX_CACHED_OFFSETS = 200_000;

/** The offset in milliseconds at a whole second, seconds included (old local mean times have them). */
function exactOffsetMs(epochMs: number, timeZone: string): number {
  const local = localTimeFromIcu(epochMs, timeZone);
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(local.year, local.month - 1, local.day);
  wallClock.setUTCHours(local.hour, local.minute, local.second, 0);
  return wallClock.getTime() - epochMs;
}

/**
 * The zone's offset in milliseconds throughout the UTC day starting at `dayStart`, or null when it
 * differs between the day's first and last second (a transition that day): then each instant of
 * the day goes to ICU on its own. No zone has had two transitions within one day.
 */
function offsetThroughDay(dayStart: number, timeZone: string): number | null {
  const key = `${timeZone}\u0000${dayStart}`;
  const cached = offsetsByDay.get(key);
  if (cached !== undefined) return cached;
  const atStart = exactOffsetMs(dayStart, timeZone);
  const atEnd = exactOffsetMs(dayStart + DAY_MS - 1000, timeZone);
  const offset = atStart === atEnd ? atStart : null;
  if (offsetsByDay.size >= MAX_CACHED_OFFSETS) offsetsByDay.clear();
  offsetsByDay.set(key, offset);
  return offset;
}

/**
 * Wall-clock time of the instant `epochMs` in `timeZone`.
 *
 * The zone's offset comes from ICU, once per zone and UTC day; when the offset is the same at the
 * start and the end of that day, the wall clock is the instant shifted by it (exactly what ICU
 * would print), otherwise, and for years ICU prints with an era, the instant is asked of ICU.
 *
 * @throws RangeError when the zone is unknown; check with {@link isValidTimeZone} first.
 */
export function localTimeAt(epochMs: number, timeZone: string): LocalTime {
  const dayStart = Math.floor(epochMs / DAY_MS) * DAY_MS;
  const offset = offsetThroughDay(dayStart, timeZone);
  if (offset === null) return localTimeFromIcu(epochMs, timeZone);
  const wall = new Date(Math.floor(epochMs / 1000) * 1000 + offset);
  const year = wall.getUTCFullYear();
  if (year < 1) return localTimeFromIcu(epochMs, timeZone);
  return {
    year,
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    offsetMinutes: Math.round(offset / 60_000),
  };
}

/**
 * True when the local time falls in the calling window [startHour, endHour): the start hour is
 * inclusive (08:00 is inside a window starting at 8), the end hour exclusive (19:59:59 is inside a
 * window ending at 20, 20:00 is not). Because the bounds are whole hours, comparing the hour is
 * exact.
 *
 * The API only accepts startHour < endHour. For completeness, startHour > endHour is read as a
 * window across midnight ([startHour, 24) and [0, endHour)), and startHour == endHour as an empty
 * window that allows nothing.
 */
export function isWithinWindow(
  local: Pick<LocalTime, 'hour'>,
  startHour: number,
  endHour: number,
): boolean {
  if (startHour < endHour) return local.hour >= startHour && local.hour < endHour;
  if (startHour > endHour) return local.hour >= startHour || local.hour < endHour;
  return false;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** `08:00` for hour 8. */
export function formatHour(hour: number): string {
  return `${pad2(hour)}:00`;
}

/** `UTC-04:00`, `UTC+05:30`, `UTC+00:00`. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  return `UTC${sign}${pad2(Math.floor(magnitude / 60))}:${pad2(magnitude % 60)}`;
}

/** `2026-03-08 03:00:00 UTC-04:00`. */
export function formatLocalTime(local: LocalTime): string {
  const year = local.year >= 0 ? String(local.year).padStart(4, '0') : String(local.year);
  return (
    `${year}-${pad2(local.month)}-${pad2(local.day)} ` +
    `${pad2(local.hour)}:${pad2(local.minute)}:${pad2(local.second)} ${formatOffset(local.offsetMinutes)}`
  );
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of a `"HH:MM"` time (00:00..23:59), or undefined when malformed. */
export function parseClock(text: string): number | undefined {
  const match = CLOCK.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** `08:30` for 510 minutes; `24:00` for the end of the day. */
export function formatClock(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Day of the week of a local date, 0 = Monday .. 6 = Sunday (the order of WEEKDAYS). */
export function weekdayIndex(local: Pick<LocalTime, 'year' | 'month' | 'day'>): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  return (date.getUTCDay() + 6) % 7;
}

/** `2026-03-08` for a local time. */
export function formatLocalDate(local: Pick<LocalTime, 'year' | 'month' | 'day'>): string {
  return `${String(local.year).padStart(4, '0')}-${pad2(local.month)}-${pad2(local.day)}`;
}
