/**
 * The writers of every kind. Adding a kind = one file in this folder + one line here.
 */
import type { KindName } from '../../plan/types.js';
import { complianceRuleWriter } from './complianceRules.js';
import type { KindWriter } from './types.js';
import { wrapUpCodeWriter } from './wrapUpCodes.js';

export type { KindWriter, LiveObject, CreateItem, CreateItemResult } from './types.js';

/** The writer of each kind. */
export const kindWriters: Record<KindName, KindWriter> = {
  wrapUpCode: wrapUpCodeWriter,
  complianceRule: complianceRuleWriter,
};
