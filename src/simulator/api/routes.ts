/** Every API route the simulator serves, by template (the request log's labels). */
import { API_PATHS } from '../../cxone/types.js';
import type { Route } from '../router.js';
import { campaignMethods, categoryMethods, dncListMethods } from './catalog.js';
import { ruleCollectionMethods, ruleItemMethods } from './complianceRules.js';
import { tokenMethods } from './token.js';
import type { MethodSpec } from './types.js';
import { wrapUpCodeCollectionMethods, wrapUpCodeItemMethods } from './wrapUpCodes.js';

/** The API routes (the control API under `/__sim/` is separate). */
export const API_ROUTES: readonly Route<MethodSpec>[] = [
  ...API_PATHS.tokenPaths.map((template) => ({ template, methods: tokenMethods })),
  { template: API_PATHS.wrapUpCodes, methods: wrapUpCodeCollectionMethods },
  { template: `${API_PATHS.wrapUpCodes}/{id}`, methods: wrapUpCodeItemMethods },
  { template: API_PATHS.categories, methods: categoryMethods },
  { template: API_PATHS.campaigns, methods: campaignMethods },
  { template: `${API_PATHS.campaigns}/{campaignId}/rules`, methods: ruleCollectionMethods },
  { template: `${API_PATHS.campaigns}/{campaignId}/rules/{ruleId}`, methods: ruleItemMethods },
  { template: API_PATHS.dncLists, methods: dncListMethods },
];
