/**
 * The CXone client: one object per target, holding the connection pool, the token cache and the
 * shared limits, with a typed method per API operation.
 *
 * ```ts
 * const client = createClient(target, { concurrency: 4, rateLimit: 10 });
 * try {
 *   const codes = await client.wrapUpCodes.list();
 * } finally {
 *   await client.close();
 * }
 * ```
 */
import { cliVersion } from '../util/version.js';
import { registerSecret } from '../secrets.js';
import type { Logger } from '../util/log.js';
import { sharedSignal } from './abort.js';
import { TokenManager } from './auth.js';
import { campaignsApi, type CampaignsApi } from './campaigns.js';
import { categoriesApi, type CategoriesApi } from './categories.js';
import { dncListsApi, type DncListsApi } from './dncLists.js';
import {
  ClientStats,
  type ClientEvent,
  type ClientEventListener,
  type ClientStatsSnapshot,
} from './events.js';
import { HttpTransport } from './http.js';
import type { RetryPolicy } from './retry.js';
import { rulesApi, type RulesApi } from './rules.js';
import { MAX_PAGE_SIZE } from './types.js';
import { wrapUpCodesApi, type WrapUpCodesApi } from './wrapUpCodes.js';
import type { Dispatcher } from 'undici';

/** Where the API is and how to authenticate (a resolved target provides this). */
export interface CxoneEndpoint {
  /** API base URL, e.g. `https://acme.api.cxone.com`. */
  apiBase: string;
  /** OAuth2 token URL. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A target's request limits as `--concurrency`, `--rate-limit` and `--timeout` set them. */
export interface RequestLimits {
  concurrency: number;
  rateLimit: number;
  timeoutSeconds?: number;
}

/** The client options that carry a target's request limits. */
export function limitOptions(
  limits: RequestLimits,
): Pick<ClientOptions, 'concurrency' | 'rateLimit' | 'timeoutSeconds'> {
  return {
    concurrency: limits.concurrency,
    rateLimit: limits.rateLimit,
    ...(limits.timeoutSeconds !== undefined ? { timeoutSeconds: limits.timeoutSeconds } : {}),
  };
}

/** Tuning of one client; every field has a documented default (docs/client.md). */
export interface ClientOptions {
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Requests per second (default 10). */
  rateLimit?: number;
  /** Rate-limit bucket size (default min(5, ceil(rateLimit))). */
  burst?: number;
  /** Whole-run deadline in seconds: every request fails once it has passed. */
  timeoutSeconds?: number;
  /** Milliseconds one attempt may take (default 30,000). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Cancels every request (e.g. on SIGINT). */
  signal?: AbortSignal;
  logger?: Logger;
  /** Receives every {@link ClientEvent}; more listeners can be added with `on`. */
  onEvent?: ClientEventListener;
  /** Page size used by list operations (default and maximum 500). */
  pageSize?: number;
  /** Use this undici dispatcher instead of the client's own keep-alive agent. */
  dispatcher?: Dispatcher;
  /** Randomness for backoff jitter (tests). */
  random?: () => number;
}

/** Typed access to every API area cxctl uses. */
export interface CxoneClient {
  readonly endpoint: Readonly<Pick<CxoneEndpoint, 'apiBase' | 'tokenUrl'>>;
  readonly wrapUpCodes: WrapUpCodesApi;
  readonly rules: RulesApi;
  readonly categories: CategoriesApi;
  readonly campaigns: CampaignsApi;
  readonly dncLists: DncListsApi;
  /** The transport (limits, retry policy) for advanced callers and tests. */
  readonly transport: HttpTransport;
  /** The token manager. */
  readonly auth: TokenManager;
  /** Subscribe to client events; returns the unsubscribe function. */
  on(listener: ClientEventListener): () => void;
  /** Counters since the client was created (requests, retries, 429s, token requests, latency). */
  stats(): ClientStatsSnapshot;
  /** Close the connection pool. */
  close(): Promise<void>;
}

/** Create a client for `endpoint`. Call `close()` when done so sockets do not linger. */
export function createClient(endpoint: CxoneEndpoint, options: ClientOptions = {}): CxoneClient {
  registerSecret(endpoint.clientSecret);
  const listeners = new Set<ClientEventListener>();
  if (options.onEvent) listeners.add(options.onEvent);
  const stats = new ClientStats();
  listeners.add(stats.listener);
  const emit = (event: ClientEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // Listeners must not break requests.
      }
    }
  };

  const deadlineMs =
    options.timeoutSeconds !== undefined
      ? Math.max(1, Math.round(options.timeoutSeconds * 1000))
      : undefined;
  const deadline = deadlineMs !== undefined ? AbortSignal.timeout(deadlineMs) : undefined;
  const signal = sharedSignal(options.signal, deadline);

  const transport = new HttpTransport({
    apiBase: endpoint.apiBase,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.burst !== undefined ? { burst: options.burst } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
    ...(options.requestTimeoutMs !== undefined
      ? { requestTimeoutMs: options.requestTimeoutMs }
      : {}),
    ...(signal ? { signal } : {}),
    ...(deadlineMs !== undefined ? { deadlineAt: performance.now() + deadlineMs } : {}),
    ...(options.timeoutSeconds !== undefined
      ? { deadlineDescription: `the run exceeded its time limit of ${options.timeoutSeconds} s` }
      : {}),
    userAgent: `cxctl/${cliVersion()}`,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.random ? { random: options.random } : {}),
    emit,
  });

  const tokenPath = new URL(endpoint.tokenUrl).pathname;
  const auth = new TokenManager({
    credentials: {
      tokenUrl: endpoint.tokenUrl,
      clientId: endpoint.clientId,
      clientSecret: endpoint.clientSecret,
    },
    emit,
    ...(signal ? { signal } : {}),
    exchange: async (request) => {
      const response = await transport.execute({
        method: 'POST',
        path: endpoint.tokenUrl,
        absolute: true,
        route: `POST ${tokenPath}`,
        rawBody: {
          text: request.body,
          contentType: 'application/x-www-form-urlencoded',
        },
        headers: request.headers,
        auth: false,
        limited: false,
        // Asking for a token changes nothing on the server, so it is always safe to repeat.
        repeatable: true,
        purpose: 'token',
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return { status: response.status, body: response.body, meta: response.meta };
    },
  });
  transport.setAuth(auth);

  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  return {
    endpoint: { apiBase: endpoint.apiBase, tokenUrl: endpoint.tokenUrl },
    wrapUpCodes: wrapUpCodesApi(transport, pageSize),
    rules: rulesApi(transport, pageSize),
    categories: categoriesApi(transport),
    campaigns: campaignsApi(transport),
    dncLists: dncListsApi(transport),
    transport,
    auth,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => stats.snapshot(),
    close: () => transport.close(),
  };
}
