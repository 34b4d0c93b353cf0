/**
 * Compliance tests in the manifest pipeline: the check that every `complianceTests` case names a
 * rule the manifests declare (so `cxctl validate` catches a renamed rule without running
 * anything), and the conversion of the validated manifests into the cases and rules `cxctl test`
 * runs. A test or rule that names no campaign gets the default campaign (CXONE_CAMPAIGN_ID), exactly
 * as the compliance rule kind does. Pure.
 */
import type { PendingDiagnostic } from '../diagnostics.js';
import { pointerInside, type KindDefaults } from '../kinds/types.js';
import type {
  ExtensionContext,
  ExtensionResult,
  ManifestExtension,
  ManifestResult,
  MergedManifest,
} from '../manifest/pipelineTypes.js';
import {
  unknownRuleReferences,
  type ComplianceTestCase,
  type RuleReference,
  type RuleUnderTest,
} from './runTests.js';
import { isJsonObject } from '../util/json.js';
import type { BlockReason, CallAttempt } from './types.js';

/** The extension's name. */
export const COMPLIANCE_TESTS_EXTENSION_NAME = 'complianceTests';

/** The compliance test reference check of the manifest pipeline. */
export const complianceTestsExtension: ManifestExtension = {
  name: COMPLIANCE_TESTS_EXTENSION_NAME,
  expand: checkComplianceTestReferences,
};

/** Diagnostic code of a test that names a rule no manifest declares. */
export const UNKNOWN_RULE_CODE = 'complianceTest.unknownRule';

type Raw = Record<string, unknown>;

/** The campaign a rule or test reference means: as written, else the default campaign. */
function campaignOf(value: Raw, defaults: KindDefaults): string | undefined {
  return typeof value.campaign === 'string' ? value.campaign : defaults.defaultCampaign;
}

/**
 * Errors at each test whose rule reference names no declared rule (with "did you mean"), or names
 * no campaign when there is no default campaign. Rules the schema rejected still count as declared,
 * so a broken rule is reported once, at the rule.
 */
export function checkComplianceTestReferences(
  manifest: MergedManifest,
  context: Pick<ExtensionContext, 'defaults'>,
): ExtensionResult {
  const tests = manifest.items.complianceTests;
  if (tests.length === 0) return {};
  const rules: RuleReference[] = [];
  for (const item of manifest.items.complianceRules) {
    const campaign = campaignOf(item.value, context.defaults);
    if (typeof item.value.name === 'string' && campaign !== undefined) {
      rules.push({ campaign, name: item.value.name });
    }
  }
  const diagnostics: PendingDiagnostic[] = [];
  const references: Parameters<typeof unknownRuleReferences>[0][number][] = [];
  for (const item of tests) {
    const call = item.value.call;
    if (isJsonObject(call) && call.timeZone === undefined && call.phone === undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'complianceTest.noZone',
        message: `compliance test "${String(item.value.name)}" gives its call neither a timeZone nor a phone`,
        at: pointerInside(item.at, 'call'),
        hint: 'add timeZone: <IANA zone>, or phone: "+1..." to take the candidate zones from the number',
      });
    }
    const reference = item.value.rule;
    if (!isJsonObject(reference) || typeof reference.name !== 'string') continue; // the schema's
    const name = typeof item.value.name === 'string' ? item.value.name : '(unnamed)';
    const campaign = campaignOf(reference, context.defaults);
    if (campaign === undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'complianceTest.noCampaign',
        message: `compliance test "${name}" names rule "${reference.name}" without a campaign, and no default campaign is set`,
        at: pointerInside(item.at, 'rule'),
        hint: 'add campaign: <name or id> to the rule reference, or set CXONE_CAMPAIGN_ID',
      });
      continue;
    }
    references.push({
      name,
      rule: { campaign, name: reference.name },
      at: item.at,
      ruleAt: pointerInside(item.at, 'rule'),
    });
  }
  diagnostics.push(...unknownRuleReferences(references, rules));
  return { diagnostics };
}

/**
 * The cases of validated manifests, in declaration order, each located at its list item (line and
 * column filled in, for messages and JUnit). Cases the schema rejected are left out: commands run
 * tests only on manifests without errors.
 */
export function complianceTestCases(
  result: Pick<ManifestResult, 'merged' | 'locator'>,
  defaults: KindDefaults,
): ComplianceTestCase[] {
  const cases: ComplianceTestCase[] = [];
  for (const item of result.merged.items.complianceTests) {
    if (!item.schemaValid) continue;
    const value = item.value;
    const reference = value.rule as Raw;
    const position = result.locator.locate(item.at);
    const testCase: ComplianceTestCase = {
      name: value.name as string,
      rule: { campaign: campaignOf(reference, defaults) ?? '', name: reference.name as string },
      call: value.call as CallAttempt,
      expect: value.expect as ComplianceTestCase['expect'],
      at: { file: item.at.file, line: position.line, column: position.column },
    };
    if (value.reason !== undefined) testCase.reason = value.reason as BlockReason;
    cases.push(testCase);
  }
  return cases;
}

/** The desired compliance rules as the evaluator reads them, located at their declarations. */
export function rulesUnderTest(
  result: Pick<ManifestResult, 'desired' | 'locator'>,
): RuleUnderTest[] {
  return result.desired.complianceRules.map(({ value, at }) => {
    const position = result.locator.locate(at);
    return { ...value, at: { file: at.file, line: position.line, column: position.column } };
  });
}
