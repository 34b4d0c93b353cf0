import { jsonEqual } from '../util/canonical.js';
import { fieldDiff, fieldsAdded, fieldsRemoved, type ArrayMemberKeys } from './fieldDiff.js';
import type {
  BodyByKind,
  ChangeCounts,
  FieldChange,
  KindName,
  LiveRef,
  PlannedChangeOf,
  PruneMode,
  SourceRef,
  UnmanagedObject,
} from './types.js';

/**
 * A desired object of kind `K`, normalised by its kind. `Comparable` is the kind's comparable form,
 * shared with its {@link LiveEntry}s.
 */
export interface DesiredEntry<K extends KindName = KindName, Comparable extends object = object> {
  key: string;
  /** The form compared with live: defaults applied, references as names, sets sorted. */
  comparable: Comparable;
  /** The API body to send (references resolved to ids). */
  body: BodyByKind[K];
  source?: SourceRef;
  /**
   * Where the object was declared, in the caller's terms (a manifest pointer); handed to
   * {@link KindDiffInput.sourceOf} for objects that change, so unchanged objects cost nothing.
   */
  origin?: unknown;
  labels?: Record<string, string>;
  /** Parent id for nested kinds (campaign id of a rule). */
  parentId?: string;
}

/** A live object, normalised by its kind into the same comparable form as desired objects. */
export interface LiveEntry<Comparable extends object = object> {
  key: string;
  comparable: Comparable;
  live: LiveRef;
  /** Whether the manifests' scope owns it; objects outside scope are never changed. */
  owned: boolean;
  labels?: Record<string, string>;
  /** Parent id for nested kinds (campaign id of a rule). */
  parentId?: string;
}

/** How a kind is removed by `--prune`. */
export interface PruneBehaviour<K extends KindName = KindName, Comparable extends object = object> {
  /**
   * For kinds pruned by deactivation (wrap-up codes): the full body that deactivates the object,
   * or undefined when it is already inactive (nothing to do). Absent: prune always hard-deletes.
   */
  deactivate?: (
    entry: LiveEntry<Comparable>,
  ) => { body: BodyByKind[K]; fields: FieldChange[] } | undefined;
  /**
   * True for an owned live object that no manifest declares and that is already as a deactivating
   * prune leaves it: retired. It is not "not in manifests" (plan and drift leave it out); only
   * `--prune=delete` still removes it.
   */
  retired?: (entry: LiveEntry<Comparable>) => boolean;
}

/** Everything needed to diff one kind. */
export interface KindDiffInput<K extends KindName, Comparable extends object = object> {
  kind: K;
  desired: readonly DesiredEntry<K, Comparable>[];
  live: readonly LiveEntry<Comparable>[];
  memberKeys?: ArrayMemberKeys;
  prune: PruneMode;
  pruneBehaviour?: PruneBehaviour<K, Comparable>;
  /** `source` of a created or updated object from its `origin` (when `source` is not given). */
  sourceOf?: (origin: unknown) => SourceRef | undefined;
}

/** Result of diffing one kind. */
export interface KindDiff<K extends KindName = KindName> {
  changes: PlannedChangeOf<K>[];
  unmanaged: UnmanagedObject[];
  counts: ChangeCounts;
}

/** Empty counts. */
export function zeroCounts(): ChangeCounts {
  return {
    create: 0,
    update: 0,
    delete: 0,
    deactivate: 0,
    unchanged: 0,
    unmanaged: 0,
    retired: 0,
    managed: 0,
  };
}

/**
 * Diff desired against live for one kind. Matching is by natural key through a Map, so the cost is
 * linear in the number of objects; json-diff-ts runs only on objects whose canonical forms differ.
 * Desired keys must be unique (validation guarantees it before planning).
 */
export function diffKind<K extends KindName, Comparable extends object>(
  input: KindDiffInput<K, Comparable>,
): KindDiff<K> {
  // Live objects by key -> their position; `matched` marks those a desired object claimed.
  const liveIndex = new Map<string, number>();
  input.live.forEach((entry, index) => liveIndex.set(entry.key, index));
  const matched = new Uint8Array(input.live.length);
  const changes: PlannedChangeOf<K>[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const counts = zeroCounts();

  for (const desired of input.desired) {
    const index = liveIndex.get(desired.key);
    const live = index === undefined ? undefined : input.live[index];
    if (index !== undefined) matched[index] = 1;
    if (live && jsonEqual(live.comparable, desired.comparable)) {
      counts.unchanged++;
      continue;
    }
    // Only objects that change get their context built: 100,000 unchanged codes cost one compare each.
    const source =
      desired.source ??
      (desired.origin === undefined ? undefined : input.sourceOf?.(desired.origin));
    const context = withOptional({
      labels: desired.labels,
      source,
      parentId: desired.parentId,
    });
    if (!live) {
      changes.push({
        kind: input.kind,
        key: desired.key,
        action: 'create',
        body: desired.body,
        fields: fieldsAdded(desired.comparable),
        ...context,
      });
      counts.create++;
      continue;
    }
    changes.push({
      kind: input.kind,
      key: desired.key,
      action: 'update',
      live: live.live,
      body: desired.body,
      fields: fieldDiff(live.comparable, desired.comparable, input.memberKeys),
      ...context,
    });
    counts.update++;
  }

  input.live.forEach((live, index) => {
    if (!live.owned || matched[index] === 1) {
      if (live.owned) counts.managed++;
      return;
    }
    if (input.pruneBehaviour?.retired?.(live) === true) {
      // Retired objects are history, not configuration: only a hard-deleting prune touches them,
      // and only then do they count towards the delete threshold's base.
      if (input.prune !== 'delete') {
        counts.retired++;
        return;
      }
    }
    counts.managed++;
    const context = withOptional({ labels: live.labels, parentId: live.parentId });
    if (input.prune === false) {
      unmanaged.push({ kind: input.kind, key: live.key, liveId: live.live.id });
      counts.unmanaged++;
      return;
    }
    const deactivation =
      input.prune === 'deactivate' ? input.pruneBehaviour?.deactivate?.(live) : undefined;
    if (deactivation) {
      changes.push({
        kind: input.kind,
        key: live.key,
        action: 'delete',
        deleteMode: 'deactivate',
        live: live.live,
        body: deactivation.body,
        fields: deactivation.fields,
        ...context,
      });
      counts.deactivate++;
      return;
    }
    if (input.prune === 'deactivate' && input.pruneBehaviour?.deactivate) {
      // Deactivated already, yet not retired by the kind's rule: nothing to write, still listed.
      unmanaged.push({ kind: input.kind, key: live.key, liveId: live.live.id });
      counts.unmanaged++;
      return;
    }
    changes.push({
      kind: input.kind,
      key: live.key,
      action: 'delete',
      deleteMode: 'delete',
      live: live.live,
      fields: fieldsRemoved(live.comparable),
      ...context,
    });
    counts.delete++;
  });
  return { changes, unmanaged, counts };
}

/** Copy only the defined members, so plans never carry `undefined` (JSON drops it anyway). */
function withOptional<T extends Record<string, unknown>>(members: T): Partial<T> {
  const result: Partial<T> = {};
  for (const [name, value] of Object.entries(members)) {
    if (value !== undefined) (result as Record<string, unknown>)[name] = value;
  }
  return result;
}
