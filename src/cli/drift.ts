import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';
import { PLAN_FORMATS } from './planOptions.js';
import { withTargetOptions } from './targetOptions.js';

/**
 * `cxctl drift [PATH..]`: compare live state with the manifests and report drifted fields, missing
 * objects and objects not in the manifests; send `drift.detected` when there is drift. Read-only.
 * Exit 0 when clean, 2 when there is drift (always, as if `--detailed-exitcode`), 1 on error.
 */
export const driftCommand = defineCommand({
  command: 'drift [paths..]',
  describe: 'Report where CXone differs from the manifests (exit 2 on drift); read-only',
  readsConfig: true,
  builder: (yargs) =>
    withTargetOptions(
      withManifestPaths(yargs)
        .option('format', {
          choices: PLAN_FORMATS,
          default: 'text',
          describe: 'output format (markdown: for job summaries and issues)',
        })
        .option('metrics-file', {
          type: 'string',
          describe:
            'write Prometheus metrics of the run to FILE (node_exporter textfile collector)',
        }),
    ),
  run: async (args, context) => {
    // The implementation (manifest pipeline, planner, webhooks) loads only when the command runs.
    const { driftMain } = await import('./driftMain.js');
    return driftMain(args, context);
  },
});
