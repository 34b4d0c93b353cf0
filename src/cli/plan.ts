import { CxctlError } from '../errors.js';
import { DEFAULT_MAX_DELETE_PERCENT } from '../plan/safety.js';
import type { PruneMode } from '../plan/types.js';
import { defineCommand } from './command.js';
import { withManifestPaths } from './pathsArgument.js';
import { withTargetOptions } from './targetOptions.js';

/** Output formats of `cxctl plan` and `cxctl drift`. */
export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

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
    // The implementation (manifest pipeline, planner, renderers) loads only when the command
    // runs; for a large manifest set, live state is already being read while it loads.
    const { startPlanRun } = await import('../run/planStart.js');
    const start = startPlanRun(args, context, { webhooks: false });
    const { planMain } = await import('./planMain.js');
    return planMain(args, context, start);
  },
});

/** `--prune` and `--max-delete-percent`, checked. */
export function planOptions(args: { prune?: string; 'max-delete-percent': number }): {
  prune: PruneMode;
  maxDeletePercent: number;
} {
  const prune = pruneMode(args.prune);
  const maxDeletePercent = args['max-delete-percent'];
  if (!(maxDeletePercent >= 0 && maxDeletePercent <= 100)) {
    throw new CxctlError(
      'CLI_USAGE',
      `--max-delete-percent must be between 0 and 100, not ${maxDeletePercent}`,
    );
  }
  return { prune, maxDeletePercent };
}

/** `--prune` (empty): deactivate; `--prune=delete`: delete; `--prune=deactivate` also accepted. */
export function pruneMode(value: string | undefined): PruneMode {
  if (value === undefined) return false;
  if (value === '' || value === 'deactivate' || value === 'true') return 'deactivate';
  if (value === 'delete') return 'delete';
  throw new CxctlError(
    'CLI_USAGE',
    `--prune takes no value (deactivate wrap-up codes) or =delete, not ${JSON.stringify(value)}`,
    {
      hint: 'write --prune=delete to delete; put manifest paths before --prune (cxctl plan manifests/ --prune)',
    },
  );
}
