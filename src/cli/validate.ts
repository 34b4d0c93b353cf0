import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';

/** Output formats of `cxctl validate`. */
export const VALIDATE_FORMATS = ['text', 'json', 'github'] as const;

/**
 * `cxctl validate [PATH..]`: parse, schema-check and cross-check manifests (including CRM mappings
 * and the rules compliance tests name), offline. Exit 0 when
 * clean, 1 on any error (and on any warning with `--strict`). Reads files, writes nothing.
 */
export const validateCommand = defineCommand({
  command: 'validate [paths..]',
  describe: 'Check manifests: YAML, schema and cross-file rules (no network)',
  builder: (yargs) =>
    withManifestPaths(yargs)
      .option('format', {
        choices: VALIDATE_FORMATS,
        default: 'text',
        describe: 'output format (github: workflow-command annotations)',
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'treat warnings as errors',
      }),
  run: async (args, context) => {
    // The manifest pipeline and renderers load only when the command runs: every other command
    // (and --help) starts without them.
    const [
      { loadManifests, withConfigPath },
      { buildValidateReport },
      { renderValidateGithub },
      { renderValidateJson },
      { renderValidateText },
    ] = await Promise.all([
      import('../io/loadManifests.js'),
      import('../manifest/report.js'),
      import('../render/validateGithub.js'),
      import('../render/validateJson.js'),
      import('../render/validateText.js'),
    ]);
    const { result, diagnostics } = loadManifests(
      args.paths?.map(String),
      withConfigPath(context, args.config),
    );
    const report = buildValidateReport(result, diagnostics, args.strict);
    if (args.format === 'json') renderValidateJson(report, context.stdout);
    else if (args.format === 'github') renderValidateGithub(report, context.stdout);
    else renderValidateText(report, context.stdout, context.color);
    return report.ok ? 0 : 1;
  },
});
