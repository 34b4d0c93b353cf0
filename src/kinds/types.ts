/**
 * The two halves of a resource kind.
 *
 * {@link ResourceKind}: what a desired object is, its identity (natural key), how it is normalised
 * (defaults applied, order-free lists sorted) and which checks span all manifest files.
 *
 * {@link LiveResourceKind}: the read side. How live objects are normalised into the same comparable
 * form as desired ones, how desired objects become API bodies (references resolved to ids), which
 * live objects the manifests own, how pruned objects are removed, and how a live object is written
 * back as a manifest item (export). Listing through the API client is a function next to it in the
 * kind's file; everything declared here is pure and does no I/O.
 *
 * Adding a kind = one file implementing both + one line in `index.ts` + its schema.
 */
import type {
  Located,
  ManifestListKey,
  ManifestPointer,
  PendingDiagnostic,
} from '../manifest/types.js';
import type { DesiredEntry, LiveEntry, PruneBehaviour } from '../plan/compute.js';
import type { ArrayMemberKeys } from '../plan/fieldDiff.js';
import type { ResolvedScope } from '../plan/scope.js';
import type { KindName, PruneMode } from '../plan/types.js';
import type { ReferenceIndex } from './references.js';

/** A manifest item after the schema check: a mapping whose fields may still be of any type. */
export type RawItem = Record<string, unknown>;

/** One raw item with its place and whether the schema accepted it as a whole. */
export interface CheckedItem extends Located<RawItem> {
  /** True when the schema reported nothing at or below this item. */
  schemaValid: boolean;
}

/** Defaults that come from outside the manifests (environment or profile). */
export interface KindDefaults {
  /** Campaign (name or id) of rules that name none, from CXONE_CAMPAIGN_ID or the profile. */
  defaultCampaign?: string;
}

/** The pure parts of one kind of resource. */
export interface ResourceKind<Desired> {
  /** Top-level manifest key holding the kind's list, e.g. `wrapUpCodes`. */
  readonly key: Extract<ManifestListKey, 'wrapUpCodes' | 'complianceRules'>;
  /** What users call one object, e.g. `wrap-up code`. */
  readonly noun: string;
  /** The natural key, unique among desired objects of the kind (e.g. the code). */
  identity(item: Desired): string;
  /** How messages name one object, e.g. `wrap-up code RES_001`. */
  describe(item: Desired): string;
  /**
   * The canonical desired object from an item the schema accepted: defaults applied (so an omitted
   * `isActive` equals `isActive: true`), empty optional text dropped, order-free lists sorted.
   */
  normalise(item: RawItem, defaults: KindDefaults): Desired;
  /**
   * Checks across all items of the kind from all files (uniqueness, one default per category, ...)
   * and checks of single items the schema cannot express. Items the schema rejected take part in
   * cross-item checks through the fields that are well-typed, so every problem shows at once.
   */
  validate(items: readonly CheckedItem[], defaults: KindDefaults): PendingDiagnostic[];
  /** Deterministic order of desired objects (by identity). */
  compare(a: Desired, b: Desired): number;
}

/** Compare strings by UTF-16 code units, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the read side of a kind needs to plan. */
export interface PlanContext {
  refs: ReferenceIndex;
  scope: ResolvedScope;
  prune: PruneMode;
  defaults: KindDefaults;
  /** The item as written in the manifest (before normalisation), for pointing at list entries. */
  raw(at: ManifestPointer): RawItem | undefined;
}

/**
 * Both sides of one kind `K`, in its comparable form `Comparable`, and the problems found while
 * preparing them.
 */
export interface PreparedKind<K extends KindName, Comparable extends object> {
  /** Desired objects; each `origin` is the manifest pointer where it is declared. */
  desired: DesiredEntry<K, Comparable>[];
  live: LiveEntry<Comparable>[];
  diagnostics: PendingDiagnostic[];
  /**
   * Problems that stop the plan only when the object is created or updated (the API would refuse
   * the write), and are warnings when it is left as it is; by key.
   */
  ifChanged: Map<string, PendingDiagnostic[]>;
}

/**
 * The read side of a kind (pure parts): desired objects `Desired` and live ones `Live` become
 * entries of plan kind `K` in the comparable form `Comparable`.
 */
export interface LiveResourceKind<
  Desired,
  Live,
  K extends KindName,
  Comparable extends object = Record<string, unknown>,
> {
  /** Name of the kind in plans. */
  readonly kind: K;
  /** How members of array fields are matched in field diffs. */
  readonly memberKeys?: ArrayMemberKeys;
  /** How `--prune` removes owned objects the manifests do not declare. */
  readonly pruneBehaviour?: PruneBehaviour<K, Comparable>;
  /**
   * Both sides in comparable form: references resolved (unknown names are diagnostics at the
   * manifest's place), ownership decided by scope, plan-time conflicts found.
   */
  prepare(
    desired: readonly Located<Desired>[],
    live: readonly Live[],
    context: PlanContext,
  ): PreparedKind<K, Comparable>;
  /** The live object as a manifest item: names instead of ids, defaults left out. */
  exportItem(live: Live, refs: ReferenceIndex): Record<string, unknown>;
}

/** `{...item.at, path: [...item.at.path, ...more]}`: a place inside an item. */
export function pointerInside(at: ManifestPointer, ...more: (string | number)[]): ManifestPointer {
  return { ...at, path: [...at.path, ...more] };
}
