/**
 * Per-tenant token buckets: the simulator's configurable rate limit per tenant.
 */

/**
 * Rate limit settings: sustained requests per second, the bucket size (default: the rate), and
 * whether a 429 carries `Retry-After` (default true; many real tenants answer 429 without it).
 */
export interface RateLimitSettings {
  requestsPerSecond: number;
  burst?: number;
  retryAfter?: boolean;
}

/**
 * Outcome of taking a token: allowed, or refused with the wait in whole seconds (>= 1) and
 * whether to tell the client that wait in a `Retry-After` header.
 */
export type RateDecision =
  { ok: true } | { ok: false; retryAfterSeconds: number; sendRetryAfter: boolean };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** One token bucket per tenant; `undefined` settings mean no limit. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private settings: Required<RateLimitSettings> | undefined;

  /** @param now monotonic milliseconds (injectable for tests). */
  constructor(
    settings: RateLimitSettings | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.configure(settings);
  }

  /** Change (or remove, with undefined) the limit; buckets start full again. */
  configure(settings: RateLimitSettings | undefined): void {
    this.buckets.clear();
    this.settings =
      settings === undefined
        ? undefined
        : {
            requestsPerSecond: settings.requestsPerSecond,
            burst: settings.burst ?? Math.max(1, settings.requestsPerSecond),
            retryAfter: settings.retryAfter ?? true,
          };
  }

  /** The current settings (burst filled in), or undefined when there is no limit. */
  current(): Required<RateLimitSettings> | undefined {
    return this.settings && { ...this.settings };
  }

  /** Take one token from `tenant`'s bucket. */
  take(tenant: string): RateDecision {
    const settings = this.settings;
    if (!settings) return { ok: true };
    const now = this.now();
    let bucket = this.buckets.get(tenant);
    if (!bucket) {
      bucket = { tokens: settings.burst, updatedAt: now };
      this.buckets.set(tenant, bucket);
    }
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(
      settings.burst,
      bucket.tokens + elapsedSeconds * settings.requestsPerSecond,
    );
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const waitSeconds = (1 - bucket.tokens) / settings.requestsPerSecond;
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)),
      sendRetryAfter: settings.retryAfter,
    };
  }
}
