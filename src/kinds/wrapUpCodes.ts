/**
 * Wrap-up (disposition) codes: identity `code`, unique across all manifest files; at most one
 * default per category.
 */
import type { CxoneClient } from '../cxone/client.js';
import type { PageListener } from '../cxone/pagination.js';
import type { WrapUpCode, WrapUpCodeFields } from '../cxone/types.js';
import type { Located, ManifestPointer, PendingDiagnostic } from '../manifest/types.js';
import type { DesiredEntry, LiveEntry, PruneBehaviour } from '../plan/compute.js';
import type { FieldChange } from '../plan/types.js';
import { describeWrapUpCodeScope, ownsWrapUpCode } from '../plan/scope.js';
import {
  compareStrings,
  pointerInside,
  type CheckedItem,
  type LiveResourceKind,
  type PlanContext,
  type PreparedKind,
  type RawItem,
  type ResourceKind,
} from './types.js';

/** A desired wrap-up code: the API's writable fields, defaults applied. */
export type DesiredWrapUpCode = WrapUpCodeFields;

/** The wrap-up code kind. */
export const wrapUpCodesKind: ResourceKind<DesiredWrapUpCode> = {
  key: 'wrapUpCodes',
  noun: 'wrap-up code',
  identity: (item) => item.code,
  describe: (item) => `wrap-up code ${item.code}`,
  normalise: normaliseWrapUpCode,
  validate: validateWrapUpCodes,
  compare: (a, b) => compareStrings(a.code, b.code),
};

/** Defaults applied: `isActive` true, `isDefault` false; an empty description is no description. */
export function normaliseWrapUpCode(item: RawItem): DesiredWrapUpCode {
  const desired: DesiredWrapUpCode = {
    code: item.code as string,
    name: item.name as string,
    category: item.category as string,
    duration: item.duration as number,
    isActive: (item.isActive as boolean | undefined) ?? true,
    isDefault: (item.isDefault as boolean | undefined) ?? false,
  };
  const description = item.description as string | undefined;
  if (description !== undefined && description !== '') desired.description = description;
  return desired;
}

/**
 * Codes unique across all files; at most one `isDefault: true` per category; a warning for a
 * default that is inactive.
 */
export function validateWrapUpCodes(items: readonly CheckedItem[]): PendingDiagnostic[] {
  const diagnostics: PendingDiagnostic[] = [];
  const field = (item: CheckedItem, name: string): ManifestPointer => ({
    ...item.at,
    path: [...item.at.path, name],
  });
  // Pointers are built only for what is reported: this loop runs over every code of the tenant.
  const firstByCode = new Map<string, CheckedItem>();
  const defaultByCategory = new Map<string, { code: string; at: ManifestPointer }>();
  for (const item of items) {
    const { code, category, isDefault } = item.value;
    if (typeof code === 'string') {
      const first = firstByCode.get(code);
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: 'wrapUpCode.duplicate',
          message: (where) =>
            `wrap-up code ${code} is declared twice: here and at ${where(field(first, 'code'))}`,
          at: field(item, 'code'),
          hint: 'codes are unique across all manifest files; remove or rename one of them',
        });
      } else {
        firstByCode.set(code, item);
      }
    }
    if (isDefault === true && item.value.isActive === false) {
      diagnostics.push({
        severity: 'warning',
        code: 'wrapUpCode.inactiveDefault',
        message: `wrap-up code${typeof code === 'string' ? ` ${code}` : ''} is the default of its category but inactive, so agents cannot choose it`,
        at: field(item, 'isActive'),
        hint: 'make it active, or make another code the default',
      });
    }
    if (isDefault === true && typeof category === 'string') {
      const at = field(item, 'isDefault');
      const first = defaultByCategory.get(category);
      const label = typeof code === 'string' ? code : 'this code';
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: 'wrapUpCode.defaultConflict',
          message: (where) =>
            `category ${JSON.stringify(category)} has more than one default wrap-up code: ${label} here and ${first.code} at ${where(first.at)}`,
          at,
          hint: 'a category has at most one default; set isDefault: false on all but one',
        });
      } else {
        defaultByCategory.set(category, { code: label, at });
      }
    }
  }
  return diagnostics;
}

/**
 * Every wrap-up code of the tenant: the first page, then all other pages at once (they queue on the
 * client's concurrency and rate limits); `onPage` hears of each page as it arrives.
 */
export function listLiveWrapUpCodes(
  client: CxoneClient,
  signal?: AbortSignal,
  onPage?: PageListener<WrapUpCode>,
): Promise<WrapUpCode[]> {
  return client.wrapUpCodes.list({
    ...(signal ? { signal } : {}),
    ...(onPage ? { onPage } : {}),
  });
}

/**
 * The comparable form of a code, desired or live: the writable fields with keys in code-point
 * order (so `JSON.stringify` of it is already canonical), no description when it is empty.
 */
export function comparableWrapUpCode(fields: WrapUpCodeFields): WrapUpCodeFields {
  const { category, code, duration, isActive, isDefault, name } = fields;
  // The API drops an empty description; `null` or "" from any source means none.
  if (typeof fields.description === 'string' && fields.description !== '') {
    const { description } = fields;
    return { category, code, description, duration, isActive, isDefault, name };
  }
  return { category, code, duration, isActive, isDefault, name };
}

/** The request body: the writable fields in the API's order, no empty description. */
export function wrapUpCodeApiBody(fields: WrapUpCodeFields): WrapUpCodeFields {
  const { code, name, category, duration, isActive, isDefault } = fields;
  if (typeof fields.description === 'string' && fields.description !== '') {
    const { description } = fields;
    return { code, name, category, duration, isActive, isDefault, description };
  }
  return { code, name, category, duration, isActive, isDefault };
}

/**
 * Wrap-up codes are pruned by deactivation: the live fields with `isActive: false` and
 * `isDefault: false` (a deactivated default would still hold its category's default slot).
 * Nothing to do only when the code is already inactive and not a default: then it is retired,
 * and neither plan nor drift lists it (docs/plan.md, "Retired wrap-up codes").
 */
export const wrapUpCodePrune: PruneBehaviour<'wrapUpCode', WrapUpCodeFields> = {
  deactivate(entry) {
    const live = entry.comparable;
    if (live.isActive === false && live.isDefault === false) return undefined;
    const fields: FieldChange[] = [];
    if (live.isActive) fields.push({ path: 'isActive', oldValue: true, newValue: false });
    if (live.isDefault) fields.push({ path: 'isDefault', oldValue: true, newValue: false });
    return {
      body: wrapUpCodeApiBody({ ...live, isActive: false, isDefault: false }),
      fields,
    };
  },
  // Exactly the state deactivation leaves: a code kept for historical reporting, not drift.
  retired(entry) {
    return entry.comparable.isActive === false && entry.comparable.isDefault === false;
  },
};

/** The read side of wrap-up codes. */
export const wrapUpCodesLive: LiveResourceKind<
  DesiredWrapUpCode,
  WrapUpCode,
  'wrapUpCode',
  WrapUpCodeFields
> = {
  kind: 'wrapUpCode',
  pruneBehaviour: wrapUpCodePrune,
  prepare: prepareWrapUpCodes,
  exportItem: exportWrapUpCode,
};

/** A live wrap-up code in comparable form. */
type WrapUpCodeEntry = LiveEntry<WrapUpCodeFields>;

/**
 * Both sides in comparable form. Checks: the category exists; the code is inside the manifests'
 * scope; a live code with the same code is owned (objects outside scope are never changed); a
 * desired default does not collide with a live default that stays (an unmanaged code that is not
 * pruned, or one outside scope), which the API would refuse.
 */
export function prepareWrapUpCodes(
  desired: readonly Located<DesiredWrapUpCode>[],
  live: readonly WrapUpCode[],
  context: PlanContext,
): PreparedKind<'wrapUpCode', WrapUpCodeFields> {
  const { refs, scope } = context;
  const diagnostics: PendingDiagnostic[] = [];
  const liveEntries: WrapUpCodeEntry[] = [];
  // Live codes outside scope, by code: a manifest code matching one would change it.
  const outsideScope = new Map<string, WrapUpCodeEntry>();
  for (const code of live) {
    const entry: WrapUpCodeEntry = {
      key: code.code,
      comparable: comparableWrapUpCode(code),
      live: { id: code.id, version: code.version },
      owned: ownsWrapUpCode(scope, code),
    };
    liveEntries.push(entry);
    if (!entry.owned) outsideScope.set(entry.key, entry);
  }

  const desiredEntries: DesiredEntry<'wrapUpCode', WrapUpCodeFields>[] = [];
  for (const { value, at } of desired) {
    // The normalised code is already both forms: the API's writable fields, no empty
    // description. Sharing it saves two objects per code on large plans.
    desiredEntries.push({
      key: value.code,
      comparable: value,
      body: value,
      origin: at,
    });
    if (!refs.hasCategory(value.category)) {
      const suggestion = refs.suggestCategory(value.category);
      diagnostics.push({
        severity: 'error',
        code: 'reference.categoryUnknown',
        message: `wrap-up code ${value.code} is in category ${JSON.stringify(value.category)}, which does not exist in the tenant`,
        at: pointerInside(at, 'category'),
        hint:
          suggestion !== undefined
            ? `did you mean ${JSON.stringify(suggestion)}?`
            : 'category names are case-sensitive; create the category in CXone first',
      });
    }
    if (!ownsWrapUpCode(scope, value)) {
      diagnostics.push({
        severity: 'error',
        code: 'scope.outside',
        message: `wrap-up code ${value.code} (category ${JSON.stringify(value.category)}) is outside the scope of these manifests, which own ${describeWrapUpCodeScope(scope)}`,
        at: pointerInside(at, 'code'),
        hint: 'widen scope.wrapUpCodes, or remove the code from the manifests',
      });
      continue;
    }
    const match = outsideScope.size > 0 ? outsideScope.get(value.code) : undefined;
    if (match) {
      diagnostics.push({
        severity: 'error',
        code: 'scope.liveOutside',
        message: `wrap-up code ${value.code} exists live in category ${JSON.stringify(match.comparable.category)}, outside the scope of these manifests (${describeWrapUpCodeScope(scope)}); cxctl never changes objects outside scope`,
        at: pointerInside(at, 'code'),
        hint: 'widen scope.wrapUpCodes to include it, or pick another code',
      });
    }
  }
  diagnostics.push(...defaultConflicts(desired, liveEntries, context));
  return { desired: desiredEntries, live: liveEntries, diagnostics, ifChanged: new Map() };
}

/**
 * A desired default in a category whose live default is another code that keeps its default slot
 * through the apply: one the manifests do not declare and `--prune` does not deactivate or delete,
 * or one outside scope. The API allows one default per category (inactive codes included).
 */
function defaultConflicts(
  desired: readonly Located<DesiredWrapUpCode>[],
  live: readonly WrapUpCodeEntry[],
  context: PlanContext,
): PendingDiagnostic[] {
  // Live defaults that pruning does not clear (at most one per category, so few).
  const candidates = new Map<string, WrapUpCodeEntry>();
  for (const entry of live) {
    if (entry.comparable.isDefault !== true) continue;
    if (entry.owned && context.prune !== false) continue; // pruning clears or deletes it first
    candidates.set(entry.key, entry);
  }
  if (candidates.size === 0) return [];
  for (const item of desired) candidates.delete(item.value.code); // declared: apply orders it
  const staysDefault = new Map<string, WrapUpCodeEntry>();
  for (const entry of candidates.values()) {
    staysDefault.set(entry.comparable.category, entry);
  }
  const diagnostics: PendingDiagnostic[] = [];
  if (staysDefault.size === 0) return diagnostics;
  for (const { value, at } of desired) {
    if (!value.isDefault) continue;
    const other = staysDefault.get(value.category);
    if (!other) continue;
    const why = other.owned
      ? 'which the manifests do not declare'
      : `which is outside the scope of these manifests (${describeWrapUpCodeScope(context.scope)})`;
    diagnostics.push({
      severity: 'error',
      code: 'wrapUpCode.liveDefaultConflict',
      message: `wrap-up code ${value.code} is the default of category ${JSON.stringify(value.category)}, but the live default is ${other.key}, ${why} and so stays the default; a category has at most one default`,
      at: pointerInside(at, 'isDefault'),
      hint: other.owned
        ? `declare ${other.key} in the manifests with isDefault: false, or plan with --prune to deactivate it`
        : `clear the default of ${other.key} in CXone, or widen the scope to include it`,
    });
  }
  return diagnostics;
}

/** The live code as a manifest item: defaults (`isActive: true`, `isDefault: false`) left out. */
export function exportWrapUpCode(code: WrapUpCode): Record<string, unknown> {
  const item: Record<string, unknown> = {
    code: code.code,
    name: code.name,
    category: code.category,
    duration: code.duration,
  };
  if (code.isActive === false) item.isActive = false;
  if (code.isDefault === true) item.isDefault = true;
  if (typeof code.description === 'string' && code.description !== '') {
    item.description = code.description;
  }
  return item;
}
