/**
 * The transport: every request to one CXone target goes through one {@link HttpTransport}.
 *
 * It owns the undici keep-alive connection pool, the shared concurrency and rate limits, bearer
 * tokens (one retry after a 401 with a fresh token), per-attempt timeouts, the whole-run deadline,
 * and the retry loop. The decisions of that loop live in retry.ts; docs/client.md explains them.
 *
 * Order for each attempt: get a token (may wait for the one in-flight refresh), take a concurrency
 * slot, take a rate token, send. Taking the rate token last means requests leave at the pace the
 * bucket grants them, so the server sees no more than `burst + rate * t` requests in any interval.
 * The slot is given back during backoff so other requests keep moving.
 */
import { Agent, type Dispatcher } from 'undici';
import { redact } from '../secrets.js';
import { silentLogger, type Logger } from '../util/log.js';
import { abortReason, anySignal, sleep } from './abort.js';
import type { TokenManager } from './auth.js';
import { ConcurrencyLimiter } from './concurrency.js';
import {
  ConflictError,
  ConnectionError,
  CxoneApiError,
  DeadlineExceededError,
  errorForStatus,
  type ApiErrorDetails,
  type RequestMeta,
} from './errors.js';
import type { ClientEventListener } from './events.js';
import { RateLimiter } from './rateLimiter.js';
import {
  DEFAULT_RETRY_POLICY,
  connectionErrorCode,
  isRetryableStatus,
  isSafeToRepeat,
  nextDelay,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One logical API request (it may take several attempts). */
export interface ApiRequest {
  method: HttpMethod;
  /** Path below the API base (`/api/v2/...`), or an absolute URL when {@link absolute} is set. */
  path: string;
  /** Route template for metrics and errors, e.g. `GET /api/v2/campaigns/{campaignId}/rules`. */
  route: string;
  query?: Record<string, string | number>;
  /** JSON body. */
  body?: unknown;
  /** A pre-encoded body with its content type (token requests). */
  rawBody?: { text: string; contentType: string };
  headers?: Record<string, string>;
  /** Sent as `X-Idempotency-Key`; makes a write safe to retry. */
  idempotencyKey?: string;
  /** The object's version, sent as `If-Match: "<version>"`. */
  ifMatch?: number | string;
  /** Cancels this request only. */
  signal?: AbortSignal;
  /** Send a bearer token (default true). */
  auth?: boolean;
  /** Subject to the concurrency and rate limits (default true). */
  limited?: boolean;
  /** Treat as safe to repeat whatever the method (token requests have no side effect). */
  repeatable?: boolean;
  /** `token` for token requests, so metrics can tell them from API calls (default `api`). */
  purpose?: 'api' | 'token';
  /** `path` is an absolute URL (the token URL may live on another host). */
  absolute?: boolean;
}

/** A final response. `body` is parsed JSON when the server sent JSON, else the text (or undefined). */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  meta: RequestMeta;
}

/** Options of {@link HttpTransport}. */
export interface TransportOptions {
  /** API base URL, e.g. `https://acme.api.cxone.com` (a path prefix is kept). */
  apiBase: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Requests per second (default 10). */
  rateLimit?: number;
  /** Rate-limit bucket size (default: see rateLimiter.ts). */
  burst?: number;
  retry?: Partial<RetryPolicy>;
  /** Milliseconds one attempt may take, headers and body (default 30,000). */
  requestTimeoutMs?: number;
  /** Aborts everything: the whole-run deadline or a user cancel. */
  signal?: AbortSignal;
  /** How the run signal is described when it fires (e.g. `the run exceeded --timeout 120 s`). */
  deadlineDescription?: string;
  /** `User-Agent` header. */
  userAgent?: string;
  logger?: Logger;
  emit?: ClientEventListener;
  /** Randomness for jitter (tests). */
  random?: () => number;
  /** A dispatcher to use instead of the transport's own keep-alive agent. */
  dispatcher?: Dispatcher;
}

/** Default requests per second. */
export const DEFAULT_RATE_LIMIT = 10;
/** Default per-attempt timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface AttemptOutcome {
  status?: number;
  headers?: Record<string, string>;
  text?: string;
  error?: unknown;
  errorCode?: string;
  /** True when the failure is a connection problem or a timeout (worth another attempt). */
  transient?: boolean;
  /** True when the run signal (not the attempt timeout) ended the attempt. */
  cancelled?: boolean;
}

/** Sends requests to one target within shared limits, with retries and token handling. */
export class HttpTransport {
  readonly concurrency: ConcurrencyLimiter;
  readonly rateLimiter: RateLimiter;
  readonly retryPolicy: RetryPolicy;
  private readonly base: URL;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly requestTimeoutMs: number;
  private readonly logger: Logger;
  private readonly random: () => number;
  private auth: TokenManager | undefined;
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    this.base = new URL(options.apiBase);
    this.concurrency = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.rateLimiter = new RateLimiter({
      ratePerSecond: options.rateLimit ?? DEFAULT_RATE_LIMIT,
      ...(options.burst !== undefined ? { burst: options.burst } : {}),
    });
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 60_000,
        // One socket per concurrent request, plus room for the token request.
        connections: this.concurrency.limit + 2,
        connect: { timeout: Math.min(10_000, this.requestTimeoutMs) },
      });
  }

  /** Attach the token manager that supplies bearer tokens (created after the transport). */
  setAuth(auth: TokenManager): void {
    this.auth = auth;
  }

  /** Send `request`; resolve with a 2xx response or reject with a typed {@link CxoneApiError}. */
  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
    let response: ApiResponse;
    try {
      response = await this.execute(request);
    } catch (error: unknown) {
      if (error instanceof CxoneApiError) this.emitRequest(false, error.meta, error);
      throw error;
    }
    if (response.status >= 200 && response.status < 300) {
      this.emitRequest(true, response.meta);
      return response as ApiResponse<T>;
    }
    const error = this.errorFor(request, response);
    this.emitRequest(false, response.meta, error);
    throw error;
  }

  /**
   * Send `request` with limits and retries and return the final response whatever its status;
   * only transport failures (connection, timeout, deadline) reject. The token manager uses this.
   * Emits `attempt` events; `request` events are emitted by {@link request}.
   */
  async execute(request: ApiRequest): Promise<ApiResponse> {
    if (this.closed) throw new Error('the CXone client is closed');
    const policy = this.retryPolicy;
    const method = request.method;
    const repeatable =
      request.repeatable ??
      isSafeToRepeat({
        method,
        ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
        ...(request.ifMatch !== undefined ? { ifMatch: String(request.ifMatch) } : {}),
      });
    const { url, path } = this.urlFor(request);
    const { text: bodyText, contentType } = encodeBody(request);
    const requestBytes = bodyText === undefined ? 0 : Buffer.byteLength(bodyText);
    const runSignal = anySignal(this.options.signal, request.signal);
    const started = performance.now();
    let attempts = 0;
    // Attempts that count against maxAttempts; the one replay after a 401 does not.
    let budgetUsed = 0;
    let tokenRetried = false;

    const meta = (status?: number, replayed?: boolean): RequestMeta => ({
      method,
      route: request.route,
      path,
      ...(status !== undefined ? { status } : {}),
      attempts,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      requestBytes,
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(replayed ? { replayed } : {}),
    });

    for (;;) {
      this.throwIfCancelled(runSignal, meta(), method);
      attempts++;
      budgetUsed++;

      let token: string | undefined;
      if (request.auth !== false) {
        if (!this.auth) throw new Error('HttpTransport: no token manager attached');
        token = await this.withCancel(() => this.auth!.token(), runSignal, meta(), method);
      }

      const headers: Record<string, string> = {
        accept: 'application/json',
        ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
        ...request.headers,
      };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (request.idempotencyKey !== undefined) {
        headers['x-idempotency-key'] = request.idempotencyKey;
      }
      if (request.ifMatch !== undefined) headers['if-match'] = `"${String(request.ifMatch)}"`;

      const limited = request.limited !== false;
      let outcome: AttemptOutcome;
      let sendStarted = performance.now();
      const release = limited
        ? await this.withCancel(
            () => this.concurrency.acquire(runSignal),
            runSignal,
            meta(),
            method,
          )
        : undefined;
      try {
        if (limited) {
          await this.withCancel(
            () => this.rateLimiter.acquire(runSignal),
            runSignal,
            meta(),
            method,
          );
        }
        sendStarted = performance.now();
        outcome = await this.sendOnce(url, method, headers, bodyText, runSignal);
      } finally {
        release?.();
      }
      const latencyMs = Math.round((performance.now() - sendStarted) * 10) / 10;
      const attemptBase = {
        type: 'attempt' as const,
        method,
        route: request.route,
        path,
        purpose: request.purpose ?? 'api',
        attempt: attempts,
        sentAt: performance.timeOrigin + sendStarted,
        latencyMs,
        requestBytes,
        ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
      };

      if (outcome.cancelled) {
        this.emit({ ...attemptBase, errorCode: 'CANCELLED', willRetry: false });
        this.throwIfCancelled(runSignal, meta(), method);
      }

      if (outcome.status !== undefined) {
        const status = outcome.status;
        const responseHeaders = outcome.headers ?? {};
        const body = parseBody(outcome.text, responseHeaders['content-type']);
        // A 401 with a token we sent: the token expired or was revoked. Forget exactly that token
        // and replay once with a fresh one (nothing was applied: authentication comes first).
        if (status === 401 && token !== undefined && !tokenRetried) {
          tokenRetried = true;
          budgetUsed--;
          this.auth!.invalidate(token);
          this.emit({ ...attemptBase, status, willRetry: true, retryReason: 'token' });
          this.logger.debug(`${method} ${path} -> 401; retrying once with a fresh token`);
          continue;
        }
        if (status === 429) {
          const rate = this.rateLimiter.throttled(
            parseRetryAfter(responseHeaders['retry-after']),
            sendStarted,
          );
          this.emit({ type: 'rate', ratePerSecond: rate, reason: 'throttled' });
          this.logger.debug(`throttled by the API: client rate now ${rate.toFixed(2)}/s`);
        } else if (status < 400 && this.rateLimiter.succeeded()) {
          this.emit({
            type: 'rate',
            ratePerSecond: this.rateLimiter.currentRate,
            reason: 'recovered',
          });
        }
        // 409 IDEMPOTENCY_KEY_IN_FLIGHT: the first attempt of this keyed write is still being
        // processed; asking again with the same key is safe and replays its outcome once stored.
        const retryable =
          isRetryableStatus(status) ||
          (status === 409 && apiCodeOf(body) === 'IDEMPOTENCY_KEY_IN_FLIGHT');
        const retry = retryable
          ? this.retryDelay(repeatable, budgetUsed, started, responseHeaders['retry-after'])
          : undefined;
        this.emit({
          ...attemptBase,
          status,
          willRetry: retry !== undefined,
          ...(retry !== undefined ? { retryReason: 'status' as const, delayMs: retry } : {}),
        });
        if (retry !== undefined) {
          this.logger.info(
            `${method} ${path} answered ${status}; retrying in ${formatMs(retry)} (attempt ${attempts + 1} of ${policy.maxAttempts})`,
          );
          await this.withCancel(() => sleep(retry, runSignal), runSignal, meta(), method);
          continue;
        }
        this.logger.debug(
          `${method} ${path} -> ${status} in ${latencyMs} ms (attempt ${attempts})`,
        );
        return {
          status,
          headers: responseHeaders,
          body,
          meta: meta(status, responseHeaders['idempotent-replayed'] === 'true'),
        };
      }

      // No response: the connection failed or the attempt timed out.
      const errorCode = outcome.errorCode ?? 'UNKNOWN';
      const retry = outcome.transient
        ? this.retryDelay(repeatable, budgetUsed, started, undefined)
        : undefined;
      this.emit({
        ...attemptBase,
        errorCode,
        willRetry: retry !== undefined,
        ...(retry !== undefined ? { retryReason: 'connection' as const, delayMs: retry } : {}),
      });
      if (retry !== undefined) {
        this.logger.info(
          `${method} ${path} failed (${errorCode}); retrying in ${formatMs(retry)} (attempt ${attempts + 1} of ${policy.maxAttempts})`,
        );
        await this.withCancel(() => sleep(retry, runSignal), runSignal, meta(), method);
        continue;
      }
      const isWrite = method !== 'GET';
      const info: ApiErrorDetails = {
        meta: meta(),
        apiCode: errorCode,
        apiMessage: describeConnectionError(errorCode, this.requestTimeoutMs),
        // A refused connection never reached the server; anything else may have.
        mayHaveApplied: isWrite && errorCode !== 'ECONNREFUSED',
        cause: outcome.error,
      };
      const error = new ConnectionError(
        info,
        isWrite && !repeatable
          ? 'the connection failed and the write was not retried because it carries no idempotency key'
          : 'could not reach CXone',
      );
      throw error;
    }
  }

  /** Close idle connections and reject waiters; in-flight requests are cancelled. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rateLimiter.close(new Error('the CXone client is closed'));
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Delay before the next attempt of a retryable failure, or undefined to stop here. */
  private retryDelay(
    repeatable: boolean,
    budgetUsed: number,
    started: number,
    retryAfterHeader: string | undefined,
  ): number | undefined {
    const policy = this.retryPolicy;
    if (!repeatable || budgetUsed >= policy.maxAttempts) return undefined;
    const delay = nextDelay(budgetUsed, parseRetryAfter(retryAfterHeader), policy, this.random);
    // Never start an attempt after the request's total time budget.
    if (performance.now() - started + delay > policy.maxTotalMs) return undefined;
    return delay;
  }

  /** One HTTP exchange; never throws. */
  private async sendOnce(
    url: URL,
    method: HttpMethod,
    headers: Record<string, string>,
    body: string | undefined,
    runSignal: AbortSignal | undefined,
  ): Promise<AttemptOutcome> {
    const attemptTimeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = anySignal(runSignal, attemptTimeout)!;
    try {
      const response = await this.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal,
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: flattenHeaders(response.headers), text };
    } catch (error: unknown) {
      if (runSignal?.aborted) return { error, cancelled: true };
      if (attemptTimeout.aborted) return { error, errorCode: 'TIMEOUT', transient: true };
      const code = connectionErrorCode(error);
      if (code !== undefined) return { error, errorCode: code, transient: true };
      return { error, errorCode: errorName(error), transient: false };
    }
  }

  private errorFor(request: ApiRequest, response: ApiResponse): CxoneApiError {
    const body = response.body;
    const apiCode = apiCodeOf(body);
    const apiMessage =
      body &&
      typeof body === 'object' &&
      typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : typeof body === 'string' && body.length > 0
          ? body.slice(0, 200)
          : undefined;
    const details =
      body && typeof body === 'object' ? (body as { details?: unknown }).details : undefined;
    const info: ApiErrorDetails = {
      meta: response.meta,
      ...(apiCode !== undefined ? { apiCode } : {}),
      ...(apiMessage !== undefined ? { apiMessage } : {}),
      ...(details !== undefined ? { details } : {}),
    };
    // A write that was sent more than once and now conflicts may be the echo of its own first
    // attempt: the caller must re-read and reconcile, not re-send under a new key.
    if (response.status === 409 && request.method !== 'GET' && response.meta.attempts > 1) {
      return new ConflictError({ ...info, mayHaveApplied: true });
    }
    return errorForStatus(info);
  }

  private urlFor(request: ApiRequest): { url: URL; path: string } {
    let url: URL;
    if (request.absolute) {
      url = new URL(request.path);
    } else {
      url = new URL(this.base.toString());
      const prefix = url.pathname.replace(/\/+$/, '');
      url.pathname = `${prefix}${request.path}`;
    }
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, String(value));
    }
    return { url, path: url.pathname };
  }

  private throwIfCancelled(
    signal: AbortSignal | undefined,
    meta: RequestMeta,
    method: string,
  ): void {
    if (signal?.aborted) throw this.cancelledError(signal, meta, method);
  }

  /** Run `task`; when the run signal aborts it, turn that into a {@link DeadlineExceededError}. */
  private async withCancel<T>(
    task: () => Promise<T>,
    signal: AbortSignal | undefined,
    meta: RequestMeta,
    method: string,
  ): Promise<T> {
    try {
      return await task();
    } catch (error: unknown) {
      if (signal?.aborted && !(error instanceof CxoneApiError)) {
        throw this.cancelledError(signal, meta, method);
      }
      throw error;
    }
  }

  private cancelledError(signal: AbortSignal, meta: RequestMeta, method: string): CxoneApiError {
    const reason = abortReason(signal);
    const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
    const summary = timedOut
      ? (this.options.deadlineDescription ?? 'the run exceeded its time limit')
      : 'the run was cancelled';
    return new DeadlineExceededError(
      { meta, mayHaveApplied: method !== 'GET' && meta.attempts > 0, cause: reason },
      summary,
    );
  }

  private emitRequest(ok: boolean, meta: RequestMeta, error?: Error): void {
    this.emit({ type: 'request', ok, meta, ...(error ? { error: error.name } : {}) });
  }

  private emit(event: Parameters<ClientEventListener>[0]): void {
    try {
      this.options.emit?.(event);
    } catch {
      // A listener's failure must not break a request.
    }
  }
}

/** The request body as text, with its content type. */
function encodeBody(request: ApiRequest): { text?: string; contentType?: string } {
  if (request.rawBody)
    return { text: request.rawBody.text, contentType: request.rawBody.contentType };
  if (request.body === undefined) return {};
  return { text: JSON.stringify(request.body), contentType: 'application/json' };
}

/** undici's headers with every value as one string and lower-case names. */
function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/** JSON when the server said so (and it parses), else the raw text. */
function parseBody(text: string | undefined, contentType: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The `code` of an API error body. */
function apiCodeOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'UNKNOWN';
}

function describeConnectionError(code: string, timeoutMs: number): string {
  switch (code) {
    case 'TIMEOUT':
      return `no complete answer within ${formatMs(timeoutMs)}`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'EPIPE':
      return 'the connection was closed before the response arrived';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return redact(code);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
