/**
 * The evaluator against an independent oracle: every verdict recomputed here with luxon (its own
 * time-zone arithmetic) from the rule's plain meaning, on generated rules and calls around DST
 * changes, weekends, listed holidays, midnight and state rules.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { evaluateCall } from '../../src/compliance/evaluate.js';
import type {
  BlockReason,
  CallAttempt,
  CallingWindow,
  EvaluatedRule,
  StateRule,
} from '../../src/compliance/types.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
];
// DST weeks: US spring and autumn, EU spring and autumn, Lord Howe's half-hour change.
const BASES = [
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-04-04T15:00:00Z',
].map((text) => Date.parse(text));

function minutes(clock: string): number {
  const [hours, mins] = clock.split(':').map(Number) as [number, number];
  return hours * 60 + mins;
}

function clock(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** The oracle: which checks block, computed with luxon straight from the rule's meaning. */
function oracle(rule: EvaluatedRule, call: CallAttempt & { timeZone: string }): BlockReason[] {
  const at = DateTime.fromISO(call.at, { zone: call.timeZone });
  const day = DAYS[at.weekday - 1] as string;
  const minute = at.hour * 60 + at.minute;
  const blocked: BlockReason[] = [];
  const zoneEntries = rule.timeZoneRestrictions.filter((w) => w.timeZone === call.timeZone);
  const dayEntries = zoneEntries.filter((w) => w.days?.includes(day));
  const entries = dayEntries.length > 0 ? dayEntries : zoneEntries.filter((w) => !w.days);
  const inside = (w: CallingWindow) =>
    w.closed !== true &&
    w.start !== undefined &&
    w.end !== undefined &&
    minute >= minutes(w.start) &&
    minute < minutes(w.end);
  // Day entries are a union; a zone's default listed twice (a manifest error) must allow twice.
  let windowOk =
    entries.length > 0 &&
    !entries.some((w) => w.closed) &&
    (dayEntries.length > 0 ? entries.some(inside) : entries.every(inside));
  const stateRule = rule.stateRules?.find((s) => s.state === call.state);
  if (stateRule?.start !== undefined && stateRule.end !== undefined) {
    windowOk &&= minute >= minutes(stateRule.start) && minute < minutes(stateRule.end);
  }
  if (!windowOk) blocked.push('time-window');
  if (rule.holidays?.dates?.includes(at.toISODate() ?? '')) blocked.push('holiday');
  const previous = (call.previousCalls ?? []).map((p) =>
    DateTime.fromISO(p, { zone: call.timeZone }),
  );
  const count = (per: string) =>
    per === 'rolling-24h'
      ? previous.filter((p) => at.diff(p, 'hours').hours < 24).length
      : previous.filter((p) => p.toISODate() === at.toISODate()).length;
  const limits: [number, string][] = [[rule.maxCallsPerDay, rule.callCounting ?? 'calendar-day']];
  if (stateRule?.maxCalls !== undefined) {
    limits.push([stateRule.maxCalls, stateRule.per ?? rule.callCounting ?? 'calendar-day']);
  }
  if (limits.some(([max, per]) => count(per) >= max)) blocked.push('frequency');
  if (rule.minMinutesBetweenCalls !== undefined && previous.length > 0) {
    const last = DateTime.max(...previous);
    if (last !== undefined && at.diff(last, 'minutes').minutes < rule.minMinutesBetweenCalls) {
      blocked.push('spacing');
    }
  }
  return blocked;
}

const slot = fc
  .tuple(fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 900 }))
  .map(([start, length]) => ({ start: clock(start), end: clock(Math.min(1439, start + length)) }));

const windowEntry = (zone: string): fc.Arbitrary<CallingWindow> =>
  fc.oneof(
    slot.map((s) => ({ timeZone: zone, ...s })),
    fc
      .tuple(fc.subarray([...DAYS], { minLength: 1, maxLength: 3 }), slot)
      .map(([days, s]) => ({ timeZone: zone, days, ...s })),
    fc
      .subarray([...DAYS], { minLength: 1, maxLength: 2 })
      .map((days) => ({ timeZone: zone, days, closed: true })),
  );

const counting = fc.constantFrom<'calendar-day' | 'rolling-24h'>('calendar-day', 'rolling-24h');

const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    base: fc.constantFrom(...BASES),
    offsetMinutes: fc.integer({ min: -4 * 1440, max: 4 * 1440 }),
    previousHoursAgo: fc.array(fc.integer({ min: 1, max: 60 * 48 }), { maxLength: 4 }),
    holidayShift: fc.option(fc.integer({ min: -1, max: 1 }), { nil: undefined }),
    maxCalls: fc.integer({ min: 1, max: 4 }),
    callCounting: fc.option(counting, { nil: undefined }),
    spacing: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
    state: fc.option(
      fc.record({
        window: slot,
        maxCalls: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        per: fc.option(counting, { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  .chain((s) =>
    fc
      .array(windowEntry(s.zone), { minLength: 0, maxLength: 4 })
      .map((entries) => ({ ...s, entries })),
  );

describe('evaluateCall against an independent luxon oracle', () => {
  it('gives the oracle verdict and deciding reason on generated rules and calls', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const epoch = s.base + s.offsetMinutes * 60_000;
        const at = new Date(epoch).toISOString();
        // Previous calls are given a minute-resolution offset before the attempt.
        const previousCalls = s.previousHoursAgo.map((m) =>
          new Date(epoch - m * 60_000).toISOString(),
        );
        const localDate = DateTime.fromMillis(epoch, { zone: s.zone });
        const stateRule: StateRule | undefined =
          s.state === undefined
            ? undefined
            : {
                state: 'FL',
                ...s.state.window,
                ...(s.state.maxCalls === undefined ? {} : { maxCalls: s.state.maxCalls }),
                ...(s.state.per === undefined || s.state.maxCalls === undefined
                  ? {}
                  : { per: s.state.per }),
              };
        const rule: EvaluatedRule = {
          campaign: 'C',
          name: 'generated',
          timeZoneRestrictions: s.entries,
          dncLists: ['Internal DNC'],
          maxCallsPerDay: s.maxCalls,
          ...(s.callCounting === undefined ? {} : { callCounting: s.callCounting }),
          ...(s.spacing === undefined ? {} : { minMinutesBetweenCalls: s.spacing }),
          ...(s.holidayShift === undefined
            ? {}
            : {
                holidays: { dates: [localDate.plus({ days: s.holidayShift }).toISODate() ?? ''] },
              }),
          ...(stateRule === undefined ? {} : { stateRules: [stateRule] }),
        };
        const call = { at, timeZone: s.zone, state: 'FL', previousCalls };
        const expected = oracle(rule, call);
        const evaluation = evaluateCall(rule, call);
        if (expected.length === 0) {
          expect(
            evaluation.verdict,
            evaluation.verdict === 'allowed' ? '' : evaluation.detail,
          ).toBe('allowed');
        } else {
          expect(evaluation).toMatchObject({ verdict: 'blocked', blockedBy: expected });
        }
      }),
      { numRuns: 400, seed: 20261204 },
    );
  });
});
