/**
 * Shapes the offline compliance evaluator works on. They are structural: the manifest's compliance
 * rule and compliance test types fit them without conversion.
 */
import type { GeoExclusion } from './geo.js';
import type { LocalTime } from './timeWindow.js';

/** Days of the week as rules write them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A calling window in the callee's local time, [start, end). Either whole hours
 * (`startHour`/`endHour`) or local `"HH:MM"` (`start`/`end`), or `closed: true`. Without `days` it
 * is the zone's default window; with `days` it replaces the default on those days.
 */
export interface CallingWindow {
  /** IANA zone name, compared with the call's zone as written (case-insensitive). */
  timeZone: string;
  startHour?: number;
  endHour?: number;
  /** Local `"HH:MM"`, inclusive. */
  start?: string;
  /** Local `"HH:MM"`, exclusive. */
  end?: string;
  /** Weekdays (WEEKDAYS); an unknown name matches no day. */
  days?: readonly string[];
  /** No calls at all on these days (or, without `days`, on any day that has no day entry). */
  closed?: boolean;
}

/** Which days count as holidays: a country's (and subdivision's) public holidays, and/or dates. */
export interface HolidayCalendar {
  /** ISO 3166-1 alpha-2 code, e.g. `US`. */
  country?: string;
  /** ISO 3166-2 subdivision code without the country, e.g. `FL`. */
  subdivision?: string;
  /** Extra holidays as local `YYYY-MM-DD` dates. */
  dates?: readonly string[];
}

/** How calls are counted for a limit: per callee-local calendar day, or in the last 24 hours. */
export type CallCounting = 'calendar-day' | 'rolling-24h';

/** A US state's own window and limit; the stricter of it and the rule applies. */
export interface StateRule {
  /** US state (or territory) code, e.g. `FL`. */
  state: string;
  /** Local `"HH:MM"`, inclusive. */
  start?: string;
  /** Local `"HH:MM"`, exclusive. */
  end?: string;
  /** Most calls in the counting period. */
  maxCalls?: number;
  /** The counting period of `maxCalls` (default: the rule's `callCounting`). */
  per?: CallCounting;
}

/** The parts of a compliance rule the evaluator reads. */
export interface EvaluatedRule {
  campaign: string;
  name: string;
  /** A label only: every constraint the rule declares applies whatever its type. */
  type?: string;
  jurisdiction?: string;
  timeZoneRestrictions: readonly CallingWindow[];
  /** DNC list names or ids, matched against the call's `onDncLists` as written. */
  dncLists: readonly string[];
  maxCallsPerDay: number;
  /** Not evaluated offline: a single call attempt says nothing about concurrent calls. */
  concurrencyLimit?: number;
  geographicExclusions?: readonly GeoExclusion[];
  /** Days on which no call is allowed. */
  holidays?: HolidayCalendar;
  /** How `maxCallsPerDay` counts (default `calendar-day`). */
  callCounting?: CallCounting;
  /** Least time between two calls to the same callee. */
  minMinutesBetweenCalls?: number;
  stateRules?: readonly StateRule[];
}

/** A call attempt as a compliance test declares it. */
export interface CallAttempt {
  /** The callee's number; any non-empty string (E.164 recommended); optional, messages only. */
  phone?: string;
  /** The moment of the attempt, an RFC 3339 instant with an offset. */
  at: string;
  /** The callee's IANA time zone; without it, the zones come from `phone`. */
  timeZone?: string;
  /** The callee's US state code, e.g. `FL`, for the rule's `stateRules`. */
  state?: string;
  latitude?: number;
  longitude?: number;
  /** Calls already made to this callee today, before this attempt (default 0). */
  callsToday?: number;
  /** DNC lists (names or ids) the callee is on (default none). */
  onDncLists?: readonly string[];
  /** Earlier attempts to this callee, RFC 3339 instants before `at`. */
  previousCalls?: readonly string[];
}

/** The checks, each with the reason it gives when it blocks. */
export type BlockReason = 'dnc' | 'time-window' | 'holiday' | 'geo' | 'frequency' | 'spacing';

/**
 * The order in which blocking checks decide the reported reason when several block the same call.
 * See docs/compliance.md for why.
 */
export const REASON_PRECEDENCE: readonly BlockReason[] = [
  'dnc',
  'time-window',
  'holiday',
  'geo',
  'frequency',
  'spacing',
];

/** Every reason a test may expect. */
export const BLOCK_REASONS: readonly BlockReason[] = REASON_PRECEDENCE;

/** What one check concluded. `skipped` means the check had nothing to look at. */
export interface CheckOutcome {
  check: BlockReason;
  outcome: 'passed' | 'blocked' | 'skipped';
  detail: string;
}

/** A field of the call that is not valid, and why. */
export interface CallProblem {
  field: keyof CallAttempt;
  message: string;
}

/** Verdict on an allowed call. */
export interface AllowedEvaluation {
  verdict: 'allowed';
  /** One line summing up why every check passed. */
  detail: string;
  /** Every check, in {@link REASON_PRECEDENCE} order. */
  checks: CheckOutcome[];
  /** The callee's wall-clock time at the attempt. */
  localTime: LocalTime;
}

/** Verdict on a blocked call. */
export interface BlockedEvaluation {
  verdict: 'blocked';
  /** The deciding reason: the first of {@link blockedBy} in {@link REASON_PRECEDENCE}. */
  reason: BlockReason;
  /** Every check that blocks, in precedence order. */
  blockedBy: BlockReason[];
  /** Why the deciding check blocks, naming the others that also block. */
  detail: string;
  checks: CheckOutcome[];
  localTime: LocalTime;
}

/** The call itself is malformed, so no verdict can be given. */
export interface InvalidCallEvaluation {
  verdict: 'invalid';
  problems: CallProblem[];
  /** The problems in one line. */
  detail: string;
}

/** Result of evaluating a call attempt against a rule. */
export type Evaluation = AllowedEvaluation | BlockedEvaluation | InvalidCallEvaluation;
