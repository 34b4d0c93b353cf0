/**
 * Wrap-up (disposition) codes: identity `code`, unique across all manifest files; at most one
 * default per category.
 */
import type { WrapUpCodeFields } from '../cxone/types.js';
import type { ManifestPointer, PendingDiagnostic } from '../manifest/types.js';
import { compareStrings, type CheckedItem, type RawItem, type ResourceKind } from './types.js';

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
