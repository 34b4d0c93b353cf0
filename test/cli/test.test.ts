import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cxctl, temporaryProjects } from '../helpers/project.js';
import { parseXml } from '../helpers/xml.js';

const project = temporaryProjects('cxctl-test-');

const RULES = `complianceRules:
  - campaign: Spring Renewals
    name: US-FCC calling hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions:
      - { timeZone: America/New_York, startHour: 8, endHour: 20 }
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
`;

/** Three cases: allowed, blocked by the window, blocked by DNC. */
const PASSING_TESTS = `complianceTests:
  - name: afternoon call is allowed
    rule: { campaign: Spring Renewals, name: US-FCC calling hours }
    call: { phone: "+12125550199", at: "2026-03-03T18:00:00Z", timeZone: America/New_York }
    expect: allowed
  - name: no calls after 8pm in New York
    rule: { campaign: Spring Renewals, name: US-FCC calling hours }
    call: { phone: "+12125550199", at: "2026-03-04T01:30:00Z", timeZone: America/New_York }
    expect: blocked
    reason: time-window
  - name: DNC numbers are never dialled
    rule: { campaign: Spring Renewals, name: US-FCC calling hours }
    call: { at: "2026-03-03T18:00:00Z", timeZone: America/New_York, onDncLists: [Internal DNC] }
    expect: blocked
    reason: dnc
`;

/** One failing expectation and one test naming a rule that does not exist. */
const FAILING_TESTS = `complianceTests:
  - name: afternoon call is allowed
    rule: { campaign: Spring Renewals, name: US-FCC calling hours }
    call: { phone: "+12125550199", at: "2026-03-03T18:00:00Z", timeZone: America/New_York }
    expect: allowed
  - name: 9pm is still fine
    rule: { campaign: Spring Renewals, name: US-FCC calling hours }
    call: { phone: "+12125550199", at: "2026-03-04T02:00:00Z", timeZone: America/New_York }
    expect: allowed
  - name: a renamed rule
    rule: { campaign: Spring Renewals, name: US-FCC calling hour }
    call: { phone: "+12125550199", at: "2026-03-04T02:00:00Z", timeZone: America/New_York }
    expect: blocked
`;

describe('cxctl test', () => {
  it('runs every case offline and exits 0 when all pass', async () => {
    const root = project({ 'manifests/rules.yaml': RULES, 'manifests/tests.yaml': PASSING_TESTS });
    const result = await cxctl(root, ['test', '--no-color']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'PASS  no calls after 8pm in New York  [Spring Renewals / US-FCC calling hours]\n' +
        '      blocked by time-window, as expected: 2026-03-03 20:30:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00',
    );
    expect(result.stdout).toContain('blocked by dnc, as expected: the callee is on DNC list');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      '3 tests: 3 passed, 0 failed, 0 errors',
    );
  });

  it('exits 1 naming the failed expectation and the unknown rule, with did you mean', async () => {
    const root = project({ 'manifests/rules.yaml': RULES, 'manifests/tests.yaml': FAILING_TESTS });
    const result = await cxctl(root, ['test', '--no-color']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'FAIL  9pm is still fine  [Spring Renewals / US-FCC calling hours]\n' +
        '      expected allowed, but the call is blocked by time-window: 2026-03-03 21:00:00 UTC-05:00 in America/New_York is outside the calling window 08:00-20:00\n' +
        '      at manifests/tests.yaml:6:5\n',
    );
    expect(result.stdout).toContain(
      'ERROR a renamed rule  [Spring Renewals / US-FCC calling hour]\n' +
        '      no compliance rule "US-FCC calling hour" in campaign "Spring Renewals"\n' +
        '      hint: did you mean "US-FCC calling hours"?\n' +
        '      at manifests/tests.yaml:10:5\n',
    );
    expect(result.stdout).toContain('3 tests: 1 passed, 1 failed, 1 error');
  });

  it('writes the results as JSON', async () => {
    const root = project({ 'manifests/rules.yaml': RULES, 'manifests/tests.yaml': FAILING_TESTS });
    const result = await cxctl(root, ['test', '--format', 'json']);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as {
      ok: boolean;
      counts: unknown;
      results: { name: string; status: string; location?: string; actual?: { reason?: string } }[];
    };
    expect(document.ok).toBe(false);
    expect(document.counts).toEqual({ total: 3, passed: 1, failed: 1, errors: 1 });
    expect(
      document.results.map((r) => [r.name, r.status, r.location, r.actual?.reason ?? null]),
    ).toEqual([
      ['afternoon call is allowed', 'passed', 'manifests/tests.yaml:2:5', null],
      ['9pm is still fine', 'failed', 'manifests/tests.yaml:6:5', 'time-window'],
      ['a renamed rule', 'error', 'manifests/tests.yaml:10:5', null],
    ]);
  });

  it('writes well-formed JUnit XML whose cases point at their manifest lines', async () => {
    const root = project({ 'manifests/rules.yaml': RULES, 'manifests/tests.yaml': FAILING_TESTS });
    const result = await cxctl(root, ['test', '--junit', 'reports/junit.xml']);
    expect(result.code).toBe(1);
    const xml = readFileSync(join(root, 'reports/junit.xml'), 'utf8');
    const suites = parseXml(xml);
    expect(suites.name).toBe('testsuites');
    expect(suites.attributes).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const cases = suites.children[0]?.children ?? [];
    expect(cases.map((c) => [c.attributes.name, c.attributes.file, c.attributes.line])).toEqual([
      ['afternoon call is allowed', 'manifests/tests.yaml', '2'],
      ['9pm is still fine', 'manifests/tests.yaml', '6'],
      ['a renamed rule', 'manifests/tests.yaml', '10'],
    ]);
    expect(cases[1]?.children[0]?.name).toBe('failure');
    expect(cases[2]?.children[0]).toMatchObject({
      name: 'error',
      attributes: { type: 'RuleNotFound' },
    });
    // The line named is where the case starts in the manifest.
    const lines = readFileSync(join(root, 'manifests/tests.yaml'), 'utf8').split('\n');
    expect(lines[9]).toBe('  - name: a renamed rule');
  });

  it('writes JUnit XML for a passing run too', async () => {
    const root = project({ 'manifests/rules.yaml': RULES, 'manifests/tests.yaml': PASSING_TESTS });
    const result = await cxctl(root, ['test', '--junit', 'junit.xml', '--format', 'json']);
    expect(result.code).toBe(0);
    const suites = parseXml(readFileSync(join(root, 'junit.xml'), 'utf8'));
    expect(suites.attributes).toMatchObject({ tests: '3', failures: '0', errors: '0' });
  });

  it('takes the campaign from CXONE_CAMPAIGN_ID for rules and tests that name none', async () => {
    const rules = RULES.replace('  - campaign: Spring Renewals\n    name:', '  - name:');
    const tests = PASSING_TESTS.replaceAll('campaign: Spring Renewals, ', '');
    const root = project({ 'manifests/rules.yaml': rules, 'manifests/tests.yaml': tests });
    const withDefault = await cxctl(root, ['test', '--no-color'], {
      env: { CXONE_CAMPAIGN_ID: 'Spring Renewals' },
    });
    expect(withDefault.code).toBe(0);
    expect(withDefault.stdout).toContain('[Spring Renewals / US-FCC calling hours]');
    const without = await cxctl(root, ['test']);
    expect(without.code).toBe(1);
    expect(without.stdout).toBe('');
    expect(without.stderr).toContain(
      'manifests/tests.yaml:3:11: error: compliance test "afternoon call is allowed" names rule "US-FCC calling hours" without a campaign, and no default campaign is set [complianceTest.noCampaign]',
    );
  });

  it('runs no test when the manifests have other errors, and writes nothing', async () => {
    const broken = RULES.replace('concurrencyLimit: 5', 'concurrencyLimit: 11');
    const root = project({ 'manifests/rules.yaml': broken, 'manifests/tests.yaml': PASSING_TESTS });
    const result = await cxctl(root, ['test', '--junit', 'junit.xml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'manifests/rules.yaml:10:23: error: concurrencyLimit must be between 1 and 10, got 11',
    );
    expect(result.stderr).toContain('error: 1 error in the manifests; no tests were run');
    expect(existsSync(join(root, 'junit.xml'))).toBe(false);
  });

  it('reports zero tests as success', async () => {
    const root = project({ 'manifests/rules.yaml': RULES });
    const result = await cxctl(root, ['test']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0 tests: 0 passed, 0 failed, 0 errors\n');
  });

  it('fails clearly when the JUnit file cannot be written', async () => {
    const root = project({
      'manifests/rules.yaml': RULES,
      'manifests/tests.yaml': PASSING_TESTS,
      'taken/file': 'x',
    });
    const result = await cxctl(root, ['test', '--junit', 'taken/file/junit.xml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot write the JUnit report .*junit\.xml \(E\w+\)\n/);
  });
});

describe('cxctl validate and compliance tests', () => {
  it('reports a test that names an unknown rule at the reference, with did you mean', async () => {
    const root = project({ 'manifests/rules.yaml': RULES, 'manifests/tests.yaml': FAILING_TESTS });
    const result = await cxctl(root, ['validate', '--no-color']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'manifests/tests.yaml:11:11: error: compliance test "a renamed rule" names no compliance rule "US-FCC calling hour" in campaign "Spring Renewals" [complianceTest.unknownRule]\n' +
        '  hint: did you mean "US-FCC calling hours"?\n',
    );
  });
});
