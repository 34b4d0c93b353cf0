/**
 * OAuth2 client-credentials token manager (RFC 6749 section 4.4).
 *
 * - Caches the token and refreshes it ahead of expiry: 60 s before, or 10% of its lifetime when
 *   that is shorter, so a request never leaves with a token about to lapse.
 * - Exactly one token request is in flight at a time, however many callers wait for it.
 * - {@link TokenManager.invalidate} forgets a token only if it is still the current one, so when
 *   fifty requests meet the same expired token, the first invalidation starts one refresh and the
 *   other forty-nine simply pick up its result.
 * - Client authentication: HTTP Basic first (RFC 6749 2.3.1 says servers must support it); when the
 *   server rejects it with 400/401, the credentials go in the form body instead, and the manager
 *   remembers which one works for the rest of the run.
 *
 * Every token and credential is registered with the secret registry as soon as it is known.
 */
import { registerSecret } from '../secrets.js';
import {
  AuthenticationError,
  MalformedResponseError,
  errorForStatus,
  type RequestMeta,
} from './errors.js';
import type { ClientEventListener } from './events.js';

/** The client credentials and where to exchange them. */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** One token exchange as the transport performs it (with its retries for 429/5xx/connections). */
export interface TokenExchangeRequest {
  /** `application/x-www-form-urlencoded` body. */
  body: string;
  headers: Record<string, string>;
  signal?: AbortSignal;
}

/** The final response of a token exchange (any status; transport failures throw instead). */
export interface TokenExchangeResponse {
  status: number;
  body: unknown;
  meta: RequestMeta;
}

/** Sends one token request (retrying transient failures) and returns the final response. */
export type TokenExchange = (request: TokenExchangeRequest) => Promise<TokenExchangeResponse>;

/** How the client proves its identity to the token endpoint. */
export type ClientAuthMethod = 'basic' | 'form';

/** Refresh this long before expiry at most ... */
const REFRESH_MARGIN_MS = 60_000;
/** ... or this fraction of the token's lifetime, when that is shorter. */
const REFRESH_FRACTION = 0.1;
/** Lifetime assumed when the server omits `expires_in` (tokens default to 3600 s). */
const DEFAULT_TTL_SECONDS = 3600;

interface CachedToken {
  token: string;
  /** performance.now() time after which the token should be refreshed. */
  refreshAt: number;
  /** performance.now() time at which the server will reject it. */
  expiresAt: number;
}

/** Options of {@link TokenManager}. */
export interface TokenManagerOptions {
  credentials: ClientCredentials;
  exchange: TokenExchange;
  emit?: ClientEventListener;
  /** Aborts the shared token request (the run's deadline). */
  signal?: AbortSignal;
  /** Monotonic clock in ms (tests). */
  now?: () => number;
}

/** Caches and refreshes the bearer token of one set of client credentials. */
export class TokenManager {
  private current: CachedToken | undefined;
  private inflight: Promise<string> | undefined;
  private method: ClientAuthMethod = 'basic';
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? (() => performance.now());
    const { clientId, clientSecret } = options.credentials;
    registerSecret(clientSecret);
    registerSecret(basicCredentials(clientId, clientSecret));
  }

  /** The client authentication method that works (or is tried first). */
  get clientAuthMethod(): ClientAuthMethod {
    return this.method;
  }

  /** A valid bearer token: the cached one, or a fresh one from the single in-flight request. */
  async token(): Promise<string> {
    const cached = this.current;
    if (cached && this.now() < cached.refreshAt) return cached.token;
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /**
   * The API refused `token` (401): forget it, but only if it is still the cached one, so that a
   * token fetched meanwhile by another caller is kept.
   */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    const first = this.method;
    const response = await this.exchangeWith(first);
    if (response.status === 200) return this.accept(response, first);
    if (first === 'basic' && rejectsBasic(response)) {
      const retry = await this.exchangeWith('form');
      if (retry.status === 200) {
        this.method = 'form';
        return this.accept(retry, 'form');
      }
      throw tokenError(retry);
    }
    throw tokenError(response);
  }

  private async exchangeWith(method: ClientAuthMethod): Promise<TokenExchangeResponse> {
    const { clientId, clientSecret } = this.options.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (method === 'basic') {
      headers.authorization = `Basic ${basicCredentials(clientId, clientSecret)}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const started = this.now();
    let response: TokenExchangeResponse | undefined;
    try {
      response = await this.options.exchange({
        body: form.toString(),
        headers,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
      return response;
    } finally {
      this.options.emit?.({
        type: 'token',
        clientAuth: method,
        ...(response ? { status: response.status } : {}),
        ok: response?.status === 200,
        latencyMs: Math.round((this.now() - started) * 10) / 10,
      });
    }
  }

  private accept(response: TokenExchangeResponse, method: ClientAuthMethod): string {
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new AuthenticationError(
        { meta: response.meta },
        `the token endpoint answered 200 without an access_token (client authentication: ${method})`,
      );
    }
    registerSecret(token);
    // The token travels in an Authorization header: a CR, LF or other control character would
    // split or break it, so such a token is a broken answer, not a credential.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new MalformedResponseError(
        { meta: response.meta },
        'a token response (access_token holds characters an HTTP header cannot carry)',
        'CXONE_TOKEN_URL',
      );
    }
    const ttlSeconds =
      typeof body?.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in
        : DEFAULT_TTL_SECONDS;
    // Measured from when the request was answered; the server started the clock a little earlier,
    // which the refresh margin more than covers.
    const now = this.now();
    const lifetimeMs = ttlSeconds * 1000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs * REFRESH_FRACTION);
    this.current = { token, refreshAt: now + lifetimeMs - margin, expiresAt: now + lifetimeMs };
    return token;
  }
}

/** Base64 of `id:secret` with both parts form-encoded, as RFC 6749 2.3.1 asks. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64');
}

/** The OAuth error code of a token error body (`error`, or our API's `code`). */
function oauthErrorCode(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { error, code } = body as { error?: unknown; code?: unknown };
  if (typeof error === 'string') return error;
  if (typeof code === 'string') return code;
  return undefined;
}

/**
 * True when the server's answer may mean "I do not take HTTP Basic client authentication": any 401
 * (RFC 6749 5.2 answers invalid_client with 401), or a 400 saying the client or request is
 * invalid, as some servers do when the credentials are not where they expect them. A wrong secret
 * also lands here; then the form attempt fails too, at the cost of one extra request.
 */
function rejectsBasic(response: TokenExchangeResponse): boolean {
  if (response.status === 401) return true;
  if (response.status !== 400) return false;
  const code = oauthErrorCode(response.body);
  return (
    code === undefined ||
    code === 'invalid_client' ||
    code === 'invalid_request' ||
    code === 'unauthorized_client'
  );
}

/** The typed error for a failed token request. */
function tokenError(response: TokenExchangeResponse): Error {
  const body = response.body as
    { error?: unknown; error_description?: unknown; message?: unknown } | undefined;
  const apiCode = oauthErrorCode(body);
  const description =
    typeof body?.error_description === 'string'
      ? body.error_description
      : typeof body?.message === 'string'
        ? body.message
        : undefined;
  const info = {
    meta: response.meta,
    ...(apiCode ? { apiCode } : {}),
    ...(description ? { apiMessage: description } : {}),
  };
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    return new AuthenticationError(
      info,
      'the token endpoint did not accept the client credentials',
    );
  }
  if (response.status === 404) {
    return new AuthenticationError(info, 'the token URL does not exist');
  }
  return errorForStatus(info);
}
