/**
 * The retry policy: which failures are worth another attempt, whether a request may be repeated
 * at all, and how long to wait (exponential backoff with full jitter, or the server's Retry-After).
 * Pure functions; the transport in http.ts applies them.
 */

/** Bounds on retrying one request. */
export interface RetryPolicy {
  /** Attempts in total, the first included (default 5). */
  maxAttempts: number;
  /** First backoff ceiling in ms; doubles per attempt (default 250). */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms (default 8,000). Retry-After may ask for longer. */
  maxDelayMs: number;
  /** No retry starts later than this many ms after the first attempt (default 60,000). */
  maxTotalMs: number;
}

/** The defaults documented in docs/client.md. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxTotalMs: 60_000,
};

/** HTTP statuses that say "try again later" without saying the request failed for good. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** True when a response with this status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Error codes of Node and undici that mean the connection failed, not the request. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The error code of `error` or of any error in its cause chain, if one is a connection failure. */
export function connectionErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What makes a request safe to send twice. */
export interface RepeatSafety {
  method: string;
  idempotencyKey?: string;
  ifMatch?: string;
}

/**
 * True when sending the request again cannot apply it twice: reads always; a write only when it
 * carries an idempotency key (the server replays the first outcome), or is a PUT/DELETE guarded by
 * If-Match (a second apply fails with 412 instead of applying twice).
 */
export function isSafeToRepeat(request: RepeatSafety): boolean {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  if (request.idempotencyKey !== undefined && request.idempotencyKey !== '') return true;
  return (method === 'PUT' || method === 'DELETE') && request.ifMatch !== undefined;
}

/**
 * Milliseconds to wait according to a `Retry-After` value: delta-seconds or an HTTP-date
 * (RFC 9110 10.2.3). Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms): a month name and a time.
  // Anything else (`-1`, `soon`) is ignored rather than handed to Date.parse's lenient guessing.
  if (!/[A-Za-z]{3}/.test(text) || !/\d{1,2}:\d{2}:\d{2}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Backoff before attempt `attempt + 1` after `attempt` failed (1-based): "full jitter", a uniform
 * random delay between 0 and min(maxDelay, base * 2^(attempt-1)), which spreads retrying callers
 * out instead of having them return in lockstep.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The delay before the next attempt: the server's Retry-After when it gave one (plus up to 10% or
 * 250 ms of jitter so that many waiting callers do not return at the same instant), else backoff.
 */
export function nextDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) {
    return retryAfterMs + Math.floor(random() * Math.min(250, retryAfterMs * 0.1 + 1));
  }
  return backoffDelay(attempt, policy, random);
}
