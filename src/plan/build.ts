/**
 * From the validated desired state and a snapshot of live state to a Plan: resolve scope, let each
 * kind put both sides into comparable form (references resolved, ownership decided, plan-time
 * conflicts found), diff each kind, assemble. Pure: the live snapshot and every position lookup are
 * passed in.
 */
import {
  liveResourceKinds,
  type DesiredByKind,
  type LiveByKind,
  type PlanTypesByKind,
} from '../kinds/index.js';
import { ReferenceIndex, type LiveReferences } from '../kinds/references.js';
import type { KindDefaults, PlanContext, RawItem } from '../kinds/types.js';
import type { ManifestScope } from '../manifest/types.js';
import type { Located, ManifestPointer, PendingDiagnostic } from '../manifest/types.js';
import { assemblePlan, type PlanHeader } from './assemble.js';
import { diffKind, type KindDiff } from './compute.js';
import { resolveScope, type ResolvedScope } from './scope.js';
import type { KindName, Plan, PruneMode, SourceRef } from './types.js';

/** The live objects of every kind, by kind key. */
type LiveObjectsByKind = { [K in keyof LiveByKind]: readonly LiveByKind[K][] };

/** Everything read from the tenant for one plan. */
export interface LiveState extends LiveObjectsByKind {
  references: LiveReferences;
  wrapUpCodes: LiveByKind['wrapUpCodes'][];
  /** Rules of the campaigns in scope (only those are read). */
  complianceRules: LiveByKind['complianceRules'][];
}

/** The desired side: normalised objects with their places, scope, and the items as written. */
export interface DesiredInput {
  desired: { [K in keyof DesiredByKind]: readonly Located<DesiredByKind[K]>[] };
  scope?: Located<ManifestScope>;
  /** The item at a pointer as written (before normalisation). */
  raw(at: ManifestPointer): RawItem | undefined;
}

/** Inputs of {@link buildPlan}. */
export interface BuildPlanInput extends DesiredInput {
  live: LiveState;
  prune: PruneMode;
  defaults: KindDefaults;
  header: Omit<PlanHeader, 'prune'>;
  /** Where a desired object is declared (called only for objects that change). */
  sourceOf(at: ManifestPointer): SourceRef | undefined;
}

/** A plan and what was found while making it. */
export interface PlanOutcome {
  plan: Plan;
  /** Plan-time problems (unknown references, scope, conflicts); positions not resolved yet. */
  diagnostics: PendingDiagnostic[];
  /** False when any diagnostic is an error: the plan must not be shown as applicable. */
  ok: boolean;
  scope: ResolvedScope;
}

/** Make the plan. */
export function buildPlan(input: BuildPlanInput): PlanOutcome {
  const refs = new ReferenceIndex(input.live.references);
  const resolved = resolveScope(input.scope, refs);
  const diagnostics: PendingDiagnostic[] = [...resolved.diagnostics];
  const context: PlanContext = {
    refs,
    scope: resolved.scope,
    prune: input.prune,
    defaults: input.defaults,
    raw: (at) => input.raw(at),
  };
  // Every kind, in registry order (diagnostics keep that order); the type makes it exhaustive.
  const diffs: { [N in KindName]: KindDiff<N> } = {
    wrapUpCode: planKind('wrapUpCodes', input, context, diagnostics),
    complianceRule: planKind('complianceRules', input, context, diagnostics),
  };
  const plan = assemblePlan({ ...input.header, prune: input.prune }, diffs);
  return {
    plan,
    diagnostics,
    ok: !diagnostics.some((d) => d.severity === 'error'),
    scope: resolved.scope,
  };
}

/**
 * Prepare and diff the kind with key `K`, adding its diagnostics; returns its diff. Generic in the key,
 * so the registry lookup, the desired and live objects and the diff are all typed by the one kind.
 */
function planKind<K extends keyof DesiredByKind>(
  key: K,
  input: BuildPlanInput,
  context: PlanContext,
  diagnostics: PendingDiagnostic[],
): KindDiff<PlanTypesByKind[K]['kind']> {
  const kind = liveResourceKinds[key];
  const desired: DesiredInput['desired'] = input.desired;
  const live: LiveObjectsByKind = input.live;
  const prepared = kind.prepare(desired[key], live[key], context);
  diagnostics.push(...prepared.diagnostics);
  const diff = diffKind({
    kind: kind.kind,
    desired: prepared.desired,
    live: prepared.live,
    prune: input.prune,
    ...(kind.memberKeys ? { memberKeys: kind.memberKeys } : {}),
    ...(kind.pruneBehaviour ? { pruneBehaviour: kind.pruneBehaviour } : {}),
    sourceOf: (origin) => input.sourceOf(origin as ManifestPointer),
  });
  const written = new Set<string>();
  for (const change of diff.changes) if (change.action !== 'delete') written.add(change.key);
  for (const [changed, problems] of prepared.ifChanged) {
    for (const problem of problems) {
      diagnostics.push(
        written.has(changed)
          ? problem
          : {
              ...problem,
              severity: 'warning',
              hint: `${problem.hint ?? ''}${problem.hint ? '; ' : ''}the rule is unchanged, so nothing is sent now, but any change to it will be refused`,
            },
      );
    }
  }
  return diff;
}
