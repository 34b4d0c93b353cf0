/**
 * The simulator's state as JSON (SIMULATOR.md): the shape of `--seed`, `--state`,
 * `GET/PUT /__sim/state` and {@link RunningSimulator.state}.
 */
import type {
  Campaign,
  Category,
  ComplianceRule,
  ComplianceRuleFields,
  DncList,
  WrapUpCode,
  WrapUpCodeFields,
} from '../cxone/types.js';

/** Everything the simulated tenant holds. Lists are in creation order. */
export interface SimulatorState {
  categories: Category[];
  campaigns: Campaign[];
  dncLists: DncList[];
  wrapUpCodes: WrapUpCode[];
  complianceRules: ComplianceRule[];
}

/**
 * A seed: like {@link SimulatorState}, but ids and versions may be omitted (the simulator assigns
 * them), optional fields may be left out, and every list may be missing (empty).
 */
export interface SimulatorSeed {
  categories?: (Omit<Category, 'id'> & { id?: string })[];
  campaigns?: (Omit<Campaign, 'id'> & { id?: string })[];
  dncLists?: (Omit<DncList, 'id' | 'active'> & { id?: string; active?: boolean })[];
  wrapUpCodes?: (Omit<WrapUpCodeFields, 'isActive' | 'isDefault'> & {
    id?: string;
    version?: number;
    isActive?: boolean;
    isDefault?: boolean;
  })[];
  complianceRules?: (Omit<ComplianceRuleFields, 'geographicExclusions'> & {
    id?: string;
    version?: number;
    /** Id of the rule's campaign (a campaign name is accepted too, for hand-written seeds). */
    campaignId: string;
    geographicExclusions?: ComplianceRuleFields['geographicExclusions'];
  })[];
}

/** A deep copy of JSON data, so callers never share objects with the store. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
