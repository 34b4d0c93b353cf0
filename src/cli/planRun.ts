/**
 * What `plan` and `drift` share: read the manifests, resolve and open the target, read live state,
 * build the plan. Manifest problems come back as diagnostics before any request is sent; plan-time
 * problems (unknown campaigns, DNC lists and categories, scope, default conflicts) come back as
 * diagnostics positioned in the manifests. Nothing is ever written to the target.
 */
import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';
import { CxctlError } from '../errors.js';
import type { Target, TargetSpec } from '../config/types.js';
import { openTarget } from '../config/embedded.js';
import { createClient, type CxoneClient } from '../cxone/client.js';
import { campaignsInScope } from '../kinds/complianceRules.js';
import { readLiveState } from '../kinds/readLive.js';
import type { KindDefaults } from '../kinds/types.js';
import { buildPlan } from '../plan/build.js';
import { resolveScope } from '../plan/scope.js';
import type { Plan, PruneMode } from '../plan/types.js';
import type { CliContext, GlobalArgs } from './context.js';
import {
  loadDesiredState,
  manifestPaths,
  rawItemLookup,
  type DesiredState,
} from './desiredState.js';
import { targetSpecFromArgs, type TargetArgs } from './targetOptions.js';
import { cliVersion } from './version.js';

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
   * An open target and client to plan with (apply keeps them open to write afterwards); without
   * it, the pipeline opens and closes its own.
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
      desired: DesiredState;
    }
  | {
      status: 'planned';
      plan: Plan;
      /** Warnings from the manifests and from planning. */
      warnings: Diagnostic[];
      /** True when some input failed to load (never with status planned today; kept for prune). */
      loadFailed: boolean;
      target: Pick<Target, 'label' | 'webhooks'>;
      /** The desired state as read from the manifests. */
      desired: DesiredState;
    };

/** Read manifests and live state and build the plan. */
export async function runPlanPipeline(
  args: PlanRunArgs,
  context: CliContext,
  options: PlanRunOptions,
): Promise<PlanRunResult> {
  // The target is resolved first (no I/O beyond cxctl.yaml) for its default campaign, but a
  // problem with it is reported only after the manifests, which need no target to be checked.
  let spec: TargetSpec | undefined;
  let targetProblem: unknown;
  try {
    spec = targetSpecFromArgs(args, context, { webhooks: options.webhooks });
  } catch (error) {
    targetProblem = error;
  }
  const defaultCampaign = spec
    ? spec.campaignId
    : context.env.CXONE_CAMPAIGN_ID?.trim() || undefined;
  const defaults: KindDefaults = defaultCampaign ? { defaultCampaign } : {};
  const desired = loadDesiredState(manifestPaths(args.paths, context.cwd), context, defaults);
  if (!desired.ok) return { status: 'invalid', diagnostics: desired.diagnostics, desired };
  if (!spec) throw targetProblem;
  if (options.prune !== false && desired.loadFailed) {
    throw new CxctlError('PRUNE_REFUSED', 'refusing to prune: some manifest files failed to load', {
      hint: 'fix the files above, then plan with --prune again',
    });
  }

  const { result } = desired;
  const session = options.session;
  const target =
    session?.target ?? (await openTarget(spec, { cwd: context.cwd, logger: context.logger }));
  try {
    const client =
      session?.client ??
      createClient(target, {
        concurrency: target.limits.concurrency,
        rateLimit: target.limits.rateLimit,
        ...(target.limits.timeoutSeconds !== undefined
          ? { timeoutSeconds: target.limits.timeoutSeconds }
          : {}),
        logger: context.logger,
      });
    try {
      const live = await readLiveState(client, {
        campaigns: (refs) =>
          campaignsInScope(
            result.desired.complianceRules,
            resolveScope(result.merged.scope, refs).scope,
            refs,
          ),
      });
      const outcome = buildPlan({
        desired: result.desired,
        ...(result.merged.scope ? { scope: result.merged.scope } : {}),
        raw: rawItemLookup(result),
        live,
        prune: options.prune,
        defaults,
        header: {
          target: {
            label: target.label,
            ...(target.kind === 'http' ? { apiBase: target.apiBase } : {}),
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
        loadFailed: desired.loadFailed,
        target: { label: target.label, webhooks: target.webhooks },
        desired,
      };
    } finally {
      if (!session) await client.close();
    }
  } finally {
    if (!session) await target.close();
  }
}
