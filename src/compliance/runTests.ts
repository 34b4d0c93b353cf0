/**
 * Runs compliance test cases (`complianceTests` in manifests) against compliance rules, offline.
 *
 * Produces result data only; src/render/complianceTests.ts prints it and ./junit.ts turns it into
 * JUnit XML.
 */
import { formatLocation, type PendingDiagnostic, type SourceLocation } from '../diagnostics.js';
import { closestMatch } from '../util/suggest.js';
import { evaluateCall } from './evaluate.js';
import {
  BLOCK_REASONS,
  type BlockReason,
  type CallAttempt,
  type EvaluatedRule,
  type Evaluation,
} from './types.js';

/** Names a rule by its identity: campaign + name, as written in the manifest. */
export interface RuleReference {
  campaign: string;
  name: string;
}

/** A compliance test case as a manifest declares it. */
export interface ComplianceTestCase {
  name: string;
  rule: RuleReference;
  call: CallAttempt;
  expect: 'allowed' | 'blocked';
  /** Only with `expect: blocked`: the reason that must decide the verdict. */
  reason?: BlockReason;
  /** Where the case is declared, for messages and for JUnit `file`/`line`. */
  at?: SourceLocation;
}

/** A rule the cases may reference, with where it is declared. */
export type RuleUnderTest = EvaluatedRule & { at?: SourceLocation };

/**
 * `passed`: the verdict (and reason, when given) matched. `failed`: it did not. `error`: the case
 * could not be run (unknown rule, invalid call, malformed expectation).
 */
export type TestStatus = 'passed' | 'failed' | 'error';

/** The outcome of one case. */
export interface ComplianceTestResult {
  name: string;
  rule: RuleReference;
  status: TestStatus;
  /** Why a case with status `error` could not be run. */
  errorKind?: 'rule-not-found' | 'invalid-call' | 'invalid-test';
  expected: { verdict: string; reason?: string };
  /** The evaluation, when the rule was found (an invalid call gives verdict `invalid`). */
  evaluation?: Evaluation;
  /** One sentence: what happened and why. */
  message: string;
  /** What to do about an error, e.g. `did you mean "US-FCC calling hours"?`. */
  hint?: string;
  at?: SourceLocation;
}

/** All results, in the order the cases were given, with counts. */
export interface ComplianceTestReport {
  results: ComplianceTestResult[];
  counts: { total: number; passed: number; failed: number; errors: number };
  /** True when every case passed (the exit code of `cxctl test` is 0 exactly then). */
  ok: boolean;
}

/** The text `Spring Renewals / US-FCC calling hours` used for a rule in messages and JUnit. */
export function describeRule(rule: RuleReference): string {
  return `${rule.campaign} / ${rule.name}`;
}

function ruleKey(rule: RuleReference): string {
  // JSON of a pair cannot collide the way "a/b" + "c" and "a" + "b/c" would.
  return JSON.stringify([rule.campaign, rule.name]);
}

/** Looks rules up by campaign + name and words "did you mean" hints for misses. */
export class RuleIndex<Rule extends RuleReference> {
  private readonly byKey = new Map<string, Rule>();

  constructor(private readonly rules: readonly Rule[]) {
    for (const rule of rules) {
      const key = ruleKey(rule);
      // Duplicates are reported by manifest validation; the first declaration is the one used.
      if (!this.byKey.has(key)) this.byKey.set(key, rule);
    }
  }

  find(reference: RuleReference): Rule | undefined {
    return this.byKey.get(ruleKey(reference));
  }

  /** A hint naming the rule the reference most likely meant, if any is close. */
  suggest(reference: RuleReference): string | undefined {
    const sameCampaign = this.rules.filter((rule) => rule.campaign === reference.campaign);
    if (sameCampaign.length > 0) {
      const name = closestMatch(
        reference.name,
        sameCampaign.map((rule) => rule.name),
      );
      if (name !== undefined) return `did you mean "${name}"?`;
      const known = sameCampaign.map((rule) => `"${rule.name}"`).join(', ');
      const count = sameCampaign.length === 1 ? 'one rule,' : 'the rules';
      return `campaign "${reference.campaign}" has ${count} ${known}`;
    }
    const sameName = this.rules.filter((rule) => rule.name === reference.name);
    const campaign = closestMatch(
      reference.campaign,
      (sameName.length > 0 ? sameName : this.rules).map((rule) => rule.campaign),
    );
    if (sameName.length > 0) {
      const pick = campaign ?? sameName[0]?.campaign;
      return `did you mean campaign "${pick}"?`;
    }
    if (campaign !== undefined) return `did you mean campaign "${campaign}"?`;
    return this.rules.length === 0
      ? 'no compliance rules are declared in the manifests'
      : `no rule is declared in campaign "${reference.campaign}"`;
  }
}

export function missingRuleMessage(reference: RuleReference): string {
  return `no compliance rule "${reference.name}" in campaign "${reference.campaign}"`;
}

/** Why the case's expectation itself is malformed, or undefined when it is fine. */
function expectationProblem(testCase: ComplianceTestCase): string | undefined {
  const expected = testCase.expect as unknown;
  if (expected !== 'allowed' && expected !== 'blocked') {
    return `expect must be allowed or blocked, not ${JSON.stringify(expected)}`;
  }
  const reason = testCase.reason as unknown;
  if (reason === undefined) return undefined;
  if (typeof reason !== 'string' || !(BLOCK_REASONS as readonly string[]).includes(reason)) {
    return `reason must be one of ${BLOCK_REASONS.join(', ')}, not ${JSON.stringify(reason)}`;
  }
  if (expected === 'allowed') return 'a reason only goes with expect: blocked';
  return undefined;
}

function judge(
  testCase: ComplianceTestCase,
  evaluation: Evaluation,
): Pick<ComplianceTestResult, 'status' | 'message' | 'errorKind'> {
  if (evaluation.verdict === 'invalid') {
    return {
      status: 'error',
      errorKind: 'invalid-call',
      message: `the call is invalid: ${evaluation.detail}`,
    };
  }
  const actual = evaluation.verdict === 'blocked' ? `blocked by ${evaluation.reason}` : 'allowed';
  if (evaluation.verdict !== testCase.expect) {
    return {
      status: 'failed',
      message: `expected ${testCase.expect}, but the call is ${actual}: ${evaluation.detail}`,
    };
  }
  if (
    evaluation.verdict === 'blocked' &&
    testCase.reason !== undefined &&
    testCase.reason !== evaluation.reason
  ) {
    const note = evaluation.blockedBy.includes(testCase.reason)
      ? ` (${testCase.reason} also blocks, but ${evaluation.reason} comes first)`
      : '';
    return {
      status: 'failed',
      message: `expected blocked by ${testCase.reason}, but the call is ${actual}${note}: ${evaluation.detail}`,
    };
  }
  return { status: 'passed', message: `${actual}, as expected: ${evaluation.detail}` };
}

/** Run one case against the rules. */
function runCase(
  testCase: ComplianceTestCase,
  index: RuleIndex<RuleUnderTest>,
): ComplianceTestResult {
  const base: ComplianceTestResult = {
    name: testCase.name,
    rule: { campaign: testCase.rule.campaign, name: testCase.rule.name },
    status: 'error',
    expected: { verdict: String(testCase.expect) },
    message: '',
  };
  if (testCase.reason !== undefined) base.expected.reason = String(testCase.reason);
  if (testCase.at !== undefined) base.at = testCase.at;

  const malformed = expectationProblem(testCase);
  if (malformed !== undefined) return { ...base, errorKind: 'invalid-test', message: malformed };

  const rule = index.find(testCase.rule);
  if (rule === undefined) {
    const result: ComplianceTestResult = {
      ...base,
      errorKind: 'rule-not-found',
      message: missingRuleMessage(testCase.rule),
    };
    const hint = index.suggest(testCase.rule);
    if (hint !== undefined) result.hint = hint;
    return result;
  }
  const evaluation = evaluateCall(rule, testCase.call);
  return { ...base, ...judge(testCase, evaluation), evaluation };
}

/** Run every case against `rules`; results keep the order of `cases`. */
export function runComplianceTests(
  cases: readonly ComplianceTestCase[],
  rules: readonly RuleUnderTest[],
): ComplianceTestReport {
  const index = new RuleIndex(rules);
  const results = cases.map((testCase) => runCase(testCase, index));
  const counts = { total: results.length, passed: 0, failed: 0, errors: 0 };
  for (const result of results) {
    if (result.status === 'passed') counts.passed++;
    else if (result.status === 'failed') counts.failed++;
    else counts.errors++;
  }
  return { results, counts, ok: counts.failed === 0 && counts.errors === 0 };
}

/**
 * Test cases that name a rule no manifest declares, as problems at the case, so `cxctl validate`
 * can report them without running anything. Only the rules' identities are needed. Cases without a
 * location are reported at `fallbackFile`; a case may give `ruleAt`, the place of its `rule`
 * reference, to be reported there instead.
 */
export function unknownRuleReferences(
  cases: readonly (Pick<ComplianceTestCase, 'name' | 'rule' | 'at'> & {
    ruleAt?: SourceLocation;
  })[],
  rules: readonly RuleReference[],
  fallbackFile = '<manifests>',
): PendingDiagnostic[] {
  const index = new RuleIndex(rules);
  const problems: PendingDiagnostic[] = [];
  for (const testCase of cases) {
    if (index.find(testCase.rule) !== undefined) continue;
    const at: SourceLocation = testCase.ruleAt ?? testCase.at ?? { file: fallbackFile };
    const problem: PendingDiagnostic = {
      severity: 'error',
      code: 'complianceTest.unknownRule',
      message: `compliance test "${testCase.name}" names ${missingRuleMessage(testCase.rule)}`,
      at,
    };
    const hint = index.suggest(testCase.rule);
    if (hint !== undefined) problem.hint = hint;
    problems.push(problem);
  }
  return problems;
}

/** `file:line:col` of a result's case, or undefined; handy for renderers. */
export function resultLocation(result: ComplianceTestResult): string | undefined {
  return result.at === undefined ? undefined : formatLocation(result.at);
}
