/**
 * How `cxctl apply` gets its plan and its view of the manifests: through the same steps as
 * `cxctl plan` (reading the manifests, reading live state, diffing), so apply never acts on a
 * different plan than the one a reviewer saw.
 */
import type { ResumePoint } from '../apply/executor.js';
import type { Target } from '../config/types.js';
import type { CxoneClient } from '../cxone/client.js';
import type { Diagnostic } from '../diagnostics.js';
import { CxctlError } from '../errors.js';
import {
  defaultManifestPaths,
  readManifestFiles,
  referencedFileReader,
} from '../io/manifestFiles.js';
import { buildDesiredState, type ManifestResult } from '../manifest/pipeline.js';
import type { KindName, Plan, PruneMode } from '../plan/types.js';
import type { CliContext } from './context.js';

/** What apply needs to know about the manifests. */
export interface ManifestSummary {
  /** sha256 of the normalised desired state (compared with a saved plan's). */
  digest: string;
  /** Some input could not be loaded at all: prune must be refused. */
  loadFailed: boolean;
  /** Objects validated and violations found, per kind (for the metrics). */
  validation: Record<KindName, { objects: number; violations: number }>;
}

/** Count objects and violations per kind. Diagnostics are attributed by their code's prefix. */
export function validationStats(
  result: ManifestResult,
  diagnostics: readonly Diagnostic[],
): ManifestSummary['validation'] {
  const violations = (prefix: string): number =>
    diagnostics.filter((d) => d.code.startsWith(prefix)).length;
  return {
    wrapUpCode: {
      objects: result.merged.items.wrapUpCodes.length,
      violations: violations('wrapUpCode.'),
    },
    complianceRule: {
      objects: result.merged.items.complianceRules.length,
      violations: violations('complianceRule.'),
    },
  };
}

/**
 * Read and validate the manifests under PATH (for a saved plan: to recompute the manifest digest).
 *
 * @throws CxctlError when the manifests have errors.
 */
export function loadApplyManifests(
  paths: readonly string[] | undefined,
  context: Pick<CliContext, 'cwd' | 'env'>,
  target: Pick<Target, 'campaignId'>,
): ManifestSummary {
  const files = paths && paths.length > 0 ? paths.map(String) : defaultManifestPaths(context.cwd);
  const read = readManifestFiles(files, context.cwd);
  const defaultCampaign = target.campaignId ?? context.env.CXONE_CAMPAIGN_ID;
  const result = buildDesiredState(read.sources, {
    env: context.env,
    defaults: defaultCampaign ? { defaultCampaign } : {},
    readReferencedFile: referencedFileReader(context.cwd),
  });
  const diagnostics = [...read.diagnostics, ...result.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new CxctlError(
      'MANIFESTS_INVALID',
      `The manifests have ${errors.length} error${errors.length === 1 ? '' : 's'} (first: ${first.file}:${first.line}:${first.column}: ${first.message}); nothing was written.`,
      { hint: 'run cxctl validate to see them all' },
    );
  }
  return {
    digest: result.digest,
    loadFailed: result.loadFailed || read.diagnostics.some((d) => d.severity === 'error'),
    validation: validationStats(result, diagnostics),
  };
}

/** Inputs of {@link planForApply}. */
export interface ApplyPlanInput {
  paths: readonly string[] | undefined;
  context: CliContext;
  target: Target;
  client: CxoneClient;
  prune: PruneMode;
  maxDeletePercent?: number;
}

/** Plan from the manifests and the live state, exactly as `cxctl plan` does. */
export function planForApply(
  input: ApplyPlanInput,
): Promise<{ plan: Plan; resume?: ReadonlyMap<string, ResumePoint>; manifests: ManifestSummary }> {
  void input;
  return Promise.reject(
    new CxctlError(
      'NOT_AVAILABLE',
      'planning from manifests is not available yet; use --plan FILE',
      {
        source: 'tool',
      },
    ),
  );
}
