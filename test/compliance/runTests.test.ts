import { describe, expect, it } from 'vitest';
import {
  runComplianceTests,
  unknownRuleReferences,
  type ComplianceTestCase,
  type RuleUnderTest,
} from '../../src/compliance/runTests.js';

const fccHours: RuleUnderTest = {
  campaign: 'Spring Renewals',
  name: 'US-FCC calling hours',
  type: 'TIME_RESTRICTION',
  jurisdiction: 'US-FCC',
  timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
  dncLists: ['Internal DNC'],
  maxCallsPerDay: 1,
  concurrencyLimit: 5,
  geographicExclusions: [{ latitude: 40.7128, longitude: -74.006, radiusKm: 25 }],
  at: { file: 'manifests/rules.yaml', line: 3, column: 5 },
};

const ukHours: RuleUnderTest = {
  ...fccHours,
  campaign: 'Winback UK',
  name: 'Ofcom calling hours',
  jurisdiction: 'UK-OFCOM',
  timeZoneRestrictions: [{ timeZone: 'Europe/London', startHour: 9, endHour: 21 }],
  geographicExclusions: [],
};

const rules = [fccHours, ukHours];

const evening: ComplianceTestCase = {
  name: 'no calls after 8pm in New York',
  rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hours' },
  call: {
    phone: '+12125550199',
    at: '2026-03-03T01:30:00Z',
    timeZone: 'America/New_York',
    callsToday: 0,
    onDncLists: [],
  },
  expect: 'blocked',
  reason: 'time-window',
  at: { file: 'manifests/tests.yaml', line: 2, column: 5 },
};

const morning: ComplianceTestCase = {
  name: 'a morning call is fine',
  rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hours' },
  call: { phone: '+16175550100', at: '2026-03-03T15:00:00Z', timeZone: 'America/New_York' },
  expect: 'allowed',
};

describe('runComplianceTests', () => {
  it('passes cases whose verdict and reason match, with the deciding detail', () => {
    const report = runComplianceTests([evening, morning], rules);
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({ total: 2, passed: 2, failed: 0, errors: 0 });
    const [first, second] = report.results;
    expect(first).toMatchObject({
      name: 'no calls after 8pm in New York',
      status: 'passed',
      expected: { verdict: 'blocked', reason: 'time-window' },
      evaluation: { verdict: 'blocked', reason: 'time-window' },
      at: { file: 'manifests/tests.yaml', line: 2, column: 5 },
    });
    expect(first?.message).toBe(
      'blocked by time-window, as expected: 2026-03-02 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
    );
    expect(second).toMatchObject({ status: 'passed', evaluation: { verdict: 'allowed' } });
    expect(second?.message).toMatch(/^allowed, as expected: /);
  });

  it('fails a case whose verdict differs', () => {
    const report = runComplianceTests([{ ...morning, expect: 'blocked' }], rules);
    expect(report.ok).toBe(false);
    expect(report.counts).toEqual({ total: 1, passed: 0, failed: 1, errors: 0 });
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.message).toMatch(/^expected blocked, but the call is allowed: /);

    const wrong = runComplianceTests([{ ...evening, expect: 'allowed', reason: undefined }], rules);
    expect(wrong.results[0]?.message).toMatch(
      /^expected allowed, but the call is blocked by time-window: .* outside the calling window/,
    );
  });

  it('fails a blocked case whose deciding reason differs, noting a reason that also blocks', () => {
    const onDnc = { ...evening, call: { ...evening.call, onDncLists: ['Internal DNC'] } };
    const report = runComplianceTests([onDnc, { ...evening, reason: 'geo' }], rules);
    expect(report.results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(report.results[0]?.message).toMatch(
      /^expected blocked by time-window, but the call is blocked by dnc \(time-window also blocks, but dnc comes first\): \+12125550199 is on DNC list "Internal DNC"/,
    );
    expect(report.results[1]?.message).toMatch(
      /^expected blocked by geo, but the call is blocked by time-window: /,
    );
  });

  it('accepts any blocking reason when the case names none', () => {
    const { reason: _none, ...anyReason } = evening;
    const report = runComplianceTests(
      [{ ...anyReason, call: { ...evening.call, callsToday: 3 } }],
      rules,
    );
    expect(report.results[0]).toMatchObject({
      status: 'passed',
      evaluation: { reason: 'time-window', blockedBy: ['time-window', 'frequency'] },
    });
  });

  describe('errors', () => {
    it('reports an unknown rule name, suggesting the closest rule in the campaign', () => {
      const report = runComplianceTests(
        [{ ...evening, rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hour' } }],
        rules,
      );
      expect(report.ok).toBe(false);
      expect(report.counts.errors).toBe(1);
      expect(report.results[0]).toMatchObject({
        status: 'error',
        errorKind: 'rule-not-found',
        message: 'no compliance rule "US-FCC calling hour" in campaign "Spring Renewals"',
        hint: 'did you mean "US-FCC calling hours"?',
      });
      expect(report.results[0]?.evaluation).toBeUndefined();
    });

    it('lists the campaign rules when no name is close', () => {
      const report = runComplianceTests(
        [{ ...evening, rule: { campaign: 'Spring Renewals', name: 'Quiet hours' } }],
        rules,
      );
      expect(report.results[0]?.hint).toBe(
        'campaign "Spring Renewals" has one rule, "US-FCC calling hours"',
      );
    });

    it('suggests the campaign when the name exists elsewhere or the campaign is misspelt', () => {
      const elsewhere = runComplianceTests(
        [{ ...evening, rule: { campaign: 'Autumn Push', name: 'Ofcom calling hours' } }],
        rules,
      );
      expect(elsewhere.results[0]?.hint).toBe('did you mean campaign "Winback UK"?');
      const typo = runComplianceTests(
        [{ ...evening, rule: { campaign: 'Spring Renewal', name: 'Other rule' } }],
        rules,
      );
      expect(typo.results[0]?.hint).toBe('did you mean campaign "Spring Renewals"?');
      const nothing = runComplianceTests(
        [{ ...evening, rule: { campaign: 'Zzz', name: 'Other rule' } }],
        rules,
      );
      expect(nothing.results[0]?.hint).toBe('no rule is declared in campaign "Zzz"');
      const empty = runComplianceTests([evening], []);
      expect(empty.results[0]?.hint).toBe('no compliance rules are declared in the manifests');
    });

    it('reports an invalid call as an error, not a failure', () => {
      const report = runComplianceTests(
        [{ ...evening, call: { ...evening.call, timeZone: 'Mars/Olympus_Mons' } }],
        rules,
      );
      expect(report.results[0]).toMatchObject({
        status: 'error',
        errorKind: 'invalid-call',
        evaluation: { verdict: 'invalid' },
      });
      expect(report.results[0]?.message).toBe(
        'the call is invalid: timeZone "Mars/Olympus_Mons" is not a known IANA time zone (e.g. America/New_York)',
      );
    });

    it.each([
      [{ expect: 'maybe' }, 'expect must be allowed or blocked, not "maybe"'],
      [
        { reason: 'weather' },
        'reason must be one of dnc, time-window, holiday, geo, frequency, spacing, not "weather"',
      ],
      [{ expect: 'allowed', reason: 'dnc' }, 'a reason only goes with expect: blocked'],
    ])('reports a malformed expectation %j', (change, message) => {
      const report = runComplianceTests([{ ...evening, ...change } as ComplianceTestCase], rules);
      expect(report.results[0]).toMatchObject({
        status: 'error',
        errorKind: 'invalid-test',
        message,
      });
    });
  });

  it('uses the first of two rules with the same identity', () => {
    const shadow: RuleUnderTest = { ...fccHours, timeZoneRestrictions: [] };
    const report = runComplianceTests([morning], [fccHours, shadow]);
    expect(report.results[0]?.status).toBe('passed');
  });

  it('keeps the order of the cases and returns an empty, passing report for none', () => {
    const report = runComplianceTests([morning, evening, morning], rules);
    expect(report.results.map((r) => r.name)).toEqual([morning.name, evening.name, morning.name]);
    expect(runComplianceTests([], rules)).toEqual({
      results: [],
      counts: { total: 0, passed: 0, failed: 0, errors: 0 },
      ok: true,
    });
  });
});

describe('unknownRuleReferences', () => {
  it('returns a problem at each case naming a missing rule, with a hint', () => {
    const missing = {
      ...evening,
      rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hrs' },
    };
    const unlocated = { ...morning, rule: { campaign: 'Nope', name: 'Nothing' } };
    expect(unknownRuleReferences([evening, missing, unlocated], rules, 'manifests')).toEqual([
      {
        severity: 'error',
        code: 'complianceTest.unknownRule',
        message:
          'compliance test "no calls after 8pm in New York" names no compliance rule "US-FCC calling hrs" in campaign "Spring Renewals"',
        at: { file: 'manifests/tests.yaml', line: 2, column: 5 },
        hint: 'did you mean "US-FCC calling hours"?',
      },
      {
        severity: 'error',
        code: 'complianceTest.unknownRule',
        message:
          'compliance test "a morning call is fine" names no compliance rule "Nothing" in campaign "Nope"',
        at: { file: 'manifests' },
        hint: 'no rule is declared in campaign "Nope"',
      },
    ]);
  });
});
