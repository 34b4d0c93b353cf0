/**
 * The options `plan` shares with `drift` and `apply` (formats, `--prune`, `--max-delete-percent`),
 * checked; in a module of their own so the command definitions and their implementations
 * (planMain.ts, driftMain.ts, applyMain.ts) use them without importing each other.
 */
import { CxctlError } from '../errors.js';
import type { PruneMode } from '../plan/types.js';

/** Output formats of `cxctl plan` and `cxctl drift`. */
export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

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
