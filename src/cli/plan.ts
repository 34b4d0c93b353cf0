import { DEFAULT_MAX_DELETE_PERCENT } from '../plan/safety.js';
import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';
import { PLAN_FORMATS, planOptions } from './planOptions.js';
import { withTargetOptions } from './targetOptions.js';

/**
 * `cxctl plan [PATH..]`: validate the manifests, read live state, and show what apply would change.
 * Read-only. Exit 0 on success (with `--detailed-exitcode`: 0 no changes, 2 changes), 1 on any
 * error, including a prune over the delete threshold (the plan is still shown).
 */
export const planCommand = defineCommand({
  command: 'plan [paths..]',
  describe: 'Show what apply would change in CXone (read-only)',
  readsConfig: true,
  builder: (yargs) =>
    withTargetOptions(
      withManifestPaths(yargs)
        .option('format', {
          choices: PLAN_FORMATS,
          default: 'text',
          describe: 'output format (markdown: for pull-request comments)',
        })
        .option('out', {
          type: 'string',
          describe: 'also save the plan as JSON to FILE (for apply --plan)',
        })
        .option('detailed-exitcode', {
          type: 'boolean',
          default: false,
          describe: 'exit 2 when there are changes, 0 when there are none',
        })
        .option('prune', {
          type: 'string',
          describe:
            'remove owned objects the manifests do not declare: --prune deactivates wrap-up codes and deletes rules, --prune=delete deletes both',
        })
        .option('max-delete-percent', {
          type: 'number',
          default: DEFAULT_MAX_DELETE_PERCENT,
          describe:
            'refuse a prune that removes more than this share of the managed objects of a kind (when at least 10 exist)',
        }),
    ),
  run: async (args, context) => {
    planOptions(args); // usage errors before anything starts
    // The implementation (manifest pipeline, planner, renderers) loads only when the command runs.
    const { planMain } = await import('./planMain.js');
    return planMain(args, context);
  },
});
