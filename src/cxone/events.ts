/**
 * What the client reports while it works: one event per HTTP attempt, per finished request, per
 * token request and per adaptive rate change. Later code builds metrics, progress and the audit
 * log from these; {@link ClientStats} is the built-in tally.
 *
 * Events never carry tokens, secrets or bodies: only methods, paths, statuses, sizes and times.
 */
import type { RequestMeta } from './errors.js';

/** One HTTP attempt ended (a response arrived, or the connection failed). */
export interface AttemptEvent {
  type: 'attempt';
  /** `token` for token requests, `api` for everything else. */
  purpose: 'api' | 'token';
  method: string;
  route: string;
  path: string;
  /** 1-based attempt number within its request. */
  attempt: number;
  /** Wall-clock time the attempt was sent: ms since the epoch, fractional (sub-ms resolution). */
  sentAt: number;
  /** Status, or undefined when no response arrived. */
  status?: number;
  /** Connection error code (`ECONNRESET`, `UND_ERR_SOCKET`, `TIMEOUT`, ...) when no response arrived. */
  errorCode?: string;
  /** Milliseconds from sending to the end of the response body (or the failure): the round trip. */
  latencyMs: number;
  /** Milliseconds this attempt waited on cxctl's own concurrency and rate limits before it left. */
  queuedMs: number;
  /** True when the client will send the request again. */
  willRetry: boolean;
  /** Why it retries: `status` (429/5xx), `connection`, or `token` (401 answered with a fresh token). */
  retryReason?: 'status' | 'connection' | 'token';
  /** Delay before the next attempt, when it retries. */
  delayMs?: number;
  requestBytes: number;
  idempotencyKey?: string;
}

/** A request finished, successfully or not, after all its attempts. */
export interface RequestEvent {
  type: 'request';
  ok: boolean;
  meta: RequestMeta;
  /** Error class name when it failed. */
  error?: string;
}

/** A token request ended. */
export interface TokenEvent {
  type: 'token';
  /** How the client authenticated: HTTP Basic, or credentials in the form body. */
  clientAuth: 'basic' | 'form';
  status?: number;
  ok: boolean;
  latencyMs: number;
}

/** The adaptive rate limit changed. */
export interface RateEvent {
  type: 'rate';
  ratePerSecond: number;
  reason: 'throttled' | 'recovered';
}

/** Everything the client reports. */
export type ClientEvent = AttemptEvent | RequestEvent | TokenEvent | RateEvent;

/** A listener; it must not throw (errors thrown by listeners are ignored). */
export type ClientEventListener = (event: ClientEvent) => void;

/** Snapshot of {@link ClientStats}. */
export interface ClientStatsSnapshot {
  /** Logical requests finished (a retried request counts once). */
  requests: number;
  /** Logical requests that ended in an error. */
  failures: number;
  /** HTTP attempts sent to the API (token requests excluded). */
  attempts: number;
  /** Attempts that were repeats of an earlier one. */
  retries: number;
  /** 429 responses seen. */
  rateLimited: number;
  /** Token requests sent. */
  tokenRequests: number;
  /** Per-request latency, first attempt to outcome, in ms. */
  latency: { count: number; avgMs: number; p95Ms: number; maxMs: number };
}

/** Tallies client events into counters (attach with `client.on(stats.listener)`). */
export class ClientStats {
  private requests = 0;
  private failures = 0;
  private attempts = 0;
  private retries = 0;
  private rateLimited = 0;
  private tokenRequests = 0;
  private readonly latencies: number[] = [];

  /** The listener to register. */
  readonly listener: ClientEventListener = (event) => this.record(event);

  /** Count one event. */
  record(event: ClientEvent): void {
    switch (event.type) {
      case 'attempt':
        if (event.purpose === 'token') break;
        this.attempts++;
        if (event.attempt > 1) this.retries++;
        if (event.status === 429) this.rateLimited++;
        break;
      case 'request':
        this.requests++;
        if (!event.ok) this.failures++;
        this.latencies.push(event.meta.latencyMs);
        break;
      case 'token':
        this.tokenRequests++;
        break;
      case 'rate':
        break;
    }
  }

  /** The counters now. */
  snapshot(): ClientStatsSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const count = sorted.length;
    const sum = sorted.reduce((total, value) => total + value, 0);
    const p95 = count === 0 ? 0 : sorted[Math.min(count - 1, Math.ceil(count * 0.95) - 1)]!;
    return {
      requests: this.requests,
      failures: this.failures,
      attempts: this.attempts,
      retries: this.retries,
      rateLimited: this.rateLimited,
      tokenRequests: this.tokenRequests,
      latency: {
        count,
        avgMs: count === 0 ? 0 : Math.round((sum / count) * 10) / 10,
        p95Ms: Math.round(p95 * 10) / 10,
        maxMs: count === 0 ? 0 : Math.round(sorted[count - 1]! * 10) / 10,
      },
    };
  }
}
