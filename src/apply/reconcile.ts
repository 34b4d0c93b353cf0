/**
 * When a write's outcome is unclear, or it was refused for a reason that may be our own earlier
 * attempt, apply re-reads the object and compares it with what the write wanted, instead of
 * re-sending under a new idempotency key (docs/apply.md, "Reconciliation"). This module says
 * which failures call for that, and words the outcome.
 */
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  CxoneApiError,
  DeadlineExceededError,
  RateLimitedError,
  ServiceUnavailableError,
  VersionMismatchError,
} from '../cxone/errors.js';
import { redact } from '../secrets.js';

/**
 * True when a failed write may have been applied after all (by this attempt or an earlier run of
 * the same plan), or was refused because the object is already there: a 409 (existing object,
 * taken default, key in flight, or a retried write), a 412, no response, or a 5xx/429 after the
 * retry budget. A fresh read decides.
 */
export function needsReconcile(error: unknown): boolean {
  if (!(error instanceof CxoneApiError)) return false;
  return (
    error.mayHaveApplied ||
    error instanceof ConflictError ||
    error instanceof VersionMismatchError ||
    error instanceof ConnectionError ||
    error instanceof ServiceUnavailableError ||
    error instanceof RateLimitedError
  );
}

/** True for failures after which no further request can succeed in this run. */
export function stopsTheRun(error: unknown): boolean {
  return error instanceof AuthenticationError || error instanceof DeadlineExceededError;
}

/** The stable code of a failure: the API's own code when it gave one. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof VersionMismatchError) return 'VERSION_MISMATCH';
  if (error instanceof CxoneApiError) return error.apiCode ?? error.code;
  return 'INTERNAL_ERROR';
}

/** One sentence about a failure, without the request line the client puts first. */
export function reasonOf(error: unknown): string {
  if (error instanceof CxoneApiError) {
    // "PUT /path failed with 422 VALIDATION_FAILED: the API rejected ..." -> keep the status and after.
    const text = error.message.replace(/^[A-Z]+ \S+ failed /, '');
    // A stored refusal replayed for this plan's key: say so, or it reads like a fresh answer.
    const replayed = error.meta.replayed
      ? ' (the server replayed its stored answer to an earlier run of this plan; plan again once the cause is fixed)'
      : '';
    return redact(text + replayed);
  }
  return redact(error instanceof Error ? error.message : String(error));
}
