import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import {
  runComplianceTests,
  type ComplianceTestCase,
  type RuleUnderTest,
} from '../../src/compliance/runTests.js';
import {
  renderComplianceTestsJson,
  renderComplianceTestsText,
} from '../../src/render/complianceTests.js';
import { CapturedStream } from '../helpers/capture.js';

const rule: RuleUnderTest = {
  campaign: 'Spring Renewals',
  name: 'US-FCC calling hours',
  timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
  dncLists: ['Internal DNC'],
  maxCallsPerDay: 1,
};
const reference = { campaign: 'Spring Renewals', name: 'US-FCC calling hours' };
const evening = { phone: '+12125550199', at: '2026-03-03T01:30:00Z', timeZone: 'America/New_York' };

const cases: ComplianceTestCase[] = [
  {
    name: 'no calls after 8pm',
    rule: reference,
    call: evening,
    expect: 'blocked',
    reason: 'time-window',
  },
  {
    name: 'wrongly expects allowed',
    rule: reference,
    call: evening,
    expect: 'allowed',
    at: { file: 'manifests/tests.yaml', line: 9, column: 5 },
  },
  {
    name: 'typo in rule',
    rule: { ...reference, name: 'US-FCC callin hours' },
    call: evening,
    expect: 'blocked',
  },
];
const report = runComplianceTests(cases, [rule]);

describe('renderComplianceTestsText', () => {
  it('prints one block per case with the reason, hint and location, then a summary', () => {
    const out = new CapturedStream();
    renderComplianceTestsText(report, out);
    expect(out.text).toBe(
      [
        'PASS  no calls after 8pm  [Spring Renewals / US-FCC calling hours]',
        '      blocked by time-window, as expected: 2026-03-02 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
        'FAIL  wrongly expects allowed  [Spring Renewals / US-FCC calling hours]',
        '      expected allowed, but the call is blocked by time-window: 2026-03-02 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
        '      at manifests/tests.yaml:9:5',
        'ERROR typo in rule  [Spring Renewals / US-FCC callin hours]',
        '      no compliance rule "US-FCC callin hours" in campaign "Spring Renewals"',
        '      hint: did you mean "US-FCC calling hours"?',
        '',
        '3 tests: 1 passed, 1 failed, 1 error',
        '',
      ].join('\n'),
    );
  });

  it('colours labels and the summary when given colours', () => {
    const out = new CapturedStream();
    renderComplianceTestsText(
      runComplianceTests(cases.slice(0, 1), [rule]),
      out,
      new Chalk({ level: 1 }),
    );
    expect(out.text).toContain('\u001b[32mPASS ');
    expect(out.text).toContain('\u001b[32m1 test: 1 passed, 0 failed, 0 errors');
  });

  it('prints just the summary for no cases', () => {
    const out = new CapturedStream();
    renderComplianceTestsText(runComplianceTests([], [rule]), out);
    expect(out.text).toBe('0 tests: 0 passed, 0 failed, 0 errors\n');
  });
});

describe('renderComplianceTestsJson', () => {
  it('prints the results with the actual verdict and the location', () => {
    const out = new CapturedStream();
    renderComplianceTestsJson(report, out);
    const parsed = JSON.parse(out.text) as { ok: boolean; counts: unknown; results: unknown[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.counts).toEqual({ total: 3, passed: 1, failed: 1, errors: 1 });
    expect(parsed.results[1]).toEqual({
      name: 'wrongly expects allowed',
      rule: reference,
      status: 'failed',
      expected: { verdict: 'allowed' },
      actual: {
        verdict: 'blocked',
        reason: 'time-window',
        blockedBy: ['time-window'],
        detail:
          '2026-03-02 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
      },
      message:
        'expected allowed, but the call is blocked by time-window: 2026-03-02 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
      location: 'manifests/tests.yaml:9:5',
    });
    expect(parsed.results[2]).toEqual({
      name: 'typo in rule',
      rule: { ...reference, name: 'US-FCC callin hours' },
      status: 'error',
      expected: { verdict: 'blocked' },
      message: 'no compliance rule "US-FCC callin hours" in campaign "Spring Renewals"',
      hint: 'did you mean "US-FCC calling hours"?',
    });
  });
});
