/**
 * Wrap-up codes: paginated list, batch create with per-item results, and single GET/PUT/DELETE
 * with versions and `If-Match` (docs/cxone-api.md).
 */
import {
  MAX_BATCH_SIZE,
  type BatchCreateResult,
  type BatchItemError,
  type FieldError,
  type Page,
  type WrapUpCode,
  type WrapUpCodeFields,
} from '../../cxone/types.js';
import { apiError, etag, ifMatchAllows, json, type ApiResponse } from '../http.js';
import { checkWrapUpCodeBody } from '../rules.js';
import type { Store } from '../store.js';
import { isPageRequest, parsePaging } from './paging.js';
import type { ApiRequest, MethodSpec } from './types.js';
import { validationFailed } from './validation.js';

function notFound(id: string): ApiResponse {
  return apiError(404, 'NOT_FOUND', `wrap-up code ${id} does not exist`);
}

function versionMismatch(id: string, currentVersion: number): ApiResponse {
  return apiError(
    412,
    'VERSION_MISMATCH',
    `wrap-up code ${id} is at version ${currentVersion}, not the version in If-Match`,
    { currentVersion },
    { etag: etag(currentVersion) },
  );
}

function withEtag(status: number, code: WrapUpCode): ApiResponse {
  return json(status, code, { etag: etag(code.version) });
}

function list(request: ApiRequest, { store }: { store: Store }): ApiResponse {
  const paging = parsePaging(request.query);
  if (!isPageRequest(paging)) return paging;
  const { page, pageSize } = paging;
  const body: Page<WrapUpCode> = {
    items: store.codeSlice((page - 1) * pageSize, pageSize),
    page,
    pageSize,
    totalCount: store.codeCount(),
  };
  return json(200, body);
}

function createBatch(request: ApiRequest, { store }: { store: Store }): ApiResponse {
  const items = request.body;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_SIZE) {
    const got = Array.isArray(items) ? `${items.length} items` : `a JSON ${jsonKind(items)}`;
    return validationFailed(
      [
        {
          field: '',
          message: `must be an array of 1..${MAX_BATCH_SIZE} wrap-up codes (got ${got})`,
        },
      ],
      'the batch',
    );
  }
  // Schema first, for every item: a batch with any schema violation creates nothing.
  const errors: FieldError[] = [];
  const checked: (WrapUpCodeFields | undefined)[] = items.map((item, index) =>
    checkWrapUpCodeBody(item, `/${index}`, errors),
  );
  if (errors.length === 0) repeatedCodes(checked as WrapUpCodeFields[], errors);
  if (errors.length > 0) return validationFailed(errors, 'the batch');
  const result: BatchCreateResult = { ids: [], errors: [] };
  checked.forEach((fields, index) => {
    const outcome = store.createCode(fields!);
    if (outcome.ok) {
      result.ids.push(outcome.value.id);
    } else {
      result.ids.push(null);
      const error: BatchItemError = {
        index,
        code: outcome.conflict.code,
        message: outcome.conflict.message,
      };
      result.errors.push(error);
    }
  });
  return json(200, result);
}

/**
 * A code twice in one batch is a malformed batch, not a per-item conflict: which of the two would
 * win is undefined, so the whole batch is refused and nothing is created.
 */
function repeatedCodes(items: readonly WrapUpCodeFields[], errors: FieldError[]): void {
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const first = firstIndex.get(item.code);
    if (first === undefined) firstIndex.set(item.code, index);
    else
      errors.push({ field: `/${index}/code`, message: `code ${item.code} is also item ${first}` });
  });
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function getOne(request: ApiRequest, { store }: { store: Store }): ApiResponse {
  const id = request.params.id!;
  const code = store.getCode(id);
  return code ? withEtag(200, code) : notFound(id);
}

function replace(request: ApiRequest, { store }: { store: Store }): ApiResponse {
  const id = request.params.id!;
  const current = store.getCode(id);
  if (!current) return notFound(id);
  if (!ifMatchAllows(request.headers['if-match'], current.version)) {
    return versionMismatch(id, current.version);
  }
  const errors: FieldError[] = [];
  const fields = checkWrapUpCodeBody(request.body, '', errors);
  if (!fields) return validationFailed(errors, `wrap-up code ${id}`);
  const outcome = store.replaceCode(id, fields);
  if (outcome.ok) return withEtag(200, outcome.value);
  const { conflict } = outcome;
  if (conflict.code === 'CATEGORY_NOT_FOUND') {
    return validationFailed(
      [{ field: conflict.field, message: conflict.message }],
      `wrap-up code ${id}`,
    );
  }
  return apiError(409, conflict.code, conflict.message);
}

function remove(request: ApiRequest, { store }: { store: Store }): ApiResponse {
  const id = request.params.id!;
  const current = store.getCode(id);
  if (!current) return notFound(id);
  if (!ifMatchAllows(request.headers['if-match'], current.version)) {
    return versionMismatch(id, current.version);
  }
  store.deleteCode(id);
  return { status: 204 };
}

/** `/wrap-up-codes`. */
export const wrapUpCodeCollectionMethods: Record<string, MethodSpec> = {
  GET: { handle: list, auth: true, body: 'none' },
  POST: { handle: createBatch, auth: true, body: 'json' },
};

/** `/wrap-up-codes/{id}`. */
export const wrapUpCodeItemMethods: Record<string, MethodSpec> = {
  GET: { handle: getOne, auth: true, body: 'none' },
  PUT: { handle: replace, auth: true, body: 'json' },
  DELETE: { handle: remove, auth: true, body: 'none' },
};
