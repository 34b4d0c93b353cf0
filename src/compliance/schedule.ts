/**
 * Which calling windows apply to a zone on a given weekday, and whether a local time is inside
 * them. A `days` entry replaces the zone's default window on its days; several entries on one day
 * are a union; a closed day, or a day with no window, allows nothing. Pure.
 */
import { formatClock, parseClock } from './timeWindow.js';
import { WEEKDAYS, type CallingWindow, type Weekday } from './types.js';

/** A span of local minutes after midnight, [start, end). */
export interface Slot {
  start: number;
  end: number;
}

/** The windows of one zone on one weekday. */
export interface DaySchedule {
  weekday: Weekday;
  /** `day` when `days` entries decide this weekday, `default` when the zone's default window does. */
  source: 'day' | 'default' | 'none';
  closed: boolean;
  /**
   * Allowed spans. For `day` entries a call inside any span is allowed (union); for the default,
   * a zone listed more than once must be allowed by every entry (the strictest reading), so each
   * entry is a group of spans and a call must be inside one span of every group.
   */
  groups: Slot[][];
}

const DAY_MINUTES = 24 * 60;

/**
 * The spans of one entry. Whole hours with startHour > endHour are read as a window across
 * midnight, as they always were; an `"HH:MM"` pair with end <= start, or a malformed time, allows
 * nothing (fail closed: the schema refuses both).
 */
export function slotsOf(window: CallingWindow): Slot[] {
  if (window.closed === true) return [];
  if (window.start !== undefined || window.end !== undefined) {
    const start = window.start === undefined ? undefined : parseClock(window.start);
    const end = window.end === undefined ? undefined : parseClock(window.end);
    if (start === undefined || end === undefined || end <= start) return [];
    return [{ start, end }];
  }
  const { startHour, endHour } = window;
  if (typeof startHour !== 'number' || typeof endHour !== 'number') return [];
  if (startHour < endHour) return [{ start: startHour * 60, end: endHour * 60 }];
  if (startHour > endHour) {
    return [
      { start: startHour * 60, end: DAY_MINUTES },
      { start: 0, end: endHour * 60 },
    ];
  }
  return [];
}

/** The schedule of `windows` (already those of one zone) on `weekday`. */
export function scheduleOn(windows: readonly CallingWindow[], weekday: Weekday): DaySchedule {
  const dayEntries = windows.filter((window) => window.days?.includes(weekday) === true);
  if (dayEntries.length > 0) {
    const closed = dayEntries.some((window) => window.closed === true);
    return {
      weekday,
      source: 'day',
      closed,
      groups: closed ? [[]] : [dayEntries.flatMap(slotsOf)],
    };
  }
  const defaults = windows.filter((window) => window.days === undefined);
  if (defaults.length === 0) return { weekday, source: 'none', closed: false, groups: [[]] };
  const closed = defaults.some((window) => window.closed === true);
  return {
    weekday,
    source: 'default',
    closed,
    groups: closed ? [[]] : defaults.map(slotsOf),
  };
}

/** True when local minute `minute` (0..1439) is allowed by the schedule. */
export function scheduleAllows(schedule: DaySchedule, minute: number): boolean {
  return schedule.groups.every((group) =>
    group.some((slot) => minute >= slot.start && minute < slot.end),
  );
}

/** `09:00-17:00` or `08:00-12:00, 13:00-20:00`. */
export function describeSlots(slots: readonly Slot[]): string {
  return slots.map((slot) => `${formatClock(slot.start)}-${formatClock(slot.end)}`).join(', ');
}

/** The schedule in words, e.g. `the Saturday window 09:00-17:00`, `Sunday (closed)`. */
export function describeSchedule(schedule: DaySchedule): string {
  const dayName = DAY_NAMES[WEEKDAYS.indexOf(schedule.weekday)] ?? schedule.weekday;
  if (schedule.source === 'none') return `no window on ${dayName}s`;
  if (schedule.closed) {
    return schedule.source === 'day' ? `${dayName}s closed` : 'the zone closed every day';
  }
  const spans = schedule.groups.map((group) =>
    group.length === 0 ? 'an empty window' : describeSlots(group),
  );
  const joined = spans.join(' and ');
  return schedule.source === 'day'
    ? `the ${dayName} window ${joined}`
    : `the calling window ${joined}`;
}

/** English day names in WEEKDAYS order. */
export const DAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
