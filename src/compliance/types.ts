/**
 * Shapes the offline compliance evaluator works on. They are structural: the manifest's compliance
 * rule and compliance test types fit them without conversion.
 */
import type { GeoExclusion } from './geo.js';
import type { LocalTime } from './timeWindow.js';

/** A calling window in the callee's local time: [startHour, endHour). */
export interface CallingWindow {
  /** IANA zone name, compared with the call's zone as written (case-insensitive). */
  timeZone: string;
  startHour: number;
  endHour: number;
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
}

/** A call attempt as a compliance test declares it. */
export interface CallAttempt {
  /** The callee's number; any non-empty string (E.164 recommended); optional, messages only. */
  phone?: string;
  /** The moment of the attempt, an RFC 3339 instant with an offset. */
  at: string;
  /** The callee's IANA time zone. */
  timeZone: string;
  latitude?: number;
  longitude?: number;
  /** Calls already made to this callee today, before this attempt (default 0). */
  callsToday?: number;
  /** DNC lists (names or ids) the callee is on (default none). */
  onDncLists?: readonly string[];
}

/** The checks, each with the reason it gives when it blocks. */
export type BlockReason = 'dnc' | 'time-window' | 'geo' | 'frequency';

/**
 * The order in which blocking checks decide the reported reason when several block the same call.
 * See docs/compliance.md for why.
 */
export const REASON_PRECEDENCE: readonly BlockReason[] = ['dnc', 'time-window', 'geo', 'frequency'];

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
