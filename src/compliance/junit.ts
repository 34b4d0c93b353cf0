/**
 * JUnit XML for compliance test results, in the shape GitHub test-report actions, GitLab
 * (`artifacts:reports:junit`) and Jenkins (JUnit plugin) read:
 *
 * ```xml
 * <testsuites name=".." tests="N" failures="F" errors="E" skipped="0" time="0">
 *   <testsuite name=".." tests="N" failures="F" errors="E" skipped="0" time="0">
 *     <testcase name="<case>" classname="<campaign> / <rule>" time="0" file=".." line="..">
 *       <failure message="<one line>" type="ExpectationFailed">details</failure>   (failed)
 *       <error message="<one line>" type="RuleNotFound|InvalidCall|InvalidTest">..</error>   (error)
 *       <system-out>verdict and checks</system-out>   (passed)
 * ```
 *
 * Times are 0: evaluation is offline and instant, and a fixed value keeps the file byte-for-byte
 * reproducible. `file`/`line` appear when the case's location is known.
 */
import { describeRule, type ComplianceTestReport, type ComplianceTestResult } from './runTests.js';
import type { Evaluation } from './types.js';

/** Options of {@link toJUnitXml}. */
export interface JUnitOptions {
  /** Name of the suite (default `cxctl compliance tests`). */
  suiteName?: string;
}

/** True for code points XML 1.0 allows in a document (section 2.2, `Char`). */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** Replace characters XML cannot carry at all (control characters, lone surrogates) with U+FFFD. */
function xmlSafe(text: string): string {
  let out = '';
  // for..of walks code points, so a valid surrogate pair stays whole and a lone one is caught.
  for (const char of text) {
    out += isXmlChar(char.codePointAt(0) ?? 0) ? char : '\uFFFD';
  }
  return out;
}

/** Escape text content. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escape an attribute value for double quotes. Tabs and line breaks become character references,
 * because a parser would otherwise normalise them to spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attributes(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function describeEvaluation(evaluation: Evaluation): string[] {
  if (evaluation.verdict === 'invalid') {
    return [
      'actual:   invalid call',
      ...evaluation.problems.map((p) => `  ${p.field}: ${p.message}`),
    ];
  }
  const actual =
    evaluation.verdict === 'blocked' ? `blocked (reason: ${evaluation.reason})` : 'allowed';
  return [
    `actual:   ${actual}`,
    'checks:',
    ...evaluation.checks.map((check) => `  ${check.check}: ${check.outcome}: ${check.detail}`),
  ];
}

function caseDetails(result: ComplianceTestResult): string {
  const expected =
    result.expected.reason === undefined
      ? result.expected.verdict
      : `${result.expected.verdict} (reason: ${result.expected.reason})`;
  const lines = [`rule:     ${describeRule(result.rule)}`, `expected: ${expected}`];
  if (result.evaluation !== undefined) lines.push(...describeEvaluation(result.evaluation));
  if (result.hint !== undefined) lines.push(`hint:     ${result.hint}`);
  return lines.join('\n');
}

const ERROR_TYPES = {
  'rule-not-found': 'RuleNotFound',
  'invalid-call': 'InvalidCall',
  'invalid-test': 'InvalidTest',
} as const;

function testcase(result: ComplianceTestResult): string {
  const open = `    <testcase${attributes({
    name: result.name,
    classname: describeRule(result.rule),
    time: 0,
    file: result.at?.file,
    line: result.at?.line,
  })}>`;
  const details = escapeXmlText(caseDetails(result));
  let body: string;
  if (result.status === 'failed') {
    body = `      <failure${attributes({ message: result.message, type: 'ExpectationFailed' })}>${details}</failure>`;
  } else if (result.status === 'error') {
    body = `      <error${attributes({ message: result.message, type: ERROR_TYPES[result.errorKind ?? 'invalid-test'] })}>${details}</error>`;
  } else {
    body = `      <system-out>${escapeXmlText(`${result.message}\n${caseDetails(result)}`)}</system-out>`;
  }
  return `${open}\n${body}\n    </testcase>`;
}

/** The whole report as a JUnit XML document (UTF-8, ends with a newline). */
export function toJUnitXml(report: ComplianceTestReport, options: JUnitOptions = {}): string {
  const name = options.suiteName ?? 'cxctl compliance tests';
  const counts = {
    tests: report.counts.total,
    failures: report.counts.failed,
    errors: report.counts.errors,
    skipped: 0,
    time: 0,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name, ...counts })}>`,
    `  <testsuite${attributes({ name, ...counts })}>`,
    ...report.results.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
