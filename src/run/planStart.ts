/**
 * The first steps of a plan run (`plan`, `drift`, `apply` without a saved plan): resolve the
 * target, read the manifest files, and for large manifest sets start reading live state in a
 * worker thread. planRun.ts does the rest (parse and check the manifests, wait for live state,
 * plan).
 *
 * This module imports nothing heavy (no manifest parser, schema validator, planner or renderer),
 * so the commands call it before loading their implementation: a large plan's round trips then
 * overlap loading that code as well as parsing the manifests.
 */
import type { TargetSpec } from '../config/types.js';
import type { CxoneEndpoint } from '../cxone/client.js';
import { campaignsInScope } from '../kinds/complianceRules.js';
import type { ReferenceIndex } from '../kinds/references.js';
import type { KindDefaults } from '../kinds/types.js';
import type { ManifestResult } from '../manifest/pipeline.js';
import { manifestPaths, readManifestFiles, type ManifestFileSet } from '../io/manifestFiles.js';
import { resolveScope } from '../plan/scope.js';
import type { CliContext } from '../cli/context.js';
import { targetSpecFromArgs } from '../cli/targetOptions.js';
import { chooseLiveWorker, readLiveInWorker, type LiveRead } from './liveReader.js';
import { stopStartedLiveWorker } from './liveWorkerThread.js';
import type { PlanRunArgs, PlanRunOptions } from './planRun.js';

/** A plan run whose first steps are done (see {@link startPlanRun}). */
export interface PlanRunStart {
  /** The target, when it could be resolved. */
  spec?: TargetSpec;
  /** Why the target could not be resolved; reported only once the manifests are valid. */
  targetProblem?: unknown;
  /** Defaults for the manifests (the target's default campaign). */
  defaults: KindDefaults;
  /** The manifest files, read. */
  files: ManifestFileSet;
  /** The live read already under way (large manifest sets), else undefined. */
  reader?: LiveRead;
  /** The campaigns whose rules to read, once the references and the manifests are known. */
  campaigns: (refs: ReferenceIndex) => Promise<Set<string>>;
  /** Hands the valid manifests to {@link campaigns}. */
  desiredKnown: (result: ManifestResult) => void;
}

/**
 * Resolve the target and read the manifest files; for manifest sets over the worker threshold
 * (liveReader.ts), start reading live state in a worker. Never throws for a bad target (see
 * {@link PlanRunStart.targetProblem}). The caller must hand the result to runPlanPipeline, which
 * cancels the read if the manifests turn out invalid.
 */
export function startPlanRun(
  args: PlanRunArgs,
  context: CliContext,
  options: Pick<PlanRunOptions, 'webhooks' | 'session'>,
): PlanRunStart {
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

  // Large manifest sets: a worker reads live state while this thread loads code and parses.
  const manifestBytes = files.sources.reduce((total, source) => total + source.bytes.length, 0);
  const worker =
    spec?.kind === 'http' && !options.session
      ? chooseLiveWorker(manifestBytes, context.env)
      : undefined;
  // The executable may have started a worker for this run already; unused, it is stopped.
  if (!spec || !worker) stopStartedLiveWorker();
  const reader =
    spec && worker
      ? readLiveInWorker(
          {
            logger: context.logger,
            logSink: context.stderr,
            campaigns,
            endpoint: httpEndpoint(spec),
            limits: spec.limits,
          },
          worker,
        )
      : undefined;
  return { spec, targetProblem, defaults, files, reader, campaigns, desiredKnown };
}

/** The connection details of a tenant target (all set once resolution succeeded). */
function httpEndpoint(spec: TargetSpec): CxoneEndpoint {
  return {
    apiBase: spec.apiBase!,
    tokenUrl: spec.tokenUrl!,
    clientId: spec.clientId!,
    clientSecret: spec.clientSecret!,
  };
}
