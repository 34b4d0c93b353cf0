import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';

/** Output formats of `cxctl test`. */
export const TEST_FORMATS = ['text', 'json', 'csv'] as const;

/**
 * `cxctl test [PATH..]`: run the `complianceTests` of the manifests against their
 * `complianceRules`, offline. Each case is reported with its verdict and deciding reason; exit 1
 * when any case fails or errors (a test naming an unknown rule is an errored case, with "did you
 * mean"). Other manifest errors stop the run before any test (nothing written). `--junit FILE`
 * writes JUnit XML whose test cases point at their manifest lines. `--calls FILE` judges a dialer
 * export instead: one verdict per row (CSV or JSON Lines), the summary on stderr. See
 * docs/compliance.md.
 */
export const testCommand = defineCommand({
  command: 'test [paths..]',
  describe: 'Run the compliance tests declared in manifests against the rules (no network)',
  builder: (yargs) =>
    withManifestPaths(yargs)
      .option('format', {
        choices: TEST_FORMATS,
        describe: 'output format: text (default) or json; with --calls, csv (default) or json',
      })
      .option('junit', {
        type: 'string',
        describe: 'also write the results as JUnit XML to FILE (for CI test reports)',
      })
      .option('calls', {
        type: 'string',
        describe: 'judge every call attempt of FILE (CSV or JSON Lines) instead of the tests',
      })
      .option('rule', {
        type: 'string',
        describe: 'with --calls: the rule ("Campaign/Rule") of rows that name none',
      })
      .option('fail-on-blocked', {
        type: 'boolean',
        describe: 'with --calls: exit 1 when any attempt is blocked',
      }),
  run: async (args, context) => {
    const { testMain } = await import('./testMain.js');
    return testMain(args, context);
  },
});
