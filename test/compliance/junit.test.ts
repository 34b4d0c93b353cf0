import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, toJUnitXml } from '../../src/compliance/junit.js';
import {
  runComplianceTests,
  type ComplianceTestCase,
  type RuleUnderTest,
} from '../../src/compliance/runTests.js';
import { parseXml, type XmlElement } from '../helpers/xml.js';

const rule: RuleUnderTest = {
  campaign: 'Spring Renewals',
  name: 'US-FCC calling hours',
  timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
  dncLists: ['Internal DNC'],
  maxCallsPerDay: 1,
};

const call = { phone: '+12125550199', at: '2026-03-03T15:00:00Z', timeZone: 'America/New_York' };

const cases: ComplianceTestCase[] = [
  {
    name: 'daytime call is allowed',
    rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hours' },
    call,
    expect: 'allowed',
    at: { file: 'manifests/tests.yaml', line: 4, column: 5 },
  },
  {
    name: 'a wrong expectation',
    rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hours' },
    call,
    expect: 'blocked',
    reason: 'dnc',
    at: { file: 'manifests/tests.yaml', line: 12, column: 5 },
  },
  {
    name: 'points at a missing rule',
    rule: { campaign: 'Spring Renewals', name: 'US-FCC calling hour' },
    call,
    expect: 'blocked',
  },
];

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

describe('toJUnitXml', () => {
  const report = runComplianceTests(cases, [rule]);
  const xml = toJUnitXml(report);
  const root = parseXml(xml);

  it('is well-formed XML with one testsuite inside testsuites', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(root.children.map((c) => c.name)).toEqual(['testsuite']);
  });

  it('carries the counts on both levels', () => {
    const counts = { tests: '3', failures: '1', errors: '1', skipped: '0', time: '0' };
    expect(root.attributes).toEqual({ name: 'cxctl compliance tests', ...counts });
    expect(root.children[0]?.attributes).toEqual({ name: 'cxctl compliance tests', ...counts });
  });

  it('has a testcase per case, classname = the rule, file and line when known', () => {
    const suite = root.children[0] as XmlElement;
    const testcases = children(suite, 'testcase');
    expect(testcases.map((t) => t.attributes)).toEqual([
      {
        name: 'daytime call is allowed',
        classname: 'Spring Renewals / US-FCC calling hours',
        time: '0',
        file: 'manifests/tests.yaml',
        line: '4',
      },
      {
        name: 'a wrong expectation',
        classname: 'Spring Renewals / US-FCC calling hours',
        time: '0',
        file: 'manifests/tests.yaml',
        line: '12',
      },
      {
        name: 'points at a missing rule',
        classname: 'Spring Renewals / US-FCC calling hour',
        time: '0',
      },
    ]);
  });

  it('puts a failure element on a failed case and an error element on a case that could not run', () => {
    const [passed, failed, errored] = children(root.children[0] as XmlElement, 'testcase');
    expect(passed?.children.map((c) => c.name)).toEqual(['system-out']);
    expect(passed?.children[0]?.text).toContain('allowed, as expected');

    const failure = failed?.children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes.type).toBe('ExpectationFailed');
    expect(failure?.attributes.message).toMatch(/^expected blocked, but the call is allowed: /);
    expect(failure?.text).toContain('expected: blocked (reason: dnc)');
    expect(failure?.text).toContain('actual:   allowed');
    expect(failure?.text).toContain('  time-window: passed: ');

    const error = errored?.children[0];
    expect(error?.name).toBe('error');
    expect(error?.attributes).toEqual({
      message: 'no compliance rule "US-FCC calling hour" in campaign "Spring Renewals"',
      type: 'RuleNotFound',
    });
    expect(error?.text).toContain('hint:     did you mean "US-FCC calling hours"?');
  });

  it('escapes markup, quotes, line breaks and characters XML cannot carry', () => {
    const nasty = 'a <b> & "c" \'d\'\nline two\ttab ]]> \u0001 \uD800 😀';
    const weird = runComplianceTests(
      [
        {
          ...(cases[1] as ComplianceTestCase),
          name: nasty,
          rule: { campaign: 'Q&A <team>', name: 'rule "x"' },
        },
      ],
      [{ ...rule, campaign: 'Q&A <team>', name: 'rule "x"' }],
    );
    const document = toJUnitXml(weird, { suiteName: 'suite & co' });
    const parsed = parseXml(document);
    expect(parsed.attributes.name).toBe('suite & co');
    const testcase = parsed.children[0]?.children[0];
    expect(testcase?.attributes.name).toBe('a <b> & "c" \'d\'\nline two\ttab ]]> \uFFFD \uFFFD 😀');
    expect(testcase?.attributes.classname).toBe('Q&A <team> / rule "x"');
    expect(testcase?.children[0]?.text).toContain('rule:     Q&A <team> / rule "x"');
  });

  it('is reproducible byte for byte', () => {
    expect(toJUnitXml(runComplianceTests(cases, [rule]))).toBe(xml);
  });

  it('writes an empty suite for no cases', () => {
    const empty = parseXml(toJUnitXml(runComplianceTests([], [rule])));
    expect(empty.attributes.tests).toBe('0');
    expect(empty.children[0]?.children).toEqual([]);
  });
});

describe('escaping helpers', () => {
  it('escape text and attributes', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttribute('"x"\n\r\t')).toBe('&quot;x&quot;&#10;&#13;&#9;');
  });
});

describe('the test XML reader', () => {
  it.each([
    ['<a><b></a></b>', 'does not match'],
    ['<a x="1" x="2"/>', 'duplicate attribute'],
    ['<a>&nbsp;</a>', 'unknown entity'],
    ['<a>fish & chips</a>', 'bare &'],
    ['<a x="<"/>', 'malformed attribute'],
    ['<a/><b/>', 'more than one root'],
    ['<a>', 'unclosed element'],
    ['<a>\u0001</a>', 'forbids'],
    ['<a>&#1;</a>', 'illegal character'],
  ])('rejects %j', (document, message) => {
    expect(() => parseXml(document)).toThrow(message);
  });
});
