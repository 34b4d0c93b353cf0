/**
 * What `plan`, `drift` and `apply` share: resolve the target, read and check the manifests, read
 * live state, build the plan. Manifest problems come back as diagnostics; for manifest sets below
 * the early-read threshold (liveReader.ts) that happens before any request is sent, for larger
 * ones the live reads that already started are cancelled and their results never used. Plan-time
 * problems (unknown campaigns, DNC lists and categories, scope, default conflicts) come back as
 * diagnostics positioned in the manifests. Nothing is ever written to the target.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { maskUrlCredentials } from '../config/url.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';
import { CxctlError } from '../errors.js';
import type { Target, TargetSpec } from '../config/types.js';
import { openTarget } from '../config/embedded.js';
import type { CxoneClient } from '../cxone/client.js';
import {
  validateManifestFiles,
  withConfigPath,
  type ValidatedManifests,
} from '../io/loadManifests.js';
import { manifestPaths, readManifestFiles } from '../io/manifestFiles.js';
import { campaignsInScope } from '../kinds/complianceRules.js';
import { readLiveState } from '../kinds/readLive.js';
import type { ReferenceIndex } from '../kinds/references.js';
import type { KindDefaults } from '../kinds/types.js';
import type { ManifestResult } from '../manifest/pipeline.js';
import { rawItemLookup } from '../manifest/rawItems.js';
import { buildPlan, type LiveState } from '../plan/build.js';
import { resolveScope } from '../plan/scope.js';
import type { Plan, PruneMode } from '../plan/types.js';
import { cliVersion } from '../util/version.js';
import type { CliContext, GlobalArgs } from './context.js';
import { targetSpecFromArgs, type TargetArgs } from './targetOptions.js';
import { readLive, startsEarly, type LiveRead } from './liveReader.js';

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
   * afterwards); without it, the pipeline reads with its own.
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
  const files = readManifestFiles(manifestPaths(args.paths, context.cwd), context.cwd);

  // The rules to read depend on the manifests; whoever reads live state waits for them here.
  let desiredKnown: (result: ManifestResult) => void = () => undefined;
  const desiredResult = new Promise<ManifestResult>((resolve) => (desiredKnown = resolve));
  const campaigns = async (refs: ReferenceIndex): Promise<Set<string>> => {
    const result = await desiredResult;
    return campaignsInScope(
      result.desired.complianceRules,
      resolveScope(result.merged.scope, refs).scope,
      refs,
    );
  };

  // Large manifest sets: the token and the lists are requested before the parse, which keeps this
  // thread busy for a while; their round trips go on meanwhile (see liveReader.ts).
  const manifestBytes = files.sources.reduce((total, source) => total + source.bytes.length, 0);
  let reader: LiveRead | undefined;
  if (spec?.kind === 'http' && !options.session && startsEarly(manifestBytes)) {
    reader = readLive({
      logger: context.logger,
      campaigns,
      endpoint: httpEndpoint(spec),
      limits: spec.limits,
    });
    // One turn of the event loop: the client connects and the token request leaves.
    await nextTurn();
  }

  let desired: ValidatedManifests;
  try {
    desired = validateManifestFiles(files, withConfigPath(context, args.config), { defaults });
  } catch (error) {
    await reader?.cancel();
    throw error;
  }
  if (!desired.ok) {
    await reader?.cancel();
    return { status: 'invalid', diagnostics: desired.diagnostics, desired };
  }
  desiredKnown(desired.result);
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
    if (reader) {
      live = await reader.live;
    } else if (session) {
      live = await readLiveState(session.client, { campaigns });
    } else {
      target = await openTarget(spec, { cwd: context.cwd, logger: context.logger });
      live = await readLive({
        logger: context.logger,
        campaigns,
        endpoint: target,
        limits: target.limits,
      }).live;
    }
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

/** The connection details of a tenant target (all set once resolution succeeded). */
function httpEndpoint(spec: TargetSpec): {
  apiBase: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
} {
  return {
    apiBase: spec.apiBase!,
    tokenUrl: spec.tokenUrl!,
    clientId: spec.clientId!,
    clientSecret: spec.clientSecret!,
  };
}
