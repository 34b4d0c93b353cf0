/** Query parsing for the paginated lists (`?page=1&pageSize=100`). */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type FieldError } from '../../cxone/types.js';
import { apiError, type ApiResponse } from '../http.js';

/** A valid page request. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

const MAX_PAGE = 1_000_000_000;

function positiveInteger(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
  errors: FieldError[],
): number {
  const values = query.getAll(name);
  if (values.length === 0) return fallback;
  if (values.length > 1) {
    errors.push({ field: name, message: 'must be given at most once' });
    return fallback;
  }
  const raw = values[0]!;
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > max) {
    errors.push({ field: name, message: `must be an integer 1..${max} (got "${raw}")` });
    return fallback;
  }
  return Number(raw);
}

/** `page` (1-based, default 1) and `pageSize` (1..500, default 100), or a 400 INVALID_QUERY. */
export function parsePaging(query: URLSearchParams): PageRequest | ApiResponse {
  const errors: FieldError[] = [];
  const page = positiveInteger(query, 'page', 1, MAX_PAGE, errors);
  const pageSize = positiveInteger(query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, errors);
  if (errors.length > 0) {
    return apiError(
      400,
      'INVALID_QUERY',
      errors.map((e) => `${e.field} ${e.message}`).join('; '),
      errors,
    );
  }
  return { page, pageSize };
}

/** True when `value` is a parsed page request rather than an error response. */
export function isPageRequest(value: PageRequest | ApiResponse): value is PageRequest {
  return 'pageSize' in value;
}
