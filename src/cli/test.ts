import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CxctlError } from '../errors.js';
import { writeTextAtomically } from '../io/atomicWrite.js';
import { redact } from '../secrets.js';
import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';

/** Output formats of `cxctl test`. */
export const TEST_FORMATS = ['text', 'json'] as const;

/**
 * `cxctl test [PATH..]`: run the `complianceTests` of the manifests against their
 * `complianceRules`, offline. Each case is reported with its verdict and deciding reason; exit 1
 * when any case fails or errors (a test naming an unknown rule is an errored case, with "did you
 * mean"). Other manifest errors stop the run before any test (nothing written). `--junit FILE`
 * writes JUnit XML whose test cases point at their manifest lines. See docs/compliance.md.
 */
export const testCommand = defineCommand({
  command: 'test [paths..]',
  describe: 'Run the compliance tests declared in manifests against the rules (no network)',
  builder: (yargs) =>
    withManifestPaths(yargs)
      .option('format', {
        choices: TEST_FORMATS,
        default: 'text',
        describe: 'output format',
      })
      .option('junit', {
        type: 'string',
        describe: 'also write the results as JUnit XML to FILE (for CI test reports)',
      }),
  run: async (args, context) => {
    // The manifest pipeline, the evaluator and renderers load only when the command runs.
    const [
      { complianceTestCases, rulesUnderTest, UNKNOWN_RULE_CODE },
      { toJUnitXml },
      { runComplianceTests },
      { loadManifests },
      { renderComplianceTestsJson, renderComplianceTestsText },
      { countWords, printDiagnostics, redactingSink },
    ] = await Promise.all([
      import('../compliance/extension.js'),
      import('../compliance/junit.js'),
      import('../compliance/runTests.js'),
      import('../io/loadManifests.js'),
      import('../render/complianceTests.js'),
      import('./output.js'),
    ]);
    const loaded = loadManifests(args.paths?.map(String), context);
    // A test naming an unknown rule is reported as that test's error, in the results; every other
    // error means the rules or tests cannot be trusted, so nothing runs.
    const blocking = loaded.diagnostics.filter(
      (diagnostic) => diagnostic.severity === 'error' && diagnostic.code !== UNKNOWN_RULE_CODE,
    );
    if (blocking.length > 0) {
      printDiagnostics(context, blocking);
      throw new CxctlError(
        'MANIFEST_INVALID',
        `${countWords(blocking.length, 'error')} in the manifests; no tests were run`,
        { hint: 'fix the problems above (cxctl validate lists them too)' },
      );
    }
    const report = runComplianceTests(
      complianceTestCases(loaded.result, loaded.defaults),
      rulesUnderTest(loaded.result),
    );
    const out = redactingSink(context.stdout);
    if (args.format === 'json') renderComplianceTestsJson(report, out);
    else renderComplianceTestsText(report, out, context.color);
    if (args.junit !== undefined) writeJUnit(resolve(context.cwd, args.junit), toJUnitXml(report));
    return report.ok ? 0 : 1;
  },
});

function writeJUnit(path: string, xml: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeTextAtomically(path, redact(xml));
  } catch (error: unknown) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new CxctlError(
      'JUNIT_WRITE_FAILED',
      `cannot write the JUnit report ${path} (${reason})`,
      {
        cause: error,
      },
    );
  }
}
