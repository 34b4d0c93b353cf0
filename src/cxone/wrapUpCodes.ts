/**
 * Wrap-up (disposition) codes: `/api/v2/contact-center/interaction-config/wrap-up-codes`.
 */
import {
  writeOptions,
  withSignal,
  type ListOptions,
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
  MAX_BATCH_SIZE,
  MAX_PAGE_SIZE,
  type BatchCreateResult,
  type Page,
  type WrapUpCode,
  type WrapUpCodeFields,
} from './types.js';

const BASE = API_PATHS.wrapUpCodes;

/** Operations on wrap-up codes. */
export interface WrapUpCodesApi {
  /**
   * Every code of the tenant, in creation order (first page, then the rest concurrently);
   * `onPage` hears of each page as it arrives.
   */
  list(options?: ListOptions<WrapUpCode>): Promise<WrapUpCode[]>;
  /** One page (1-based). */
  listPage(page: number, pageSize?: number, options?: ReadOptions): Promise<Page<WrapUpCode>>;
  get(id: string, options?: ReadOptions): Promise<WrapUpCode>;
  /**
   * Create 1..100 codes in one request. Per-item failures (existing code, unknown category, second
   * default) come back in `errors` with a null id; a schema violation rejects the whole batch (422).
   */
  createBatch(
    codes: readonly WrapUpCodeFields[],
    options?: WriteOptions,
  ): Promise<WriteResult<BatchCreateResult>>;
  /** Replace the writable fields of code `id`, if it is still at `version`. */
  update(
    id: string,
    fields: WrapUpCodeFields,
    options: VersionedWriteOptions,
  ): Promise<WriteResult<WrapUpCode>>;
  /** Delete code `id`, if it is still at `version`. */
  delete(id: string, options: VersionedWriteOptions): Promise<WriteResult<void>>;
}

/** The writable fields only (a live object may be passed; id and version are dropped). */
export function wrapUpCodeBody(fields: WrapUpCodeFields): WrapUpCodeFields {
  const body: WrapUpCodeFields = {
    code: fields.code,
    name: fields.name,
    category: fields.category,
    duration: fields.duration,
    isActive: fields.isActive,
    isDefault: fields.isDefault,
  };
  if (fields.description !== undefined) body.description = fields.description;
  return body;
}

/** Wrap-up code operations over `http`. */
export function wrapUpCodesApi(http: HttpTransport, pageSize = MAX_PAGE_SIZE): WrapUpCodesApi {
  const itemPath = (id: string): string => `${BASE}/${encodeURIComponent(id)}`;
  const api: WrapUpCodesApi = {
    async listPage(page, size = pageSize, options) {
      const response = await http.request<Page<WrapUpCode>>({
        method: 'GET',
        path: BASE,
        route: `GET ${BASE}`,
        query: { page, pageSize: size },
        expect: SHAPES.wrapUpCodePage,
        ...withSignal(options?.signal),
      });
      return response.body;
    },
    list(options) {
      return listAllPages(
        (page, size, signal) => api.listPage(page, size, withSignal(signal)),
        pageSize,
        options?.signal,
        options?.onPage,
        `GET ${BASE}`,
      );
    },
    async get(id, options) {
      const response = await http.request<WrapUpCode>({
        method: 'GET',
        path: itemPath(id),
        route: `GET ${BASE}/{id}`,
        expect: SHAPES.wrapUpCode,
        ...withSignal(options?.signal),
      });
      return response.body;
    },
    async createBatch(codes, options) {
      if (codes.length < 1 || codes.length > MAX_BATCH_SIZE) {
        throw new RangeError(`a batch holds 1..${MAX_BATCH_SIZE} codes, got ${codes.length}`);
      }
      const response = await http.request<BatchCreateResult>({
        method: 'POST',
        path: BASE,
        route: `POST ${BASE}`,
        body: codes.map(wrapUpCodeBody),
        expect: SHAPES.batchCreate,
        ...writeOptions(options),
      });
      return { value: response.body, meta: response.meta };
    },
    async update(id, fields, options) {
      const response = await http.request<WrapUpCode>({
        method: 'PUT',
        path: itemPath(id),
        route: `PUT ${BASE}/{id}`,
        body: wrapUpCodeBody(fields),
        ifMatch: options.version,
        ...writeOptions(options),
      });
      return { value: response.body, meta: response.meta };
    },
    async delete(id, options) {
      const response = await http.request({
        method: 'DELETE',
        path: itemPath(id),
        route: `DELETE ${BASE}/{id}`,
        ifMatch: options.version,
        ...writeOptions(options),
      });
      return { value: undefined, meta: response.meta };
    },
  };
  return api;
}
