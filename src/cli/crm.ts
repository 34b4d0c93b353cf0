import { CxctlError } from '../errors.js';
import type { CrmMappingsFormat } from '../render/crmMappings.js';
import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';

/** Output formats of `cxctl crm mappings`. */
export const CRM_MAPPINGS_FORMATS: readonly CrmMappingsFormat[] = ['csv', 'json', 'text'];

/** The actions of `cxctl crm` (one so far). */
export const CRM_ACTIONS = ['mappings'] as const;

/**
 * `cxctl crm mappings [PATH..]`: the resolved CRM status -> wrap-up code table the CRM side
 * imports, offline. The manifests must validate (the table lists codes that apply will create);
 * diagnostics go to stderr, the table to stdout. Default format: `text` on a terminal, `csv`
 * otherwise, so `cxctl crm mappings > table.csv` writes the import file. See docs/crm.md.
 */
export const crmCommand = defineCommand({
  // The action is optional for yargs, so that a bare `cxctl crm` gets a sentence, not a count.
  command: 'crm [action] [paths..]',
  describe: 'CRM mappings: "crm mappings" prints the status -> wrap-up code table (no network)',
  builder: (yargs) =>
    withManifestPaths(
      yargs.positional('action', {
        choices: CRM_ACTIONS,
        describe: 'mappings: print the resolved status -> wrap-up code table',
      }),
    )
      .option('format', {
        choices: CRM_MAPPINGS_FORMATS,
        describe: 'output format (default: text on a terminal, csv otherwise)',
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'treat warnings (unmapped statuses) as errors',
      }),
  run: async (args, context) => {
    if (args.action === undefined) {
      throw new CxctlError('CLI_USAGE', 'name what to show: cxctl crm mappings [PATH..]', {
        hint: 'run cxctl crm --help for usage',
      });
    }
    const format: CrmMappingsFormat = args.format ?? (context.stdout.isTTY ? 'text' : 'csv');
    // The manifest pipeline and renderers load only when the command runs.
    const [
      { crmResolutionOf },
      { loadManifests, withConfigPath },
      { renderCrmMappings },
      { countWords, printDiagnostics, promoteWarnings, redactingSink },
    ] = await Promise.all([
      import('../crm/extension.js'),
      import('../io/loadManifests.js'),
      import('../render/crmMappings.js'),
      import('./output.js'),
    ]);
    const loaded = loadManifests(args.paths?.map(String), withConfigPath(context, args.config));
    const diagnostics = args.strict ? promoteWarnings(loaded.diagnostics) : loaded.diagnostics;
    printDiagnostics(context, diagnostics);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    if (errors > 0) {
      // Half a table must never reach a CRM import: nothing on stdout.
      throw new CxctlError(
        'MANIFEST_INVALID',
        `${countWords(errors, 'error')} in the manifests; no table was printed`,
        { hint: 'fix the problems above (cxctl validate lists them too)' },
      );
    }
    const resolution = crmResolutionOf(loaded.result);
    renderCrmMappings(
      { table: resolution.table, unmapped: resolution.unmapped },
      format,
      redactingSink(context.stdout),
      format === 'text' ? context.color : undefined,
    );
    return 0;
  },
});
