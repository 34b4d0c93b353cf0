/**
 * The Plan: plain, serialisable data describing exactly what `apply` will do.
 *
 * It never holds functions, class instances or colours; renderers format it and the executor walks
 * it. `schemas/plan.schema.json` documents the JSON form (`cxctl plan --format json`, `--out`).
 */

import type { ComplianceRuleFields, WrapUpCodeFields } from '../cxone/types.js';

/** Resource kinds cxctl manages, in dependency order (creates run top-down, deletes bottom-up). */
export const KIND_NAMES = ['wrapUpCode', 'complianceRule'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** What happens to one object. */
export type ChangeAction = 'create' | 'update' | 'delete';

/** How pruned objects are removed: wrap-up codes are deactivated unless `--prune=delete`. */
export type DeleteMode = 'deactivate' | 'delete';

/** `--prune` setting recorded in the plan: off, or how pruned objects are removed. */
export type PruneMode = false | 'deactivate' | 'delete';

/**
 * One field that differs. `path` is readable: `duration`,
 * `timeZoneRestrictions[America/New_York].endHour`, `geographicExclusions[40.7128,-74.006]`.
 * A missing `oldValue` means the field is added; a missing `newValue` means it is removed.
 */
export interface FieldChange {
  path: string;
  oldValue?: unknown;
  newValue?: unknown;
}

/** The live object a change touches, as read at plan time. */
export interface LiveRef {
  id: string;
  /** The version read at plan time; sent as `If-Match` and checked by `apply --plan`. */
  version: number;
}

/** Where a desired object was declared (first position if several). */
export interface SourceRef {
  file: string;
  line: number;
}

/** The request body apply sends for a change, by kind: exactly what the kind's writer accepts. */
export interface BodyByKind {
  wrapUpCode: WrapUpCodeFields;
  complianceRule: ComplianceRuleFields;
}

/** The body of a change of some kind. */
export type PlannedBody = BodyByKind[KindName];

/** One planned change to one object of kind `K`. */
export interface PlannedChangeOf<K extends KindName> {
  kind: K;
  /** Natural key in display form: `RES_001`, `Spring Renewals/US-FCC calling hours`. */
  key: string;
  action: ChangeAction;
  /** Set on deletes: deactivation keeps the object for historical reporting. */
  deleteMode?: DeleteMode;
  /** Id of the parent the API nests the object under (the campaign of a compliance rule). */
  parentId?: string;
  /** Set on updates and deletes. */
  live?: LiveRef;
  /**
   * The request body apply sends for creates, updates and deactivations: complete, normalised,
   * with references resolved to ids. Absent for hard deletes.
   */
  body?: BodyByKind[K];
  /** Field-level differences (all fields as additions for creates, removals for deletes). */
  fields: FieldChange[];
  /** Display context, e.g. `{campaign: "Spring Renewals"}`; not used for execution. */
  labels?: Record<string, string>;
  /** Where the desired object is declared; absent for prunes. */
  source?: SourceRef;
}

/**
 * One planned change to one object: a union discriminated by `kind`, so narrowing on the kind
 * types the body. A plan read from a file is schema-checked only, but `apply --plan` executes the
 * changes it plans afresh from the manifests (see `apply/planMatch.ts`), so every executed body
 * really is of its kind's type.
 */
export type PlannedChange = { [K in KindName]: PlannedChangeOf<K> }[KindName];

/** An owned live object that no manifest declares and that `--prune` was not asked to remove. */
export interface UnmanagedObject {
  kind: KindName;
  key: string;
  liveId: string;
}

/** Counts for the summary line "Plan: N to create, N to update, N to delete". */
export interface ChangeCounts {
  create: number;
  update: number;
  /** Objects pruned by deleting them. */
  delete: number;
  /** Objects pruned by deactivating them (wrap-up codes without `--prune=delete`). */
  deactivate: number;
  unchanged: number;
  unmanaged: number;
  /**
   * Owned live objects no manifest declares that are already deactivated (inactive wrap-up codes,
   * not a default): left alone and not listed, unless `--prune=delete` deletes them.
   */
  retired: number;
  /**
   * Owned live objects (in scope), retired ones only under `--prune=delete`: the base of the
   * delete threshold.
   */
  managed: number;
}

/** The target a plan was made against. Only `label` enters the digest (the embedded port varies). */
export interface PlanTarget {
  /** Stable name: tenant, API host, or `embedded`. */
  label: string;
  apiBase?: string;
}

/** A complete plan. */
export interface Plan {
  formatVersion: 1;
  /** sha256 (hex) over the canonical JSON of `{formatVersion, target.label, changes}`. */
  digest: string;
  target: PlanTarget;
  /** sha256 of the normalised desired state; `apply --plan` refuses when the manifests changed. */
  manifestDigest: string;
  prune: PruneMode;
  /** Sorted by kind order, then key. */
  changes: PlannedChange[];
  /** Sorted like `changes`. */
  unmanaged: UnmanagedObject[];
  counts: ChangeCounts;
  countsByKind: Record<KindName, ChangeCounts>;
  /** Informational, outside the digest. */
  createdAt: string;
  cxctlVersion: string;
}
