import { jsonEqual } from './canonical.js';
import { fieldDiff, fieldsAdded, fieldsRemoved, type ArrayMemberKeys } from './fieldDiff.js';
import type {
  ChangeCounts,
  KindName,
  LiveRef,
  PlannedChange,
  PruneMode,
  SourceRef,
  UnmanagedObject,
} from './types.js';

type Plain = Record<string, unknown>;

/** A desired object, normalised by its kind. */
export interface DesiredEntry {
  key: string;
  /** The form compared with live: defaults applied, references as names, sets sorted. */
  comparable: Plain;
  /** The API body to send (references resolved to ids). */
  body: Plain;
  source?: SourceRef;
  labels?: Record<string, string>;
  /** Parent id for nested kinds (campaign id of a rule). */
  parentId?: string;
}

/** A live object, normalised by its kind into the same comparable form as desired objects. */
export interface LiveEntry {
  key: string;
  comparable: Plain;
  live: LiveRef;
  /** Whether the manifests' scope owns it; objects outside scope are never changed. */
  owned: boolean;
  labels?: Record<string, string>;
  /** Parent id for nested kinds (campaign id of a rule). */
  parentId?: string;
}

/** How a kind is removed by `--prune`. */
export interface PruneBehaviour {
  /**
   * For kinds pruned by deactivation (wrap-up codes): the full body that deactivates the object,
   * or undefined when it is already inactive (nothing to do). Absent: prune always hard-deletes.
   */
  deactivate?: (entry: LiveEntry) => { body: Plain; fields: PlannedChange['fields'] } | undefined;
}

/** Everything needed to diff one kind. */
export interface KindDiffInput {
  kind: KindName;
  desired: readonly DesiredEntry[];
  live: readonly LiveEntry[];
  memberKeys?: ArrayMemberKeys;
  prune: PruneMode;
  pruneBehaviour?: PruneBehaviour;
}

/** Result of diffing one kind. */
export interface KindDiff {
  changes: PlannedChange[];
  unmanaged: UnmanagedObject[];
  counts: ChangeCounts;
}

/** Empty counts. */
export function zeroCounts(): ChangeCounts {
  return { create: 0, update: 0, delete: 0, unchanged: 0, unmanaged: 0, managed: 0 };
}

/**
 * Diff desired against live for one kind. Matching is by natural key through a Map, so the cost is
 * linear in the number of objects; json-diff-ts runs only on objects whose canonical forms differ.
 * Desired keys must be unique (validation guarantees it before planning).
 */
export function diffKind(input: KindDiffInput): KindDiff {
  const liveByKey = new Map<string, LiveEntry>();
  for (const entry of input.live) liveByKey.set(entry.key, entry);
  const changes: PlannedChange[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const counts = zeroCounts();
  const desiredKeys = new Set<string>();

  for (const desired of input.desired) {
    desiredKeys.add(desired.key);
    const live = liveByKey.get(desired.key);
    const context = withOptional({
      labels: desired.labels,
      source: desired.source,
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
    if (jsonEqual(live.comparable, desired.comparable)) {
      counts.unchanged++;
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

  for (const live of input.live) {
    if (!live.owned) continue;
    counts.managed++;
    if (desiredKeys.has(live.key)) continue;
    const context = withOptional({ labels: live.labels, parentId: live.parentId });
    if (input.prune === false) {
      unmanaged.push({ kind: input.kind, key: live.key, liveId: live.live.id });
      counts.unmanaged++;
      continue;
    }
    const deactivate = input.pruneBehaviour?.deactivate;
    if (deactivate && input.prune === 'deactivate') {
      const deactivation = deactivate(live);
      if (!deactivation) {
        // Already inactive: pruning has nothing left to do, but it is still not in the manifests.
        unmanaged.push({ kind: input.kind, key: live.key, liveId: live.live.id });
        counts.unmanaged++;
        continue;
      }
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
    } else {
      changes.push({
        kind: input.kind,
        key: live.key,
        action: 'delete',
        deleteMode: 'delete',
        live: live.live,
        fields: fieldsRemoved(live.comparable),
        ...context,
      });
    }
    counts.delete++;
  }
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
