import { digestOf } from '../util/canonical.js';
import { zeroCounts, type KindDiff } from './compute.js';
import {
  KIND_NAMES,
  type ChangeCounts,
  type KindName,
  type Plan,
  type PlannedChange,
  type PlanTarget,
  type PruneMode,
  type UnmanagedObject,
} from './types.js';

/** Inputs of {@link assemblePlan} besides the per-kind diffs. */
export interface PlanHeader {
  target: PlanTarget;
  manifestDigest: string;
  prune: PruneMode;
  cxctlVersion: string;
  /** Injected so tests and saved plans are reproducible. */
  createdAt: string;
}

const KIND_ORDER = new Map<KindName, number>(KIND_NAMES.map((kind, index) => [kind, index]));

/** Deterministic order: kind (dependency order), then key by code point. */
export function compareByKindAndKey(
  a: { kind: KindName; key: string },
  b: { kind: KindName; key: string },
): number {
  const byKind = (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0);
  if (byKind !== 0) return byKind;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * The digest of a plan: sha256 over the canonical JSON of what it would do to which target and the
 * live versions it read. Formatting, timestamps, the manifest digest and where objects are
 * declared (`source`) stay out, so re-planning the same change later, or after moving an object to
 * another file or line, gives the same digest (`apply --expect-plan-digest`).
 */
export function planDigest(target: PlanTarget, changes: readonly PlannedChange[]): string {
  const withoutSource = changes.map((change) => {
    if (change.source === undefined) return change;
    const { source: _source, ...rest } = change;
    return rest;
  });
  return digestOf({ formatVersion: 1, target: target.label, changes: withoutSource });
}

/** The diff of each kind, keyed by the kind's name in plans. */
export type DiffsByKind = { [K in KindName]?: KindDiff<K> };

/** Combine per-kind diffs into a sorted, counted, digested Plan. */
export function assemblePlan(header: PlanHeader, diffs: DiffsByKind): Plan {
  const changes: PlannedChange[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const counts = zeroCounts();
  const countsByKind = Object.fromEntries(KIND_NAMES.map((kind) => [kind, zeroCounts()])) as Record<
    KindName,
    ChangeCounts
  >;
  for (const kind of KIND_NAMES) {
    const kindDiff = diffs[kind];
    if (!kindDiff) continue;
    changes.push(...kindDiff.changes);
    unmanaged.push(...kindDiff.unmanaged);
    countsByKind[kind] = { ...kindDiff.counts };
    for (const name of Object.keys(counts) as (keyof ChangeCounts)[]) {
      counts[name] += kindDiff.counts[name];
    }
  }
  changes.sort(compareByKindAndKey);
  unmanaged.sort(compareByKindAndKey);
  return {
    formatVersion: 1,
    digest: planDigest(header.target, changes),
    target: header.target,
    manifestDigest: header.manifestDigest,
    prune: header.prune,
    changes,
    unmanaged,
    counts,
    countsByKind,
    createdAt: header.createdAt,
    cxctlVersion: header.cxctlVersion,
  };
}

/** True when the plan would change nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.changes.length === 0;
}
