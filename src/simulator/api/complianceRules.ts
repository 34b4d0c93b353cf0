/**
 * Campaign compliance rules: `/api/v2/campaigns/{campaignId}/rules[/{ruleId}]` with the server
 * rules of docs/cxone-api.md (422 field errors, 409 on a taken name or id, versions, If-Match).
 * A create may carry the id the client chose for the rule: it must be a UUID, and is stored in
 * lower case (UUIDs compare without case), so a retried create finds the rule it made.
 */
import { API_PATHS, type ComplianceRule, type FieldError, type Page } from '../../cxone/types.js';
import { apiError, etag, ifMatchAllows, json, type ApiResponse } from '../http.js';
import { checkRuleBody } from '../rules.js';
import { isPageRequest, parsePaging } from './paging.js';
import type { ApiRequest, HandlerServices, MethodSpec } from './types.js';
import { validationFailed } from './validation.js';

type Handler = (request: ApiRequest, services: HandlerServices) => ApiResponse;

/** Answer 404 CAMPAIGN_NOT_FOUND before anything else when the campaign does not exist. */
function inCampaign(handler: Handler): Handler {
  return (request, services) => {
    const campaignId = request.params.campaignId!;
    if (!services.store.hasCampaign(campaignId)) {
      return apiError(404, 'CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
    }
    return handler(request, services);
  };
}

function notFound(campaignId: string, ruleId: string): ApiResponse {
  return apiError(404, 'NOT_FOUND', `campaign ${campaignId} has no compliance rule ${ruleId}`);
}

function versionMismatch(ruleId: string, currentVersion: number): ApiResponse {
  return apiError(
    412,
    'VERSION_MISMATCH',
    `compliance rule ${ruleId} is at version ${currentVersion}, not the version in If-Match`,
    { currentVersion },
    { etag: etag(currentVersion) },
  );
}

function withEtag(status: number, rule: ComplianceRule, extra?: Record<string, string>) {
  return json(status, rule, { etag: etag(rule.version), ...extra });
}

const list: Handler = (request, { store }) => {
  const paging = parsePaging(request.query);
  if (!isPageRequest(paging)) return paging;
  const { page, pageSize } = paging;
  const all = store.listRules(request.params.campaignId!);
  const body: Page<ComplianceRule> = {
    items: all.slice((page - 1) * pageSize, page * pageSize),
    page,
    pageSize,
    totalCount: all.length,
  };
  return json(200, body);
};

const create: Handler = (request, { store }) => {
  const campaignId = request.params.campaignId!;
  const errors: FieldError[] = [];
  const checked = checkRuleBody(
    request.body,
    { dncLists: store.dncListsById(), campaignId, chosenId: true },
    errors,
  );
  if (!checked) return validationFailed(errors, 'the compliance rule');
  const outcome = store.createRule(campaignId, checked.fields, checked.id?.toLowerCase());
  if (!outcome.ok) return apiError(409, outcome.conflict.code, outcome.conflict.message);
  const rule = outcome.value;
  return withEtag(201, rule, {
    location: `${API_PATHS.campaignRules(campaignId)}/${encodeURIComponent(rule.id)}`,
  });
};

const getOne: Handler = (request, { store }) => {
  const { campaignId, ruleId } = request.params as { campaignId: string; ruleId: string };
  const rule = store.getRule(campaignId, ruleId);
  return rule ? withEtag(200, rule) : notFound(campaignId, ruleId);
};

const replace: Handler = (request, { store }) => {
  const { campaignId, ruleId } = request.params as { campaignId: string; ruleId: string };
  const current = store.getRule(campaignId, ruleId);
  if (!current) return notFound(campaignId, ruleId);
  if (!ifMatchAllows(request.headers['if-match'], current.version)) {
    return versionMismatch(ruleId, current.version);
  }
  const errors: FieldError[] = [];
  const checked = checkRuleBody(
    request.body,
    { dncLists: store.dncListsById(), campaignId },
    errors,
  );
  if (checked?.id !== undefined && checked.id !== ruleId) {
    errors.push({ field: '/id', message: `must be "${ruleId}", the rule of the path` });
  }
  if (!checked || errors.length > 0) return validationFailed(errors, `compliance rule ${ruleId}`);
  const outcome = store.replaceRule(campaignId, ruleId, checked.fields);
  if (!outcome.ok) return apiError(409, outcome.conflict.code, outcome.conflict.message);
  return withEtag(200, outcome.value);
};

const remove: Handler = (request, { store }) => {
  const { campaignId, ruleId } = request.params as { campaignId: string; ruleId: string };
  const current = store.getRule(campaignId, ruleId);
  if (!current) return notFound(campaignId, ruleId);
  if (!ifMatchAllows(request.headers['if-match'], current.version)) {
    return versionMismatch(ruleId, current.version);
  }
  store.deleteRule(campaignId, ruleId);
  return { status: 204 };
};

/** `/api/v2/campaigns/{campaignId}/rules`. */
export const ruleCollectionMethods: Record<string, MethodSpec> = {
  GET: { handle: inCampaign(list), auth: true, body: 'none' },
  POST: { handle: inCampaign(create), auth: true, body: 'json' },
};

/** `/api/v2/campaigns/{campaignId}/rules/{ruleId}`. */
export const ruleItemMethods: Record<string, MethodSpec> = {
  GET: { handle: inCampaign(getOne), auth: true, body: 'none' },
  PUT: { handle: inCampaign(replace), auth: true, body: 'json' },
  DELETE: { handle: inCampaign(remove), auth: true, body: 'none' },
};
