/**
 * Webhook delivery: signed POSTs to several endpoints, retried within a bounded time, with every
 * outcome returned as data (docs/webhooks.md).
 *
 * A failed delivery never throws: the apply that triggered it has already happened and must not
 * fail or be undone because a receiver is down. Callers that want that (`--strict-webhooks`) pass
 * the results to {@link assertWebhooksDelivered}.
 */
import { Agent, request } from 'undici';
import { cliVersion } from '../util/version.js';
import { CxctlError } from '../errors.js';
import { redact, registerSecret } from '../secrets.js';
import { systemClock, type Clock } from './clock.js';
import { EVENT_TYPES, type EventType, type WebhookMessage } from './events.js';
import { redactValue } from './redactValue.js';
import { parseWebhookSecret, signedHeaders, type WebhookSigningKey } from './signing.js';
import { isLoopbackHost, redactUrl } from './url.js';

/** One receiver: where to POST, the `whsec_` secret to sign with, and which events it wants. */
export interface WebhookEndpoint {
  url: string;
  secret: string;
  /**
   * Event types to send; omitted means all. Entries are exact types (`apply.failed`), a prefix
   * wildcard (`apply.*`) or `*`.
   */
  events?: readonly string[];
}

/** Retry and time bounds; every field is optional. */
export interface WebhookDeliveryOptions {
  /** Attempts per delivery, the first included (default 5). */
  maxAttempts?: number;
  /** Time allowed for one attempt, connect to response body (default 5,000 ms). */
  attemptTimeoutMs?: number;
  /**
   * Time allowed for the whole {@link deliverWebhooks} call, all endpoints and events included
   * (default 30,000 ms). Deliveries still failing when it runs out are reported as failed.
   */
  totalTimeoutMs?: number;
  /** Backoff before retry n is uniform in [0, min(backoffMaxMs, backoffBaseMs * 2^(n-1))). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Clock for deadlines, signatures and backoff sleeps (tests inject a virtual one). */
  clock?: Clock;
  /** Uniform random in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
  /** User-Agent header (default `cxctl/<version>`). */
  userAgent?: string;
  /** Called with each result as soon as it is known (e.g. to write the audit log). */
  onResult?: (result: DeliveryResult) => void;
}

/** Defaults: short enough that an apply never hangs on a dead receiver. */
export const DEFAULT_WEBHOOK_DELIVERY = {
  maxAttempts: 5,
  attemptTimeoutMs: 5_000,
  totalTimeoutMs: 30_000,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
} as const;

/** `delivered`: a 2xx. `gone`: the endpoint answered 410 (no more sends to it this run). */
export type DeliveryOutcome = 'delivered' | 'failed' | 'gone';

/** What happened to one event at one endpoint. Never contains a secret. */
export interface DeliveryResult {
  /** The endpoint URL with credentials and query values masked. */
  endpoint: string;
  event: EventType;
  webhookId: string;
  /** Requests sent (0 when the delivery was not attempted). */
  attempts: number;
  /** HTTP status of the last attempt; null when no response came. */
  status: number | null;
  outcome: DeliveryOutcome;
  /** One redacted sentence; absent when delivered. */
  error?: string;
  /** From the first attempt to the outcome, backoff included. */
  latencyMs: number;
}

/**
 * Check endpoints up front (config load time), so a misconfigured webhook stops the command
 * before anything is written: the URL must be absolute `https://` (or `http://` to a loopback
 * host), without a fragment; the secret a valid `whsec_` secret; `events` a non-empty list of
 * known event types or wildcards. Registers every secret with the redactor.
 *
 * @throws CxctlError naming the endpoint by position and redacted URL, never the secret.
 */
export function validateWebhookEndpoints(endpoints: readonly WebhookEndpoint[]): void {
  endpoints.forEach((endpoint, index) => {
    prepareEndpoint(endpoint, index);
  });
}

/**
 * The endpoint given by `WEBHOOK_URL` and `WEBHOOK_SECRET`, or undefined when neither is set.
 *
 * @throws CxctlError when only one of the two is set.
 */
export function webhookEndpointFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): WebhookEndpoint | undefined {
  const url = env.WEBHOOK_URL?.trim() ?? '';
  const secret = env.WEBHOOK_SECRET ?? '';
  registerSecret(secret);
  if (url === '' && secret === '') return undefined;
  if (url === '' || secret === '') {
    throw new CxctlError(
      'WEBHOOK_ENV_INCOMPLETE',
      `${url === '' ? 'WEBHOOK_SECRET' : 'WEBHOOK_URL'} is set but ${url === '' ? 'WEBHOOK_URL' : 'WEBHOOK_SECRET'} is not.`,
      { hint: 'Set both WEBHOOK_URL and WEBHOOK_SECRET (a whsec_ secret), or neither.' },
    );
  }
  return { url, secret };
}

/** True when `endpoint` wants events of `type` (see {@link WebhookEndpoint.events}). */
export function endpointWants(endpoint: Pick<WebhookEndpoint, 'events'>, type: string): boolean {
  // Config arrives from YAML; a malformed filter must not make delivery throw (validation reports it).
  const patterns: unknown = endpoint.events;
  if (!Array.isArray(patterns)) return true;
  return patterns.some((pattern: unknown) => {
    if (typeof pattern !== 'string') return false;
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
    return pattern === type;
  });
}

/**
 * Deliver every message to every endpoint that wants it. Endpoints are served concurrently; the
 * messages for one endpoint go in the given order, one at a time, so a receiver sees them in the
 * order they happened. Never throws: every outcome is in the returned list (endpoint order, then
 * message order), including deliveries not attempted because the time budget ran out or an
 * earlier message found the endpoint gone.
 *
 * Retries network errors, timeouts, 429 and 5xx with exponential backoff and full jitter,
 * honouring `Retry-After` when it fits in the remaining budget. A 3xx is a failure (redirects are
 * not followed), a 410 ends all sends to that endpoint, any other 4xx fails without a retry.
 * `webhook-id` is the message's id on every attempt; `webhook-timestamp` and the signature are
 * those of each attempt.
 */
export async function deliverWebhooks(
  messages: readonly WebhookMessage[],
  endpoints: readonly WebhookEndpoint[],
  options: WebhookDeliveryOptions = {},
): Promise<DeliveryResult[]> {
  const settings = resolveOptions(options);
  const deadline = settings.clock.now() + settings.totalTimeoutMs;
  const agent = new Agent({
    connect: { timeout: settings.attemptTimeoutMs },
    headersTimeout: settings.attemptTimeoutMs,
    bodyTimeout: settings.attemptTimeoutMs,
  });
  try {
    const perEndpoint = await Promise.all(
      endpoints.map((endpoint, index) =>
        deliverToEndpoint(agent, endpoint, index, messages, deadline, settings),
      ),
    );
    return perEndpoint.flat();
  } finally {
    // Nothing is in flight any more; destroy rather than close so a receiver that keeps a socket
    // open cannot hold the process.
    await agent.destroy().catch(() => undefined);
  }
}

/**
 * For `--strict-webhooks`: throw when any delivery was not delivered, naming each failure.
 *
 * @throws CxctlError `WEBHOOK_DELIVERY_FAILED` (exit code 1).
 */
export function assertWebhooksDelivered(results: readonly DeliveryResult[]): void {
  const failed = results.filter((r) => r.outcome !== 'delivered');
  if (failed.length === 0) return;
  const shown = failed
    .slice(0, 5)
    .map((r) => `${r.event} to ${r.endpoint}: ${r.error ?? r.outcome}`)
    .join('; ');
  const more = failed.length > 5 ? `; and ${failed.length - 5} more` : '';
  throw new CxctlError(
    'WEBHOOK_DELIVERY_FAILED',
    redact(
      `${failed.length} of ${results.length} webhook deliveries failed (--strict-webhooks): ${shown}${more}.`,
    ),
    {
      source: 'tool',
      hint: 'The changes were applied; check the receivers, or drop --strict-webhooks to treat failed deliveries as warnings.',
    },
  );
}

/** One line for the text summary, e.g. `webhooks: 3 delivered, 1 failed`. */
export function summarizeDeliveries(results: readonly DeliveryResult[]): string {
  const count = (outcome: DeliveryOutcome): number =>
    results.filter((r) => r.outcome === outcome).length;
  const parts = [`${count('delivered')} delivered`, `${count('failed')} failed`];
  if (count('gone') > 0) parts.push(`${count('gone')} to gone endpoints`);
  return `webhooks: ${parts.join(', ')}`;
}

interface Settings {
  maxAttempts: number;
  attemptTimeoutMs: number;
  totalTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  clock: Clock;
  random: () => number;
  userAgent: string;
  onResult: (result: DeliveryResult) => void;
}

function resolveOptions(options: WebhookDeliveryOptions): Settings {
  const positive = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
  return {
    maxAttempts: Math.floor(positive(options.maxAttempts, DEFAULT_WEBHOOK_DELIVERY.maxAttempts)),
    attemptTimeoutMs: positive(options.attemptTimeoutMs, DEFAULT_WEBHOOK_DELIVERY.attemptTimeoutMs),
    totalTimeoutMs: positive(options.totalTimeoutMs, DEFAULT_WEBHOOK_DELIVERY.totalTimeoutMs),
    backoffBaseMs: positive(options.backoffBaseMs, DEFAULT_WEBHOOK_DELIVERY.backoffBaseMs),
    backoffMaxMs: positive(options.backoffMaxMs, DEFAULT_WEBHOOK_DELIVERY.backoffMaxMs),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? defaultUserAgent(),
    onResult: options.onResult ?? (() => undefined),
  };
}

function defaultUserAgent(): string {
  try {
    return `cxctl/${cliVersion()}`;
  } catch {
    return 'cxctl';
  }
}

interface PreparedEndpoint {
  /** The URL without user info. */
  url: URL;
  display: string;
  key: WebhookSigningKey;
  events: readonly string[] | undefined;
  /** `Basic ...` when the URL carried user info (undici would silently drop it). */
  authorization: string | undefined;
}

function prepareEndpoint(endpoint: WebhookEndpoint, index: number): PreparedEndpoint {
  registerSecret(endpoint.secret);
  const display = redactUrl(String(endpoint.url));
  const where = `webhook ${index + 1} (${display})`;
  const fail = (message: string, hint?: string): never => {
    throw new CxctlError('WEBHOOK_CONFIG_INVALID', `${where}: ${message}`, { hint });
  };
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return fail('the URL is not an absolute http(s) URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`the URL scheme must be https, not ${url.protocol.replace(/:$/, '')}.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    fail(
      'plain http:// is refused for a host that is not loopback.',
      'Use an https:// URL; http:// is allowed only for localhost, 127.0.0.0/8 and ::1.',
    );
  }
  if (url.hash !== '') fail('the URL must not have a #fragment.');
  if (endpoint.events !== undefined) {
    // Config arrives from YAML, so the declared type is checked rather than trusted.
    const patterns: unknown = endpoint.events;
    if (!Array.isArray(patterns) || patterns.length === 0) {
      fail('`events` must list at least one event type; omit it to receive every event.');
    }
    for (const pattern of patterns as unknown[]) {
      const known =
        typeof pattern === 'string' &&
        (pattern === '*' ||
          EVENT_TYPES.some((type) =>
            pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern,
          ));
      if (!known) {
        fail(
          `unknown event type ${JSON.stringify(pattern)} in \`events\`.`,
          `Known event types: ${EVENT_TYPES.join(', ')} (a prefix wildcard such as apply.* also works).`,
        );
      }
    }
  }
  const key = parseWebhookSecret(endpoint.secret, where);
  let authorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    registerSecret(password);
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    registerSecret(authorization.slice('Basic '.length));
    url.username = '';
    url.password = '';
  }
  return { url, display, key, events: endpoint.events, authorization };
}

async function deliverToEndpoint(
  agent: Agent,
  endpoint: WebhookEndpoint,
  index: number,
  messages: readonly WebhookMessage[],
  deadline: number,
  settings: Settings,
): Promise<DeliveryResult[]> {
  const wanted = messages.filter((m) => endpointWants(endpoint, m.event.type));
  const results: DeliveryResult[] = [];
  const emit = (result: DeliveryResult): void => {
    results.push(result);
    try {
      settings.onResult(result);
    } catch {
      // A faulty progress callback must not turn a delivery report into a thrown error.
    }
  };
  let prepared: PreparedEndpoint;
  try {
    prepared = prepareEndpoint(endpoint, index);
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error));
    for (const m of wanted)
      emit(notAttempted(redactUrl(String(endpoint.url)), m, 'failed', message));
    return results;
  }
  let gone = false;
  for (const message of wanted) {
    if (gone) {
      emit(
        notAttempted(
          prepared.display,
          message,
          'gone',
          `not sent: the endpoint answered 410 Gone to an earlier event in this run`,
        ),
      );
      continue;
    }
    let result: DeliveryResult;
    try {
      result = await deliverOne(agent, prepared, message, deadline, settings);
    } catch (error) {
      // Only a bug (e.g. a payload JSON cannot represent) lands here; it is still a result.
      const reason = redact(error instanceof Error ? error.message : String(error));
      result = notAttempted(prepared.display, message, 'failed', `not sent: ${reason}`);
    }
    if (result.outcome === 'gone') gone = true;
    emit(result);
  }
  return results;
}

function notAttempted(
  endpoint: string,
  message: WebhookMessage,
  outcome: DeliveryOutcome,
  error: string,
): DeliveryResult {
  return {
    endpoint,
    event: message.event.type,
    webhookId: message.id,
    attempts: 0,
    status: null,
    outcome,
    error,
    latencyMs: 0,
  };
}

type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string; location?: string }
  | { kind: 'error'; message: string };

async function deliverOne(
  agent: Agent,
  endpoint: PreparedEndpoint,
  message: WebhookMessage,
  deadline: number,
  settings: Settings,
): Promise<DeliveryResult> {
  const { clock } = settings;
  const started = clock.now();
  // The body is redacted once and signed as sent: the exact bytes matter to the signature.
  const body = JSON.stringify(redactValue(message.event));
  let attempts = 0;
  let status: number | null = null;
  const finish = (outcome: DeliveryOutcome, error?: string): DeliveryResult => ({
    endpoint: endpoint.display,
    event: message.event.type,
    webhookId: message.id,
    attempts,
    status,
    outcome,
    ...(error === undefined ? {} : { error: redact(error) }),
    latencyMs: Math.max(0, Math.round(clock.now() - started)),
  });
  const budget = `${formatSeconds(settings.totalTimeoutMs)} webhook time budget`;

  // The last attempt's failure, for when a backoff sleep ends (timers run late on a busy machine)
  // after the deadline: that delivery ran out of budget itself, it was not starved by others.
  let lastFailure: string | undefined;
  for (;;) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      return lastFailure === undefined
        ? finish('failed', `not sent: the ${budget} was used up by earlier deliveries`)
        : finish(
            'failed',
            `${lastFailure} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: the ${budget} ran out)`,
          );
    }
    attempts += 1;
    const timestamp = Math.floor(clock.now() / 1000);
    const headers: Record<string, string> = {
      ...signedHeaders(endpoint.key, message.id, timestamp, body),
      'content-type': 'application/json',
      'user-agent': settings.userAgent,
      'x-webhook-source': 'cxctl',
      ...(endpoint.authorization === undefined ? {} : { authorization: endpoint.authorization }),
    };
    const timeoutMs = Math.min(settings.attemptTimeoutMs, remaining);
    const result = await attemptOnce(agent, endpoint.url, headers, body, timeoutMs);

    let failure: string;
    let retryAfterMs: number | undefined;
    if (result.kind === 'response') {
      status = result.status;
      if (status >= 200 && status < 300) return finish('delivered');
      if (status >= 300 && status < 400) {
        const to =
          result.location === undefined
            ? ''
            : ` to ${redactUrl(resolveLocation(result.location, endpoint.url))}`;
        return finish(
          'failed',
          `HTTP ${status}${to}: redirects are not followed; configure the final URL`,
        );
      }
      if (status === 410) {
        return finish('gone', 'endpoint gone (HTTP 410); nothing more is sent to it in this run');
      }
      if (status !== 429 && status < 500) return finish('failed', `HTTP ${status}`);
      failure = `HTTP ${status}`;
      retryAfterMs = parseRetryAfter(result.retryAfter, clock.now());
    } else {
      status = null;
      failure = result.message;
    }
    lastFailure = failure;

    if (attempts >= settings.maxAttempts) {
      return finish('failed', `${failure} (gave up after ${attempts} attempts)`);
    }
    const remainingNow = deadline - clock.now();
    if (retryAfterMs !== undefined && retryAfterMs >= remainingNow) {
      return finish(
        'failed',
        `${failure} with Retry-After ${formatSeconds(retryAfterMs)}, beyond the ${budget} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      );
    }
    const delay = retryAfterMs ?? backoffDelay(attempts, settings);
    if (delay >= remainingNow) {
      return finish(
        'failed',
        `${failure} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: the ${budget} ran out)`,
      );
    }
    await clock.sleep(delay);
  }
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"). */
function backoffDelay(attemptsSoFar: number, settings: Settings): number {
  const ceiling = Math.min(
    settings.backoffMaxMs,
    settings.backoffBaseMs * 2 ** Math.max(0, attemptsSoFar - 1),
  );
  return Math.floor(settings.random() * ceiling);
}

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

async function attemptOnce(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    // undici's request() follows no redirects unless a redirect interceptor is composed, and none
    // is: a 3xx comes back as a response and is reported as a failure.
    const response = await request(url, {
      dispatcher: agent,
      method: 'POST',
      headers,
      body,
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    try {
      // Read (and discard) a bounded amount of the body so the connection can be reused.
      await response.body.dump({ limit: 64 * 1024, signal: controller.signal });
    } catch {
      // The status is the receiver's answer; a body that stalls or is cut off changes nothing.
    }
    return {
      kind: 'response',
      status: response.statusCode,
      ...headerValue('retryAfter', response.headers['retry-after']),
      ...headerValue('location', response.headers.location),
    };
  } catch (error) {
    return {
      kind: 'error',
      message: timedOut ? `no response within ${timeoutMs} ms` : describeNetworkError(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function headerValue<K extends string>(
  name: K,
  value: string | string[] | undefined,
): Partial<Record<K, string>> {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? {} : ({ [name]: first } as Record<K, string>);
}

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  EPIPE: 'connection closed by the receiver',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body not received in time',
  UND_ERR_SOCKET: 'connection closed by the receiver',
  CERT_HAS_EXPIRED: 'the receiver TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the receiver TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the receiver TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the receiver TLS certificate does not match the host name',
};

/** A short sentence for a network failure, from the first known error code in the cause chain. */
function describeNetworkError(error: unknown): string {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 20) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_MESSAGES[code] !== undefined) {
      return NETWORK_MESSAGES[code];
    }
    queue.push((current as { cause?: unknown }).cause);
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) queue.push(...(nested as unknown[]));
  }
  const text = error instanceof Error ? error.message : String(error);
  return `network error: ${redact(text) || 'unknown'}`;
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).toString();
  } catch {
    return location;
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
