/**
 * Renderers of compliance test results (`cxctl test`): text for people, JSON for machines. JUnit XML
 * is in src/compliance/junit.ts. They write to the stream they are given and compute nothing.
 */
import type { ChalkInstance } from 'chalk';
import {
  describeRule,
  resultLocation,
  type ComplianceTestReport,
  type ComplianceTestResult,
} from '../compliance/runTests.js';
import type { TextSink } from '../util/log.js';

const LABELS = { passed: 'PASS ', failed: 'FAIL ', error: 'ERROR' } as const;

function line(result: ComplianceTestResult, color: ChalkInstance | undefined): string {
  const label = LABELS[result.status];
  const painted =
    color === undefined
      ? label
      : result.status === 'passed'
        ? color.green(label)
        : result.status === 'failed'
          ? color.red(label)
          : color.magenta(label);
  const rule = `[${describeRule(result.rule)}]`;
  const lines = [`${painted} ${result.name}  ${color ? color.dim(rule) : rule}`];
  lines.push(`      ${result.message}`);
  if (result.hint !== undefined) lines.push(`      hint: ${result.hint}`);
  const where = resultLocation(result);
  if (where !== undefined && result.status !== 'passed') lines.push(`      at ${where}`);
  return lines.join('\n');
}

/** One block per case, then `N tests: P passed, F failed, E errors`. */
export function renderComplianceTestsText(
  report: ComplianceTestReport,
  out: TextSink,
  color?: ChalkInstance,
): void {
  const blocks = report.results.map((result) => line(result, color));
  const { total, passed, failed, errors } = report.counts;
  const summary = `${total} test${total === 1 ? '' : 's'}: ${passed} passed, ${failed} failed, ${errors} error${errors === 1 ? '' : 's'}`;
  const painted =
    color === undefined ? summary : report.ok ? color.green(summary) : color.red(summary);
  out.write(`${[...blocks, ...(blocks.length > 0 ? [''] : []), painted].join('\n')}\n`);
}

/** Version of the `cxctl test --format json` document (docs/compliance.md describes it). */
export const COMPLIANCE_TESTS_JSON_VERSION = 1;

/**
 * The report as JSON: `{formatVersion, ok, counts, results: [{name, rule, status, expected, actual?, message,
 * hint?, location?}]}` where `actual` is `{verdict, reason?, blockedBy?, detail}`.
 */
export function renderComplianceTestsJson(report: ComplianceTestReport, out: TextSink): void {
  const document = {
    formatVersion: COMPLIANCE_TESTS_JSON_VERSION,
    ok: report.ok,
    counts: report.counts,
    results: report.results.map((result) => {
      const evaluation = result.evaluation;
      return {
        name: result.name,
        rule: result.rule,
        status: result.status,
        expected: result.expected,
        actual:
          evaluation === undefined
            ? undefined
            : evaluation.verdict === 'blocked'
              ? {
                  verdict: evaluation.verdict,
                  reason: evaluation.reason,
                  blockedBy: evaluation.blockedBy,
                  detail: evaluation.detail,
                }
              : { verdict: evaluation.verdict, detail: evaluation.detail },
        message: result.message,
        hint: result.hint,
        location: resultLocation(result),
      };
    }),
  };
  out.write(`${JSON.stringify(document, null, 2)}\n`);
}
