/**
 * The options every command that talks to CXone shares (`plan`, `apply`, `drift`, `export`):
 * `--target`, `--concurrency`, `--rate-limit`, `--timeout`, and the step that turns them (with
 * `--config`, `--profile` and the environment) into an open {@link Target}.
 */
import type { Argv } from 'yargs';
import { openTarget } from '../config/embedded.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_EMBEDDED_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  resolveTarget,
  type TargetOverrides,
} from '../config/target.js';
import type { Target, TargetSpec } from '../config/types.js';
import type { CliContext, GlobalArgs } from './context.js';

/** Parsed target options (undefined when not given, so profile values and defaults apply). */
export interface TargetArgs {
  target?: string;
  concurrency?: number;
  rateLimit?: number;
  timeout?: number;
}

/** Add `--target`, `--concurrency`, `--rate-limit` and `--timeout` to a command's options. */
export function withTargetOptions<T>(yargs: Argv<T>): Argv<T & TargetArgs> {
  return yargs
    .option('target', {
      type: 'string',
      describe:
        '"embedded" to run against the built-in simulator (state in .cxctl/simulator-state.json), or an API base URL',
    })
    .option('concurrency', {
      type: 'number',
      describe: `requests in flight at once to the target (default ${DEFAULT_CONCURRENCY})`,
    })
    .option('rate-limit', {
      type: 'number',
      describe: `requests per second to the target (default ${DEFAULT_RATE_LIMIT} for a CXone tenant, ${DEFAULT_EMBEDDED_RATE_LIMIT} for --target embedded)`,
    })
    .option('timeout', {
      type: 'number',
      describe: 'seconds the whole run may take (default: no limit)',
    });
}

/** The overrides part of parsed arguments. */
export function targetOverrides(args: TargetArgs): TargetOverrides {
  return {
    ...(args.target !== undefined ? { target: args.target } : {}),
    ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
    ...(args.rateLimit !== undefined ? { rateLimit: args.rateLimit } : {}),
    ...(args.timeout !== undefined ? { timeout: args.timeout } : {}),
  };
}

/** What a command needs besides the connection. */
export interface TargetNeeds {
  /**
   * Resolve webhooks (default true). `plan` and `export` send none and pass false, so an unset
   * webhook secret variable does not stop them.
   */
  webhooks?: boolean;
}

/** Resolve the target from arguments, environment and cxctl.yaml, without starting anything. */
export function targetSpecFromArgs(
  args: TargetArgs & GlobalArgs,
  context: CliContext,
  needs: TargetNeeds = {},
): TargetSpec {
  return resolveTarget({
    cwd: context.cwd,
    env: context.env,
    ...(args.config !== undefined ? { configPath: args.config } : {}),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    overrides: targetOverrides(args),
    ...(needs.webhooks !== undefined ? { webhooks: needs.webhooks } : {}),
  });
}

/**
 * Resolve and open the target (starting the embedded simulator when asked). The caller must
 * `close()` it, which also flushes the simulator's state file.
 */
export async function openTargetFromArgs(
  args: TargetArgs & GlobalArgs,
  context: CliContext,
  needs: TargetNeeds = {},
): Promise<Target> {
  const spec = targetSpecFromArgs(args, context, needs);
  context.logger.debug(`target: ${spec.label}${spec.profile ? ` (profile ${spec.profile})` : ''}`);
  return openTarget(spec, { cwd: context.cwd, logger: context.logger });
}
