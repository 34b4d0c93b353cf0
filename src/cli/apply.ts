/**
 * `cxctl apply [PATH..]` and `cxctl apply --plan FILE`: its options. The implementation
 * (applyMain.ts: planning, checks, execution, notifications) loads only when the command runs.
 */
import { DEFAULT_MAX_DELETE_PERCENT } from '../plan/safety.js';
import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';
import { APPLY_FORMATS, type ApplyArgs } from './applyOptions.js';
import { withTargetOptions } from './targetOptions.js';

/** The `cxctl apply` command. */
export const applyCommand = defineCommand<ApplyArgs>({
  command: 'apply [paths..]',
  describe: 'Apply the planned changes to CXone (asks for confirmation on a terminal)',
  readsConfig: true,
  builder: (yargs) =>
    withTargetOptions(
      withManifestPaths(yargs)
        .option('plan', {
          type: 'string',
          describe: 'apply this saved plan (cxctl plan --out FILE) instead of planning again',
        })
        .option('auto-approve', {
          type: 'boolean',
          default: false,
          describe: 'apply without asking (required when not run in a terminal)',
        })
        .option('expect-plan-digest', {
          type: 'string',
          describe: 'apply only if the plan has this digest (the one reviewed on the pull request)',
        })
        .option('prune', {
          type: 'string',
          describe:
            'also remove owned objects the manifests do not declare (wrap-up codes are deactivated; --prune=delete deletes them)',
        })
        .option('max-delete-percent', {
          type: 'number',
          describe: `refuse a prune that removes more than this share of a kind's objects (default ${DEFAULT_MAX_DELETE_PERCENT})`,
        })
        .option('audit-log', {
          type: 'string',
          describe: 'append a JSON Lines record of every write and webhook delivery to FILE',
        })
        .option('metrics-file', {
          type: 'string',
          describe: 'write run metrics to FILE in the Prometheus text format',
        })
        .option('format', {
          choices: APPLY_FORMATS,
          default: 'text' as const,
          describe: 'output format',
        })
        .option('strict-webhooks', {
          type: 'boolean',
          default: false,
          describe: 'exit 1 when a webhook could not be delivered (the changes stay applied)',
        })
        .option('webhook-timeout', {
          type: 'number',
          describe: 'seconds all webhook deliveries together may take (default 30)',
        }),
    ) as never,
  run: async (args, context) => {
    const { applyMain } = await import('./applyMain.js');
    return applyMain(args, context);
  },
});
