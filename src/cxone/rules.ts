/**
 * Compliance rules of a campaign: `/api/v2/campaigns/{campaignId}/rules`.
 */
import {
  writeOptions,
  withSignal,
  type ReadOptions,
  type VersionedWriteOptions,
  type WriteOptions,
  type WriteResult,
} from './endpoint.js';
import type { HttpTransport } from './http.js';
import { listAllPages } from './pagination.js';
import { SHAPES } from './shapes.js';
import {
  API_PATHS,
  MAX_PAGE_SIZE,
  type ComplianceRule,
  type ComplianceRuleFields,
  type NewComplianceRule,
  type Page,
} from './types.js';

const ROUTE = '/api/v2/campaigns/{campaignId}/rules';

/** Operations on the compliance rules of campaigns. */
export interface RulesApi {
  /** Every rule of the campaign (first page, then the rest concurrently). */
  list(campaignId: string, options?: ReadOptions): Promise<ComplianceRule[]>;
  listPage(
    campaignId: string,
    page: number,
    pageSize?: number,
    options?: ReadOptions,
  ): Promise<Page<ComplianceRule>>;
  get(campaignId: string, ruleId: string, options?: ReadOptions): Promise<ComplianceRule>;
  /**
   * Create a rule (201), under the id in `fields.id` when given (a UUID). A name or id taken in the
   * campaign is a 409; schema violations are a 422.
   */
  create(
    campaignId: string,
    fields: NewComplianceRule,
    options?: WriteOptions,
  ): Promise<WriteResult<ComplianceRule>>;
  /** Replace the rule's writable fields, if it is still at `version`. */
  update(
    campaignId: string,
    ruleId: string,
    fields: ComplianceRuleFields,
    options: VersionedWriteOptions,
  ): Promise<WriteResult<ComplianceRule>>;
  /** Delete the rule, if it is still at `version`. */
  delete(
    campaignId: string,
    ruleId: string,
    options: VersionedWriteOptions,
  ): Promise<WriteResult<void>>;
}

/** The writable fields only (a live rule may be passed; id, version and campaignId are dropped). */
export function ruleBody(fields: ComplianceRuleFields): ComplianceRuleFields {
  const body: ComplianceRuleFields = {
    name: fields.name,
    type: fields.type,
    jurisdiction: fields.jurisdiction,
    timeZoneRestrictions: fields.timeZoneRestrictions.map((r) => {
      const { timeZone, startHour, endHour, start, end, days, closed } = r;
      return {
        timeZone,
        ...(days === undefined ? {} : { days: [...days] }),
        ...(closed === undefined ? {} : { closed }),
        ...(startHour === undefined ? {} : { startHour }),
        ...(endHour === undefined ? {} : { endHour }),
        ...(start === undefined ? {} : { start }),
        ...(end === undefined ? {} : { end }),
      };
    }),
    dncListIds: [...fields.dncListIds],
    maxCallsPerDay: fields.maxCallsPerDay,
    concurrencyLimit: fields.concurrencyLimit,
    geographicExclusions: (fields.geographicExclusions ?? []).map((g) => ({
      latitude: g.latitude,
      longitude: g.longitude,
      radiusKm: g.radiusKm,
    })),
  };
  // The optional calling-rule fields travel only when set, so rules without them read as before.
  if (fields.holidays !== undefined) body.holidays = structuredClone(fields.holidays);
  if (fields.callCounting !== undefined) body.callCounting = fields.callCounting;
  if (fields.minMinutesBetweenCalls !== undefined) {
    body.minMinutesBetweenCalls = fields.minMinutesBetweenCalls;
  }
  if (fields.stateRules !== undefined) body.stateRules = structuredClone(fields.stateRules);
  return body;
}

/** Rule operations over `http`. */
export function rulesApi(http: HttpTransport, pageSize = MAX_PAGE_SIZE): RulesApi {
  const collection = (campaignId: string): string => API_PATHS.campaignRules(campaignId);
  const item = (campaignId: string, ruleId: string): string =>
    `${collection(campaignId)}/${encodeURIComponent(ruleId)}`;
  const api: RulesApi = {
    async listPage(campaignId, page, size = pageSize, options) {
      const response = await http.request<Page<ComplianceRule>>({
        method: 'GET',
        path: collection(campaignId),
        route: `GET ${ROUTE}`,
        query: { page, pageSize: size },
        expect: SHAPES.rulePage,
        ...withSignal(options?.signal),
      });
      return response.body;
    },
    list(campaignId, options) {
      return listAllPages(
        (page, size, signal) => api.listPage(campaignId, page, size, withSignal(signal)),
        pageSize,
        options?.signal,
        undefined,
        `GET ${ROUTE}`,
      );
    },
    async get(campaignId, ruleId, options) {
      const response = await http.request<ComplianceRule>({
        method: 'GET',
        path: item(campaignId, ruleId),
        route: `GET ${ROUTE}/{ruleId}`,
        expect: SHAPES.rule,
        ...withSignal(options?.signal),
      });
      return response.body;
    },
    async create(campaignId, fields, options) {
      const response = await http.request<ComplianceRule>({
        method: 'POST',
        path: collection(campaignId),
        route: `POST ${ROUTE}`,
        body: fields.id === undefined ? ruleBody(fields) : { id: fields.id, ...ruleBody(fields) },
        ...writeOptions(options),
      });
      return { value: response.body, meta: response.meta };
    },
    async update(campaignId, ruleId, fields, options) {
      const response = await http.request<ComplianceRule>({
        method: 'PUT',
        path: item(campaignId, ruleId),
        route: `PUT ${ROUTE}/{ruleId}`,
        body: ruleBody(fields),
        ifMatch: options.version,
        ...writeOptions(options),
      });
      return { value: response.body, meta: response.meta };
    },
    async delete(campaignId, ruleId, options) {
      const response = await http.request({
        method: 'DELETE',
        path: item(campaignId, ruleId),
        route: `DELETE ${ROUTE}/{ruleId}`,
        ifMatch: options.version,
        ...writeOptions(options),
      });
      return { value: undefined, meta: response.meta };
    },
  };
  return api;
}
