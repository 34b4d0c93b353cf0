/**
 * The writers of every kind. Adding a kind = one file in this folder + one line here.
 */
import { complianceRuleWriter } from './complianceRules.js';
import type { KindWriters } from './types.js';
import { wrapUpCodeWriter } from './wrapUpCodes.js';

export type { KindWriter, KindWriters, LiveObject, CreateItem, CreateItemResult } from './types.js';

/** The writer of each kind: the writer under a kind's name is that kind's writer. */
export const kindWriters: KindWriters = {
  wrapUpCode: wrapUpCodeWriter,
  complianceRule: complianceRuleWriter,
};
