import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCall } from '../../src/compliance/evaluate.js';
import { runtimeTreatsAsSameZone } from '../../src/compliance/timeWindow.js';
import {
  REASON_PRECEDENCE,
  type BlockReason,
  type CallAttempt,
  type EvaluatedRule,
  type Evaluation,
} from '../../src/compliance/types.js';

/** The calling-hours rule of the manifest format's example. */
const rule: EvaluatedRule = {
  campaign: 'Spring Renewals',
  name: 'US-FCC calling hours',
  type: 'TIME_RESTRICTION',
  jurisdiction: 'US-FCC',
  timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
  dncLists: ['Internal DNC'],
  maxCallsPerDay: 1,
  concurrencyLimit: 5,
  geographicExclusions: [{ latitude: 40.7128, longitude: -74.006, radiusKm: 25 }],
};

/** 10:00 in New York on a winter weekday, in Boston (outside the exclusion), nothing else against it. */
const allowedCall: CallAttempt = {
  phone: '+16175550100',
  at: '2026-03-03T15:00:00Z',
  timeZone: 'America/New_York',
  latitude: 42.3601,
  longitude: -71.0589,
  callsToday: 0,
  onDncLists: [],
};

function reasonOf(evaluation: Evaluation): string {
  return evaluation.verdict === 'blocked' ? evaluation.reason : evaluation.verdict;
}

describe('evaluateCall', () => {
  it('allows a call that passes every check, saying why', () => {
    const evaluation = evaluateCall(rule, allowedCall);
    expect(evaluation.verdict).toBe('allowed');
    if (evaluation.verdict !== 'allowed') return;
    expect(evaluation.checks.map((c) => [c.check, c.outcome])).toEqual([
      ['dnc', 'passed'],
      ['time-window', 'passed'],
      ['holiday', 'skipped'],
      ['geo', 'passed'],
      ['frequency', 'passed'],
      ['spacing', 'skipped'],
    ]);
    expect(evaluation.detail).toContain('2026-03-03 10:00:00 UTC-05:00 in America/New_York');
    expect(evaluation.detail).toContain('inside the calling window 08:00-20:00');
    expect(evaluation.detail).toContain('0 calls made today, below the limit of 1 per day');
    expect(evaluation.localTime).toMatchObject({ hour: 10, minute: 0, offsetMinutes: -300 });
  });

  it('blocks the documented example: 20:30 in New York', () => {
    const evaluation = evaluateCall(rule, {
      phone: '+12125550199',
      at: '2026-03-03T01:30:00Z',
      timeZone: 'America/New_York',
      callsToday: 0,
      onDncLists: [],
    });
    expect(evaluation).toMatchObject({
      verdict: 'blocked',
      reason: 'time-window',
      blockedBy: ['time-window'],
    });
    expect(evaluation.detail).toBe(
      '2026-03-02 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
    );
  });

  describe('time window', () => {
    it('includes the start hour and excludes the end hour, across the spring-forward day', () => {
      const at = (iso: string): string => reasonOf(evaluateCall(rule, { ...allowedCall, at: iso }));
      expect(at('2026-03-08T11:59:59Z')).toBe('time-window'); // 07:59:59 EDT
      expect(at('2026-03-08T12:00:00Z')).toBe('allowed'); // 08:00 EDT
      expect(at('2026-03-08T23:59:59Z')).toBe('allowed'); // 19:59:59 EDT
      expect(at('2026-03-09T00:00:00Z')).toBe('time-window'); // 20:00 EDT
      expect(at('2026-03-02T20:00:00-05:00')).toBe('time-window');
      expect(at('2026-03-02T19:59:00-05:00')).toBe('allowed');
    });

    it('fails closed when the rule has no window for the callee zone', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, timeZone: 'America/Chicago' });
      expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'time-window' });
      expect(evaluation.detail).toBe(
        'the rule has no calling window for America/Chicago (it covers America/New_York), so the call is blocked (fail closed)',
      );
    });

    it('fails closed for an alias of a covered zone, and says so when the runtime knows the alias', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, timeZone: 'US/Eastern' });
      expect(reasonOf(evaluation)).toBe('time-window');
      expect(evaluation.detail.includes('US/Eastern is another name for America/New_York')).toBe(
        runtimeTreatsAsSameZone('US/Eastern', 'America/New_York'),
      );
    });

    it('matches the zone name case-insensitively', () => {
      expect(evaluateCall(rule, { ...allowedCall, timeZone: 'america/new_york' }).verdict).toBe(
        'allowed',
      );
    });

    it('uses the window of the callee zone among several', () => {
      const multiZone: EvaluatedRule = {
        ...rule,
        timeZoneRestrictions: [
          { timeZone: 'America/New_York', startHour: 8, endHour: 20 },
          { timeZone: 'Asia/Kolkata', startHour: 9, endHour: 18 },
        ],
      };
      // 15:00Z is 20:30 in Kolkata: outside 09-18 there, though inside New York's window.
      const kolkata = {
        ...allowedCall,
        timeZone: 'Asia/Kolkata',
        latitude: undefined,
        longitude: undefined,
      };
      const evaluation = evaluateCall(multiZone, kolkata);
      expect(evaluation.detail).toContain(
        '2026-03-03 20:30:00 UTC+05:30 in Asia/Kolkata is outside the calling window 09:00-18:00',
      );
      expect(evaluateCall(multiZone, { ...kolkata, at: '2026-03-03T03:30:00Z' }).verdict).toBe(
        'allowed',
      );
    });

    it('requires every window when a zone is listed twice (the strictest reading)', () => {
      const twice: EvaluatedRule = {
        ...rule,
        timeZoneRestrictions: [
          { timeZone: 'America/New_York', startHour: 8, endHour: 20 },
          { timeZone: 'America/New_York', startHour: 12, endHour: 20 },
        ],
      };
      expect(reasonOf(evaluateCall(twice, allowedCall))).toBe('time-window'); // 10:00
      expect(evaluateCall(twice, { ...allowedCall, at: '2026-03-03T17:00:00Z' }).verdict).toBe(
        'allowed',
      );
    });
  });

  describe('frequency', () => {
    const limited: EvaluatedRule = { ...rule, maxCallsPerDay: 3 };
    it('blocks when callsToday reaches maxCallsPerDay, not before', () => {
      expect(evaluateCall(limited, { ...allowedCall, callsToday: 2 }).verdict).toBe('allowed');
      const atLimit = evaluateCall(limited, { ...allowedCall, callsToday: 3 });
      expect(atLimit).toMatchObject({ verdict: 'blocked', reason: 'frequency' });
      expect(atLimit.detail).toBe('3 calls already made today reaches the limit of 3 per day');
      expect(reasonOf(evaluateCall(limited, { ...allowedCall, callsToday: 7 }))).toBe('frequency');
    });

    it('counts a call without callsToday as the first of the day', () => {
      const { callsToday: _omitted, ...firstCall } = allowedCall;
      expect(evaluateCall(rule, firstCall).verdict).toBe('allowed');
    });
  });

  describe('DNC', () => {
    it('blocks a callee on one of the rule lists, by name', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, onDncLists: ['Internal DNC'] });
      expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'dnc' });
      expect(evaluation.detail).toBe(
        '+16175550100 is on DNC list "Internal DNC", which the rule checks',
      );
    });

    it('blocks by list id when the rule names lists by id', () => {
      const byId: EvaluatedRule = { ...rule, dncLists: ['dnc-0001', 'dnc-0002'] };
      const evaluation = evaluateCall(byId, {
        ...allowedCall,
        onDncLists: ['dnc-0002', 'dnc-0001'],
      });
      expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'dnc' });
      expect(evaluation.detail).toContain('DNC lists "dnc-0002", "dnc-0001"');
    });

    it('allows a callee only on lists the rule does not check', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, onDncLists: ['Marketing opt-out'] });
      expect(evaluation.verdict).toBe('allowed');
      expect(evaluation.detail).toContain(
        `not on the rule's DNC lists ("Internal DNC"); it is only on "Marketing opt-out"`,
      );
    });

    it('matches list names exactly, as written', () => {
      expect(evaluateCall(rule, { ...allowedCall, onDncLists: ['internal dnc'] }).verdict).toBe(
        'allowed',
      );
    });
  });

  describe('geographic exclusions', () => {
    it('blocks a callee inside an exclusion and names the distance', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, latitude: 40.75, longitude: -73.99 });
      expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'geo' });
      expect(evaluation.detail).toMatch(
        /^the callee at 40\.75, -73\.99 is 4\.\d\d km from the centre of the exclusion around 40\.7128, -74\.006 \(radius 25 km\)$/,
      );
    });

    it('skips the check for a call without coordinates', () => {
      const { latitude: _lat, longitude: _lon, ...noPosition } = allowedCall;
      const evaluation = evaluateCall(rule, noPosition);
      expect(evaluation.verdict).toBe('allowed');
      if (evaluation.verdict === 'invalid') return;
      expect(evaluation.checks.find((c) => c.check === 'geo')).toEqual({
        check: 'geo',
        outcome: 'skipped',
        detail: 'the call has no coordinates, so geographic exclusions do not apply',
      });
    });

    it('skips the check for a rule without exclusions', () => {
      const { geographicExclusions: _none, ...noExclusions } = rule;
      const evaluation = evaluateCall(noExclusions, {
        ...allowedCall,
        latitude: 40.7128,
        longitude: -74.006,
      });
      expect(evaluation.verdict).toBe('allowed');
    });

    it('blocks across the antimeridian', () => {
      const fiji: EvaluatedRule = {
        ...rule,
        timeZoneRestrictions: [{ timeZone: 'Pacific/Fiji', startHour: 0, endHour: 23 }],
        geographicExclusions: [{ latitude: -16.5, longitude: 179.9, radiusKm: 50 }],
      };
      const call = { ...allowedCall, timeZone: 'Pacific/Fiji', at: '2026-03-03T01:00:00Z' };
      expect(reasonOf(evaluateCall(fiji, { ...call, latitude: -16.5, longitude: -179.8 }))).toBe(
        'geo',
      );
      expect(reasonOf(evaluateCall(fiji, { ...call, latitude: -16.5, longitude: -179.0 }))).toBe(
        'allowed',
      );
    });

    it('names the first exclusion, in the rule order, that contains the callee', () => {
      const two: EvaluatedRule = {
        ...rule,
        geographicExclusions: [
          { latitude: 42.0, longitude: -71.0, radiusKm: 100 },
          { latitude: 42.3601, longitude: -71.0589, radiusKm: 5 },
        ],
      };
      expect(evaluateCall(two, allowedCall).detail).toContain(
        '40.3 km from the centre of the exclusion around 42, -71 (radius 100 km)',
      );
      const reversed = {
        ...two,
        geographicExclusions: [...(two.geographicExclusions ?? [])].reverse(),
      };
      expect(evaluateCall(reversed, allowedCall).detail).toContain(
        '0.00 km from the centre of the exclusion around 42.3601, -71.0589 (radius 5 km)',
      );
    });
  });

  describe('precedence and rule type', () => {
    it('reports dnc, then time-window, then geo, then frequency, listing every blocking check', () => {
      const everything: CallAttempt = {
        ...allowedCall,
        at: '2026-03-03T03:00:00Z',
        latitude: 40.7128,
        longitude: -74.006,
        callsToday: 5,
        onDncLists: ['Internal DNC'],
      };
      const evaluation = evaluateCall(rule, everything);
      expect(evaluation).toMatchObject({
        verdict: 'blocked',
        reason: 'dnc',
        blockedBy: ['dnc', 'time-window', 'geo', 'frequency'],
      });
      expect(evaluation.detail).toMatch(/\(also blocked by: time-window, geo, frequency\)$/);
    });

    it('picks the first blocking check in precedence order, for any combination', () => {
      // Each blocker changes the call, the rule or both, independently of the others.
      const blockers: Record<
        BlockReason,
        { call?: Partial<CallAttempt>; rule?: Partial<EvaluatedRule> }
      > = {
        dnc: { call: { onDncLists: ['Internal DNC'] } },
        'time-window': {
          rule: {
            timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 9 }],
          },
        },
        holiday: { rule: { holidays: { dates: ['2026-03-03'] } } },
        geo: { call: { latitude: 40.7128, longitude: -74.006 } },
        frequency: { call: { callsToday: 1 } },
        // 16 hours before, on the previous local day: spacing blocks, the daily count does not.
        spacing: {
          call: { previousCalls: ['2026-03-02T23:00:00Z'] },
          rule: { minMinutesBetweenCalls: 24 * 60 },
        },
      };
      fc.assert(
        fc.property(fc.subarray([...REASON_PRECEDENCE]), (chosen) => {
          let call: CallAttempt = { ...allowedCall };
          let built: EvaluatedRule = { ...rule };
          for (const reason of chosen) {
            call = { ...call, ...blockers[reason].call };
            built = { ...built, ...blockers[reason].rule };
          }
          const evaluation = evaluateCall(built, call);
          if (chosen.length === 0) {
            expect(evaluation.verdict).toBe('allowed');
            return;
          }
          const expected = REASON_PRECEDENCE.filter((reason) => chosen.includes(reason));
          expect(evaluation).toMatchObject({
            verdict: 'blocked',
            reason: expected[0],
            blockedBy: expected,
          });
        }),
        { numRuns: 64 },
      );
    });

    it('applies every declared constraint whatever the rule type', () => {
      for (const type of ['TIME_RESTRICTION', 'DNC_COMPLIANCE', 'FREQUENCY_LIMIT']) {
        const typed = { ...rule, type };
        expect(
          reasonOf(evaluateCall(typed, { ...allowedCall, onDncLists: ['Internal DNC'] })),
        ).toBe('dnc');
        expect(reasonOf(evaluateCall(typed, { ...allowedCall, at: '2026-03-03T03:00:00Z' }))).toBe(
          'time-window',
        );
        expect(reasonOf(evaluateCall(typed, { ...allowedCall, callsToday: 1 }))).toBe('frequency');
      }
    });
  });

  describe('calls without a phone number', () => {
    it('are evaluated, and messages name the callee', () => {
      const { phone: _phone, ...anonymous } = allowedCall;
      const evaluation = evaluateCall(rule, { ...anonymous, onDncLists: ['Internal DNC'] });
      expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'dnc' });
      expect(evaluation.detail).toMatch(/^the callee is on DNC list "Internal DNC"/);
    });
  });

  describe('invalid calls', () => {
    it('reports a malformed instant instead of throwing', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, at: '2026-03-03 15:00' });
      expect(evaluation).toMatchObject({ verdict: 'invalid', problems: [{ field: 'at' }] });
      expect(evaluation.detail).toContain('"2026-03-03 15:00" is not an RFC 3339 instant');
    });

    it('reports an unknown zone', () => {
      const evaluation = evaluateCall(rule, { ...allowedCall, timeZone: 'America/Gotham' });
      expect(evaluation).toMatchObject({ verdict: 'invalid', problems: [{ field: 'timeZone' }] });
      expect(evaluation.detail).toBe(
        'timeZone "America/Gotham" is not a known IANA time zone (e.g. America/New_York)',
      );
    });

    it('reports every problem at once', () => {
      const evaluation = evaluateCall(rule, {
        phone: '',
        at: '2026-02-30T10:00:00Z',
        timeZone: '+05:30',
        latitude: 91,
        longitude: 0,
        callsToday: -1,
        onDncLists: [3] as unknown as string[],
      });
      expect(evaluation.verdict).toBe('invalid');
      if (evaluation.verdict !== 'invalid') return;
      expect(evaluation.problems.map((p) => p.field)).toEqual([
        'phone',
        'at',
        'timeZone',
        'latitude',
        'callsToday',
        'onDncLists',
      ]);
    });

    it('wants latitude and longitude together', () => {
      const { longitude: _lon, ...latitudeOnly } = allowedCall;
      expect(evaluateCall(rule, latitudeOnly)).toMatchObject({
        verdict: 'invalid',
        problems: [
          {
            field: 'longitude',
            message: 'latitude and longitude go together; longitude is missing',
          },
        ],
      });
    });

    it('refuses an instant that is not a string (a YAML timestamp parsed to a Date)', () => {
      const call = { ...allowedCall, at: new Date() as unknown as string };
      expect(evaluateCall(rule, call)).toMatchObject({
        verdict: 'invalid',
        problems: [{ field: 'at' }],
      });
    });
  });
});
