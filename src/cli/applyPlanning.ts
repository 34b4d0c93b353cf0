/**
 * How `cxctl apply` gets its plan and its view of the manifests: through exactly the steps of
 * `cxctl plan` (src/cli/planRun.ts, src/io/loadManifests.ts), so apply never acts on a different
 * plan than the one a reviewer saw.
 */
import type { Target } from '../config/types.js';
import type { CxoneClient } from '../cxone/client.js';
import type { Diagnostic } from '../diagnostics.js';
import type { KindName, Plan, PruneMode } from '../plan/types.js';
import type { ValidatedManifests } from '../io/loadManifests.js';
import type { CliContext, GlobalArgs } from './context.js';
import { runPlanPipeline } from './planRun.js';
import type { TargetArgs } from './targetOptions.js';

/** What apply needs to know about the manifests. */
export interface ManifestSummary {
  /** sha256 of the normalised desired state (compared with a saved plan's). */
  digest: string;
  /** Some input could not be loaded at all: prune must be refused. */
  loadFailed: boolean;
  /** Objects validated and violations found, per kind (for the metrics). */
  validation: Record<KindName, { objects: number; violations: number }>;
}

/** Summarise a desired state. Diagnostics are attributed to kinds by their code's prefix. */
export function summariseManifests(desired: ValidatedManifests): ManifestSummary {
  const violations = (prefix: string): number =>
    desired.diagnostics.filter((d) => d.code.startsWith(prefix)).length;
  const items = desired.result.merged.items;
  return {
    digest: desired.result.digest,
    loadFailed: desired.loadFailed,
    validation: {
      wrapUpCode: { objects: items.wrapUpCodes.length, violations: violations('wrapUpCode.') },
      complianceRule: {
        objects: items.complianceRules.length,
        violations: violations('complianceRule.'),
      },
    },
  };
}

/** Inputs of {@link planForApply}. */
export interface ApplyPlanInput {
  args: TargetArgs & GlobalArgs & { paths?: readonly unknown[] };
  context: CliContext;
  target: Target;
  client: CxoneClient;
  prune: PruneMode;
}

/** A fresh plan, or the problems that prevent one. */
export type ApplyPlanResult =
  | { status: 'planned'; plan: Plan; manifests: ManifestSummary; warnings: Diagnostic[] }
  | { status: 'invalid'; diagnostics: Diagnostic[] };

/** Plan from the manifests and the live state, exactly as `cxctl plan` does, on `target`. */
export async function planForApply(input: ApplyPlanInput): Promise<ApplyPlanResult> {
  const outcome = await runPlanPipeline(input.args, input.context, {
    prune: input.prune,
    webhooks: true,
    session: { target: input.target, client: input.client },
  });
  if (outcome.status === 'invalid') return { status: 'invalid', diagnostics: outcome.diagnostics };
  return {
    status: 'planned',
    plan: outcome.plan,
    manifests: summariseManifests(outcome.desired),
    warnings: outcome.warnings,
  };
}
