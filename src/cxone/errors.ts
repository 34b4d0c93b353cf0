/**
 * Typed errors of the CXone client.
 *
 * Every error says what failed in words a user acts on: the request (method and path), the HTTP
 * status, the API's own error code and message, field errors, and a hint saying what to check.
 * Messages pass through {@link redact} when they are built, so a bearer token or client secret can
 * never travel inside an error, whatever the server echoed back.
 */
import { CxctlError, type ErrorSource } from '../errors.js';
import { redact } from '../secrets.js';
import type { FieldError } from './types.js';

/** What is known about the request that failed (also attached to successful results). */
export interface RequestMeta {
  /** HTTP method, e.g. `PUT`. */
  method: string;
  /** Route template, e.g. `PUT /wrap-up-codes/{id}`; stable across ids, used for metrics. */
  route: string;
  /** The concrete path that was requested (no query string, no host). */
  path: string;
  /** Final HTTP status; undefined when no response arrived (connection error, timeout). */
  status?: number;
  /** Attempts made, 1 when the first attempt settled it. */
  attempts: number;
  /**
   * Milliseconds spent on the server round trips of every attempt (sending to the end of the
   * response body); waits on cxctl's own limits and between retries are not in it.
   */
  latencyMs: number;
  /** Milliseconds spent waiting on cxctl's own concurrency and rate limits, over every attempt. */
  queuedMs: number;
  /** Milliseconds slept between attempts (backoff and Retry-After). */
  retryWaitMs: number;
  /** Bytes of the request body (0 for none). */
  requestBytes: number;
  /** The idempotency key sent, if any. */
  idempotencyKey?: string;
  /** True when the server answered with `Idempotent-Replayed: true`. */
  replayed?: boolean;
}

/** Details every {@link CxoneApiError} carries besides its message. */
export interface ApiErrorDetails {
  meta: RequestMeta;
  /** The API's error code from the body (`VALIDATION_FAILED`, `VERSION_MISMATCH`, ...). */
  apiCode?: string;
  /** The API's error message from the body. */
  apiMessage?: string;
  /** The body's `details`, as sent. */
  details?: unknown;
  /**
   * True when the write may have been applied although it failed (a retried write that ended in a
   * conflict or a lost connection): the caller must re-read the object and reconcile, never re-send
   * under a new idempotency key.
   */
  mayHaveApplied?: boolean;
  cause?: unknown;
  /** Why a retryable answer was not tried again (a Retry-After beyond the time left). */
  notRetried?: string;
  /** The whole one-line message, when the usual `METHOD path failed with ...` form does not fit. */
  headline?: string;
}

/** Base class of every failure talking to CXone (HTTP status or transport). */
export class CxoneApiError extends CxctlError {
  readonly meta: RequestMeta;
  readonly status: number | undefined;
  readonly apiCode: string | undefined;
  readonly apiMessage: string | undefined;
  readonly details: unknown;
  readonly mayHaveApplied: boolean;

  constructor(
    code: string,
    summary: string,
    hint: string,
    info: ApiErrorDetails,
    source: ErrorSource = 'user',
  ) {
    super(code, redact(info.headline ?? describeFailure(info, summary)), {
      hint: redact(hint),
      source,
      cause: info.cause,
    });
    this.name = new.target.name;
    this.meta = info.meta;
    this.status = info.meta.status;
    this.apiCode = info.apiCode;
    this.apiMessage = info.apiMessage === undefined ? undefined : redact(info.apiMessage);
    this.details = info.details;
    this.mayHaveApplied = info.mayHaveApplied ?? false;
  }
}

/** 400: the request was malformed (a bug in cxctl or an API change). */
export class BadRequestError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_BAD_REQUEST',
      'the API rejected the request as malformed',
      'this is likely a cxctl bug or an API change; re-run with --log-level debug and report it',
      info,
      'tool',
    );
  }
}

/** 401 after a fresh token, or a token endpoint that refuses the client credentials. */
export class AuthenticationError extends CxoneApiError {
  constructor(info: ApiErrorDetails, summary = 'CXone did not accept the credentials') {
    super(
      'API_UNAUTHORIZED',
      summary,
      'check CXONE_CLIENT_ID / CXONE_CLIENT_SECRET (or the profile in cxctl.yaml) and the token URL (CXONE_TOKEN_URL)',
      info,
    );
  }
}

/** 403: authenticated, but the API client lacks a scope or permission. */
export class PermissionError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_FORBIDDEN',
      'the API client is not allowed to do this',
      "check the API client's scopes and permissions in CXone (it needs read and write access to the configuration cxctl manages)",
      info,
    );
  }
}

/** 404: the object, campaign or route does not exist. */
export class NotFoundError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_NOT_FOUND',
      'not found',
      info.apiCode === 'ROUTE_NOT_FOUND'
        ? 'check the API base URL (CXONE_API_BASE or the profile in cxctl.yaml)'
        : 'the object may have been deleted since it was read; run cxctl plan again',
      info,
    );
  }
}

/** 409: a conflicting object exists, or the same idempotency key is still being processed. */
export class ConflictError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_CONFLICT',
      'conflict',
      info.apiCode === 'IDEMPOTENCY_KEY_IN_FLIGHT'
        ? 'an earlier attempt of this change is still being processed; run cxctl plan again in a moment to see whether it applied'
        : info.mayHaveApplied
          ? 'an earlier attempt of this write may already have applied it; run cxctl plan again to see the live state'
          : 'another object already holds this name, code or default; run cxctl plan again to see the live state',
      info,
    );
  }
}

/** 412: someone changed the object after it was read (its version moved). */
export class VersionMismatchError extends CxoneApiError {
  /** The live version the server reported, when it did. */
  readonly currentVersion: number | undefined;

  constructor(info: ApiErrorDetails) {
    super(
      'API_VERSION_MISMATCH',
      'the object was changed by someone else since it was read',
      'run cxctl plan again and review the new difference before applying',
      info,
    );
    const details = info.details as { currentVersion?: unknown } | undefined;
    this.currentVersion =
      typeof details?.currentVersion === 'number' ? details.currentVersion : undefined;
  }
}

/** 422: the API rejected fields of the request; {@link fieldErrors} says which. */
export class ValidationError extends CxoneApiError {
  readonly fieldErrors: FieldError[];

  constructor(info: ApiErrorDetails) {
    super(
      'API_VALIDATION_FAILED',
      'the API rejected the values',
      'fix the listed fields in the manifests (cxctl validate checks most of them offline)',
      info,
    );
    this.fieldErrors = fieldErrorsOf(info.details);
  }
}

/** 422 `IDEMPOTENCY_KEY_REUSED`: the same key was used for a different request body. */
export class IdempotencyKeyReusedError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_IDEMPOTENCY_KEY_REUSED',
      'the idempotency key was already used for a different request',
      'the live state changed under a saved plan; run cxctl plan again',
      info,
    );
  }
}

/** 429 after the retry budget: the tenant's rate limit. */
export class RateLimitedError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_RATE_LIMITED',
      'CXone kept answering "too many requests"',
      'lower --rate-limit (or rateLimit in the profile), or run again when the tenant is less busy',
      info,
      'tool',
    );
  }
}

/** 5xx after the retry budget. */
export class ServiceUnavailableError extends CxoneApiError {
  constructor(info: ApiErrorDetails) {
    super(
      'API_UNAVAILABLE',
      'CXone is unavailable',
      'try again later; re-running is safe, cxctl converges on the manifests',
      info,
      'tool',
    );
  }
}

/** No HTTP response at all: refused, reset or dropped connections, per-request timeouts. */
export class ConnectionError extends CxoneApiError {
  constructor(info: ApiErrorDetails, summary = 'could not reach CXone', hint?: string) {
    super(
      'API_CONNECTION',
      summary,
      hint ??
        (info.mayHaveApplied
          ? 'the write may have been applied before the connection failed; run cxctl plan again to see the live state'
          : 'check the network and the API base URL; re-running is safe, cxctl converges on the manifests'),
      info,
      'tool',
    );
  }
}

/** The whole-run deadline (`--timeout`) passed, or the run was cancelled. */
export class DeadlineExceededError extends CxoneApiError {
  constructor(info: ApiErrorDetails, summary: string) {
    super(
      'API_DEADLINE',
      summary,
      'raise --timeout, or raise --concurrency / --rate-limit if the tenant allows it',
      info,
      'user',
    );
  }
}

/**
 * A 2xx answer whose body is not what the route returns: not JSON, the wrong shape, too large, or
 * a listing that cannot be true. The message reads `GET <route> answered <status> with a body
 * that is not <what>`.
 */
export class MalformedResponseError extends CxoneApiError {
  /**
   * @param setting - the setting that chose the URL which answered: `CXONE_TOKEN_URL` for the
   *   token endpoint, else `CXONE_API_BASE`.
   */
  constructor(
    info: ApiErrorDetails,
    notWhat: string,
    setting: 'CXONE_API_BASE' | 'CXONE_TOKEN_URL' = 'CXONE_API_BASE',
  ) {
    super(
      'API_MALFORMED_RESPONSE',
      `the answer is not ${notWhat}`,
      `check ${setting} (or the profile in cxctl.yaml) points at the CXone ${setting === 'CXONE_TOKEN_URL' ? 'token endpoint' : 'API'} and that no proxy rewrites its answers; if it does, report it`,
      {
        ...info,
        headline: `${info.meta.route} answered ${info.meta.status ?? 'nothing'} with a body that is not ${notWhat}`,
      },
      'tool',
    );
  }
}

/** Any other unexpected status. */
export class UnexpectedResponseError extends CxoneApiError {
  constructor(info: ApiErrorDetails, summary = 'unexpected response') {
    super(
      'API_UNEXPECTED',
      summary,
      're-run with --log-level debug for details; if it persists, report it',
      info,
      'tool',
    );
  }
}

/** Pick the error class for a final HTTP status and body. */
export function errorForStatus(info: ApiErrorDetails): CxoneApiError {
  const status = info.meta.status ?? 0;
  if (info.apiCode === 'IDEMPOTENCY_KEY_REUSED') return new IdempotencyKeyReusedError(info);
  if (status === 400) return new BadRequestError(info);
  if (status === 401) return new AuthenticationError(info);
  if (status === 403) return new PermissionError(info);
  if (status === 404) return new NotFoundError(info);
  if (status === 409) return new ConflictError(info);
  if (status === 412) return new VersionMismatchError(info);
  if (status === 422) return new ValidationError(info);
  if (status === 429) return new RateLimitedError(info);
  if (status >= 500) return new ServiceUnavailableError(info);
  return new UnexpectedResponseError(info);
}

/** The `[{field, message}]` list of a 422 body's details, or `[]`. */
export function fieldErrorsOf(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  const result: FieldError[] = [];
  for (const item of details as unknown[]) {
    if (item && typeof item === 'object') {
      const { field, message } = item as { field?: unknown; message?: unknown };
      if (typeof field === 'string' && typeof message === 'string') {
        result.push({ field, message });
      }
    }
  }
  return result;
}

const MAX_FIELD_ERRORS_IN_MESSAGE = 5;

/**
 * `PUT /api/v2/.../wrap-up-codes/42 failed with 422 VALIDATION_FAILED: the API rejected the values:
 * duration must be <= 7200 (/duration)`: one line, everything a user needs to act.
 */
function describeFailure(info: ApiErrorDetails, summary: string): string {
  const { meta } = info;
  const status = meta.status === undefined ? '' : ` with ${meta.status}`;
  const code = info.apiCode ? ` ${info.apiCode}` : '';
  let text = `${meta.method} ${meta.path} failed${status}${code}: ${summary}`;
  if (info.apiMessage && info.apiMessage !== summary) text += ` (${info.apiMessage})`;
  const fields = fieldErrorsOf(info.details);
  if (fields.length > 0) {
    const shown = fields
      .slice(0, MAX_FIELD_ERRORS_IN_MESSAGE)
      .map((f) => `${f.field || '/'}: ${f.message}`);
    const more =
      fields.length > MAX_FIELD_ERRORS_IN_MESSAGE
        ? `; and ${fields.length - MAX_FIELD_ERRORS_IN_MESSAGE} more`
        : '';
    text += `: ${shown.join('; ')}${more}`;
  }
  if (meta.attempts > 1) text += ` after ${meta.attempts} attempts`;
  if (info.notRetried) text += `; ${info.notRetried}`;
  return text;
}
