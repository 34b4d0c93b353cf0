/**
 * The pure half of a resource kind: what a desired object is, its identity (natural key), how it is
 * normalised (defaults applied, order-free lists sorted) and which checks span all manifest files.
 *
 * Adding a kind = one file implementing {@link ResourceKind} + one line in `index.ts` + its schema.
 * Listing and writing live objects through the API client extend this interface later; everything
 * here is pure and does no I/O.
 */
import type { Located, ManifestListKey, PendingDiagnostic } from '../manifest/types.js';

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
