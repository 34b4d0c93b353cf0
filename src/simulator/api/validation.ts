/** The 422 every schema violation gets (docs/cxone-api.md). */
import type { FieldError } from '../../cxone/types.js';
import { apiError, type ApiResponse } from '../http.js';

/** `422 VALIDATION_FAILED` listing every field error. */
export function validationFailed(errors: readonly FieldError[], what: string): ApiResponse {
  const first = errors[0];
  const summary = first ? `${first.field || '(body)'} ${first.message}` : 'invalid body';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return apiError(422, 'VALIDATION_FAILED', `${what} failed validation: ${summary}${more}`, [
    ...errors,
  ]);
}
