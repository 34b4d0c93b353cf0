/**
 * The registry of resource kinds, in the order plans list them.
 * Adding a kind = one file in src/kinds/ + one line in each map here + its schema in schemas/
 * (CONTRIBUTING.md, "Adding a resource kind").
 */
import type { ComplianceRule, WrapUpCode, WrapUpCodeFields } from '../cxone/types.js';
import {
  complianceRulesKind,
  complianceRulesLive,
  type DesiredComplianceRule,
} from './complianceRules.js';
import type { LiveResourceKind, ResourceKind } from './types.js';
import { wrapUpCodesKind, wrapUpCodesLive, type DesiredWrapUpCode } from './wrapUpCodes.js';

export {
  complianceRulesKind,
  complianceRulesLive,
  type DesiredComplianceRule,
} from './complianceRules.js';
export { wrapUpCodesKind, wrapUpCodesLive, type DesiredWrapUpCode } from './wrapUpCodes.js';

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

/** Live objects by kind key, as the API returns them. */
export interface LiveByKind {
  wrapUpCodes: WrapUpCode;
  complianceRules: ComplianceRule;
}

/** The name in plans and the comparable form of each kind, by kind key. */
export interface PlanTypesByKind {
  wrapUpCodes: { kind: 'wrapUpCode'; comparable: WrapUpCodeFields };
  complianceRules: { kind: 'complianceRule'; comparable: Record<string, unknown> };
}

/** The read side of the kind with key `K`. */
export type LiveResourceKindOf<K extends keyof DesiredByKind> = LiveResourceKind<
  DesiredByKind[K],
  LiveByKind[K],
  PlanTypesByKind[K]['kind'],
  PlanTypesByKind[K]['comparable']
>;

/**
 * The read side of every kind, keyed like {@link resourceKinds}. A mapped type, so that indexing it
 * with a generic key `K` gives {@link LiveResourceKindOf}`<K>` without a cast.
 */
export const liveResourceKinds: { [K in keyof DesiredByKind]: LiveResourceKindOf<K> } = {
  wrapUpCodes: wrapUpCodesLive,
  complianceRules: complianceRulesLive,
};
