/**
 * The registry of resource kinds, in the order plans list them.
 * Adding a kind = one file in src/kinds/ + one line here + its schema in schemas/.
 */
import { complianceRulesKind, type DesiredComplianceRule } from './complianceRules.js';
import type { ResourceKind } from './types.js';
import { wrapUpCodesKind, type DesiredWrapUpCode } from './wrapUpCodes.js';

export { complianceRulesKind, type DesiredComplianceRule } from './complianceRules.js';
export { wrapUpCodesKind, type DesiredWrapUpCode } from './wrapUpCodes.js';

/** Desired objects by kind key. */
export interface DesiredByKind {
  wrapUpCodes: DesiredWrapUpCode;
  complianceRules: DesiredComplianceRule;
}

/** Every kind, keyed by its manifest key. */
export const resourceKinds: { [K in keyof DesiredByKind]: ResourceKind<DesiredByKind[K]> } = {
  wrapUpCodes: wrapUpCodesKind,
  complianceRules: complianceRulesKind,
};

/** The kind keys in registry order. */
export const RESOURCE_KIND_KEYS = Object.keys(resourceKinds) as (keyof DesiredByKind)[];
