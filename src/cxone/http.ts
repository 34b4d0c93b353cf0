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
  MalformedResponseError,
  errorForStatus,
  type ApiErrorDetails,
  type RequestMeta,
} from './errors.js';
import type { ClientEventListener } from './events.js';
import { RateLimiter } from './rateLimiter.js';
import { readCappedBody, type CappedBody } from './responseBody.js';
import { parseJsonBody, type ShapeCheck } from './shapes.js';
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
  /** What a 2xx body must look like; a body that is not is a {@link MalformedResponseError}. */
  expect?: ShapeCheck;
}

/** A final response. `body` is parsed JSON when the server sent JSON, else the text (or undefined). */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  meta: RequestMeta;
  /** Why a retryable answer was not retried, when a time bound stopped it (for the error). */
  notRetried?: string;
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
  /**
   * When the run signal fires for the deadline, on the `performance.now()` clock: no retry waits
   * past it, so a long Retry-After fails the request at once instead of sleeping into the deadline.
   */
  deadlineAt?: number;
  /** Largest response body read, in bytes (default {@link MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number;
}

/** Default requests per second. */
export const DEFAULT_RATE_LIMIT = 10;
/** Default per-attempt timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Largest response body cxctl reads (8 MiB). The largest real answer, a page of 500 objects, is
 * far below it; a larger body is cut off and the request fails instead of filling memory.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/**
 * Attempts of one request in all, whatever spent them: 429s with Retry-After spend time, not
 * attempts, and this keeps a server that always answers `Retry-After: 1` from being asked forever.
 */
export const MAX_ATTEMPTS_IN_ALL = 20;

interface AttemptOutcome {
  status?: number;
  headers?: Record<string, string>;
  body?: CappedBody;
  error?: unknown;
  errorCode?: string;
  /** True when the failure is a connection problem or a timeout (worth another attempt). */
  transient?: boolean;
  /** True when the run signal (not the attempt timeout) ended the attempt. */
  cancelled?: boolean;
}

/** Whether to send a failed request again: after `delayMs`, or not, and why not. */
type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason?: string };

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
    // The retry window opens when the first attempt leaves, not when the request started to queue:
    // a write that waited its turn behind 2,000 others has not been retried yet.
    let firstSent: number | undefined;
    let attempts = 0;
    // Attempts that count against maxAttempts; the one replay after a 401 and 429s that carry
    // Retry-After do not (those spend time, bounded by the retry window and the run deadline).
    let budgetUsed = 0;
    let tokenRetried = false;
    let roundTripMs = 0;
    let queuedMs = 0;
    let retryWaitMs = 0;

    const meta = (status?: number, replayed?: boolean): RequestMeta => ({
      method,
      route: request.route,
      path,
      ...(status !== undefined ? { status } : {}),
      attempts,
      latencyMs: round1(roundTripMs),
      queuedMs: round1(queuedMs),
      retryWaitMs: round1(retryWaitMs),
      requestBytes,
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(replayed ? { replayed } : {}),
    });
    const waitBeforeRetry = async (delayMs: number): Promise<void> => {
      const sleepStarted = performance.now();
      try {
        await this.withCancel(() => sleep(delayMs, runSignal), runSignal, meta(), method);
      } finally {
        retryWaitMs += performance.now() - sleepStarted;
      }
    };

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
      const queueStarted = performance.now();
      let sendStarted = queueStarted;
      let sent = false;
      let release: (() => void) | undefined;
      try {
        release = limited
          ? await this.withCancel(
              () => this.concurrency.acquire(runSignal),
              runSignal,
              meta(),
              method,
            )
          : undefined;
        if (limited) {
          await this.withCancel(
            () => this.rateLimiter.acquire(runSignal),
            runSignal,
            meta(),
            method,
          );
        }
        sendStarted = performance.now();
        firstSent ??= sendStarted;
        queuedMs += sendStarted - queueStarted;
        sent = true;
        outcome = await this.sendOnce(url, method, headers, bodyText, runSignal);
      } finally {
        // Cancelled while waiting for a slot or a rate token: that wait was queueing too.
        if (!sent) queuedMs += performance.now() - queueStarted;
        release?.();
      }
      const attemptMs = performance.now() - sendStarted;
      roundTripMs += attemptMs;
      const latencyMs = round1(attemptMs);
      const attemptBase = {
        type: 'attempt' as const,
        method,
        route: request.route,
        path,
        purpose: request.purpose ?? 'api',
        attempt: attempts,
        sentAt: performance.timeOrigin + sendStarted,
        latencyMs,
        queuedMs: round1(sendStarted - queueStarted),
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
        if (outcome.body?.truncated) {
          this.emit({ ...attemptBase, status, errorCode: 'BODY_TOO_LARGE', willRetry: false });
          throw new MalformedResponseError(
            { meta: meta(status) },
            `within cxctl's limit of ${formatBytes(this.maxResponseBytes)} per response (it was longer)`,
            settingOf(request),
          );
        }
        const text = outcome.body?.text;
        const success = status >= 200 && status < 300;
        let body: unknown;
        if (success) {
          const parsed = parseJsonBody(text, responseHeaders['content-type']);
          const problem = parsed.ok
            ? request.expect && parsed.value !== undefined
              ? request.expect.check(parsed.value)
              : undefined
            : parsed.problem;
          if (problem !== undefined) {
            this.emit({ ...attemptBase, status, errorCode: 'MALFORMED_BODY', willRetry: false });
            const what = parsed.ok && request.expect ? request.expect.what : 'JSON';
            throw new MalformedResponseError(
              { meta: meta(status) },
              `${what} (${problem})`,
              settingOf(request),
            );
          }
          body = parsed.ok ? parsed.value : undefined;
        } else {
          body = parseBody(text, responseHeaders['content-type']);
        }
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
        const retryAfterMs = parseRetryAfter(responseHeaders['retry-after']);
        // A 429 that says how long to wait is the server pacing us, not a failure: it spends the
        // time budget (retry window, run deadline), not the attempt budget.
        if (status === 429 && retryAfterMs !== undefined && retryAfterMs > 0) budgetUsed--;
        // 409 IDEMPOTENCY_KEY_IN_FLIGHT: the first attempt of this keyed write is still being
        // processed; asking again with the same key is safe and replays its outcome once stored.
        const retryable =
          isRetryableStatus(status) ||
          (status === 409 && apiCodeOf(body) === 'IDEMPOTENCY_KEY_IN_FLIGHT');
        const decision: RetryDecision = retryable
          ? this.retryDecision(repeatable, budgetUsed, attempts, firstSent, retryAfterMs)
          : { retry: false };
        if (status === 429) {
          // The shared pause lasts only as long as this request is going to wait itself, so it
          // never outlasts the retry window or the run deadline; a Retry-After beyond them fails
          // this request and lets the others go on at the lowered rate.
          const pauseMs =
            decision.retry && retryAfterMs !== undefined ? decision.delayMs : undefined;
          const rate = this.rateLimiter.throttled(pauseMs, sendStarted);
          this.emit({ type: 'rate', ratePerSecond: rate, reason: 'throttled' });
          this.logger.debug(`throttled by the API: client rate now ${rate.toFixed(2)}/s`);
        } else if (status < 400 && this.rateLimiter.succeeded()) {
          this.emit({
            type: 'rate',
            ratePerSecond: this.rateLimiter.currentRate,
            reason: 'recovered',
          });
        }
        this.emit({
          ...attemptBase,
          status,
          willRetry: decision.retry,
          ...(decision.retry ? { retryReason: 'status' as const, delayMs: decision.delayMs } : {}),
        });
        if (decision.retry) {
          this.logger.info(
            `${method} ${path} answered ${status}; retrying in ${formatMs(decision.delayMs)} (attempt ${attempts + 1})`,
          );
          await waitBeforeRetry(decision.delayMs);
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
          ...(decision.reason !== undefined ? { notRetried: decision.reason } : {}),
        };
      }

      // No response: the connection failed or the attempt timed out.
      const errorCode = outcome.errorCode ?? 'UNKNOWN';
      const decision: RetryDecision = outcome.transient
        ? this.retryDecision(repeatable, budgetUsed, attempts, firstSent, undefined)
        : { retry: false };
      this.emit({
        ...attemptBase,
        errorCode,
        willRetry: decision.retry,
        ...(decision.retry
          ? { retryReason: 'connection' as const, delayMs: decision.delayMs }
          : {}),
      });
      if (decision.retry) {
        this.logger.info(
          `${method} ${path} failed (${errorCode}); retrying in ${formatMs(decision.delayMs)} (attempt ${attempts + 1})`,
        );
        await waitBeforeRetry(decision.delayMs);
        continue;
      }
      throw this.connectionError(request, url, errorCode, repeatable, meta(), outcome.error);
    }
  }

  /** Close idle connections and reject waiters; in-flight requests are cancelled. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rateLimiter.close(new Error('the CXone client is closed'));
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private get maxResponseBytes(): number {
    return this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  /**
   * Whether a retryable failure is tried again. Bounds: the attempt budget (`maxAttempts`, which
   * 429s with Retry-After do not spend), {@link MAX_ATTEMPTS_IN_ALL}, the retry window
   * (`maxTotalMs` from when the first attempt was sent) and the run deadline. A wait that would cross either
   * time bound is not started: the request fails at once and says what the server asked for.
   */
  private retryDecision(
    repeatable: boolean,
    budgetUsed: number,
    attempts: number,
    firstSent: number,
    retryAfterMs: number | undefined,
  ): RetryDecision {
    const policy = this.retryPolicy;
    if (!repeatable) return { retry: false };
    if (budgetUsed >= policy.maxAttempts || attempts >= MAX_ATTEMPTS_IN_ALL) {
      return { retry: false };
    }
    const delayMs = nextDelay(budgetUsed, retryAfterMs, policy, this.random);
    const now = performance.now();
    const windowLeft = policy.maxTotalMs - (now - firstSent);
    const deadlineLeft =
      this.options.deadlineAt === undefined
        ? Number.POSITIVE_INFINITY
        : this.options.deadlineAt - now;
    if (delayMs <= windowLeft && delayMs < deadlineLeft) return { retry: true, delayMs };
    const asked =
      retryAfterMs !== undefined
        ? `the server asked to wait ${formatMs(retryAfterMs)} (Retry-After)`
        : `the next retry would wait ${formatMs(delayMs)}`;
    const bound =
      deadlineLeft <= windowLeft
        ? `${formatMs(Math.max(0, deadlineLeft))} are left before the run's time limit`
        : `${formatMs(Math.max(0, windowLeft))} are left of the ${formatMs(policy.maxTotalMs)} retry window`;
    return { retry: false, reason: `not retried: ${asked}, and only ${bound}` };
  }

  /** One HTTP exchange; never throws. The body is read up to the byte cap. */
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
      const responseHeaders = flattenHeaders(response.headers);
      const read = await readCappedBody(
        response.body,
        this.maxResponseBytes,
        responseHeaders['content-length'],
      );
      return { status: response.statusCode, headers: responseHeaders, body: read };
    } catch (error: unknown) {
      if (runSignal?.aborted) return { error, cancelled: true };
      if (attemptTimeout.aborted) return { error, errorCode: 'TIMEOUT', transient: true };
      const code = connectionErrorCode(error);
      if (code !== undefined) return { error, errorCode: code, transient: true };
      return { error, errorCode: errorName(error), transient: false };
    }
  }

  /** The error for a request that got no response after its retries. */
  private connectionError(
    request: ApiRequest,
    url: URL,
    errorCode: string,
    repeatable: boolean,
    meta: RequestMeta,
    cause: unknown,
  ): ConnectionError {
    const isWrite = request.method !== 'GET';
    if (errorCode === 'ENOTFOUND' || errorCode === 'EAI_AGAIN') {
      // The name never resolved, so nothing reached a server: no write can have applied.
      const setting = settingOf(request);
      return new ConnectionError(
        {
          meta,
          apiCode: errorCode,
          apiMessage: describeConnectionError(errorCode, this.requestTimeoutMs),
          mayHaveApplied: false,
          cause,
          headline: `cannot resolve host ${url.hostname} (DNS lookup failed) for ${request.method} ${meta.path}`,
        },
        'the host name does not resolve',
        `check ${setting} (or the profile in cxctl.yaml) and the network's DNS`,
      );
    }
    return new ConnectionError(
      {
        meta,
        apiCode: errorCode,
        apiMessage: describeConnectionError(errorCode, this.requestTimeoutMs),
        // A refused connection never reached the server; anything else may have.
        mayHaveApplied: isWrite && errorCode !== 'ECONNREFUSED',
        cause,
      },
      isWrite && !repeatable
        ? 'the connection failed and the write was not retried because it carries no idempotency key'
        : 'could not reach CXone',
    );
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
      ...(response.notRetried !== undefined ? { notRetried: response.notRetried } : {}),
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

/** An error answer's body: JSON when the server said so (and it parses), else the raw text. */
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

/** The setting that chose the URL a request went to. */
function settingOf(request: ApiRequest): 'CXONE_API_BASE' | 'CXONE_TOKEN_URL' {
  return request.purpose === 'token' ? 'CXONE_TOKEN_URL' : 'CXONE_API_BASE';
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

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes} bytes`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
