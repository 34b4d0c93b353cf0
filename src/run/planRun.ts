/**
 * What `plan` and `drift` share: read the manifests, resolve and open the target, read live state,
 * build the plan. Manifest problems come back as diagnostics; for manifest sets below the worker
 * threshold (liveReader.ts) that happens before any request is sent, for larger ones the live
 * reads that already started are cancelled and their results never used. Plan-time problems
 * (unknown campaigns, DNC lists and categories, scope, default conflicts) come back as diagnostics
 * positioned in the manifests. Nothing is ever written to the target.
 */
import { maskUrlCredentials } from '../config/url.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';
import { CxctlError } from '../errors.js';
import type { Target } from '../config/types.js';
import { openTarget } from '../config/embedded.js';
import type { CxoneClient } from '../cxone/client.js';
import { validateManifestFiles, type ValidatedManifests } from '../io/loadManifests.js';
import { rawItemLookup } from '../manifest/rawItems.js';
import { readLiveState } from '../kinds/readLive.js';
import { buildPlan, type LiveState } from '../plan/build.js';
import type { Plan, PruneMode } from '../plan/types.js';
import type { CliContext, GlobalArgs } from '../cli/context.js';
import { readLiveHere } from './liveReader.js';
import { startPlanRun, type PlanRunStart } from './planStart.js';
import type { TargetArgs } from '../cli/targetOptions.js';
import { cliVersion } from '../cli/version.js';

/** Arguments `plan` and `drift` share. */
export interface PlanRunArgs extends TargetArgs, GlobalArgs {
  paths?: readonly unknown[];
}

/** Options of {@link runPlanPipeline}. */
export interface PlanRunOptions {
  prune: PruneMode;
  /** Resolve webhook endpoints (drift sends `drift.detected`). */
  webhooks: boolean;
  /**
   * An open target and client to read live state with (apply keeps them open to write
   * afterwards); without it, the pipeline reads with its own (in a worker for large inputs).
   */
  session?: { target: Target; client: CxoneClient };
}

/** How a plan run ended. */
export type PlanRunResult =
  | {
      status: 'invalid';
      /** Every problem, errors and warnings, sorted. */
      diagnostics: Diagnostic[];
      /** Set when the manifests were valid and live state was read (plan-time problems). */
      plan?: Plan;
      /** The desired state as read from the manifests. */
      desired: ValidatedManifests;
    }
  | {
      status: 'planned';
      plan: Plan;
      /** Warnings from the manifests and from planning. */
      warnings: Diagnostic[];
      target: Pick<Target, 'label' | 'webhooks'>;
      /** The desired state as read from the manifests. */
      desired: ValidatedManifests;
    };

/**
 * Read manifests and live state and build the plan. `start` is the run's first steps when the
 * command took them already (before loading this module; see planStart.ts).
 */
export async function runPlanPipeline(
  args: PlanRunArgs,
  context: CliContext,
  options: PlanRunOptions,
  start: PlanRunStart = startPlanRun(args, context, options),
): Promise<PlanRunResult> {
  const { spec, targetProblem, defaults, files, campaigns } = start;
  let reader = start.reader;
  let desired: ValidatedManifests;
  try {
    desired = validateManifestFiles(files, context, { defaults });
  } catch (error) {
    await reader?.cancel();
    throw error;
  }
  if (!desired.ok) {
    await reader?.cancel();
    return { status: 'invalid', diagnostics: desired.diagnostics, desired };
  }
  start.desiredKnown(desired.result);
  if (!spec) throw targetProblem;
  if (options.prune !== false && desired.loadFailed) {
    await reader?.cancel();
    throw new CxctlError('PRUNE_REFUSED', 'refusing to prune: some manifest files failed to load', {
      hint: 'fix the files above, then plan with --prune again',
    });
  }

  const { result } = desired;
  let target: Target | undefined;
  let live: LiveState;
  try {
    const session = options.session;
    if (!reader && session) {
      const live = readLiveState(session.client, { campaigns });
      reader = {
        live,
        cancel: () =>
          live.then(
            () => undefined,
            () => undefined,
          ),
      };
    }
    if (!reader) {
      target = await openTarget(spec, { cwd: context.cwd, logger: context.logger });
      reader = readLiveHere({
        logger: context.logger,
        logSink: context.stderr,
        campaigns,
        endpoint: target,
        limits: target.limits,
      });
    }
    live = await reader.live;
  } finally {
    await target?.close();
  }

  const outcome = buildPlan({
    desired: result.desired,
    ...(result.merged.scope ? { scope: result.merged.scope } : {}),
    raw: rawItemLookup(result),
    live,
    prune: options.prune,
    defaults,
    header: {
      target: {
        label: spec.label,
        ...(spec.kind === 'http' && spec.apiBase !== undefined
          ? { apiBase: maskUrlCredentials(spec.apiBase) }
          : {}),
      },
      manifestDigest: result.digest,
      cxctlVersion: cliVersion(),
      createdAt: new Date().toISOString(),
    },
    sourceOf: (at) => ({ file: at.file, line: result.locator.itemLine(at) }),
  });
  const planDiagnostics = outcome.diagnostics.map((pending) => result.locator.resolve(pending));
  const all = [...desired.diagnostics, ...planDiagnostics].sort(compareDiagnostics);
  if (!outcome.ok) return { status: 'invalid', diagnostics: all, plan: outcome.plan, desired };
  return {
    status: 'planned',
    plan: outcome.plan,
    warnings: all.filter((diagnostic) => diagnostic.severity === 'warning'),
    target: { label: spec.label, webhooks: spec.webhooks },
    desired,
  };
}
