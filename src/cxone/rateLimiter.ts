/**
 * Client-side request rate limit: a token bucket that adapts when the server throttles anyway.
 *
 * The bucket holds at most `burst` tokens and refills at `rate` tokens per second; every request
 * takes one. So in any interval of length t at most `burst + rate * t` requests start, which is
 * the guarantee the tests measure. Waiters are served first come, first served.
 *
 * Adaptive (AIMD, as TCP does it): a 429 halves the rate, empties the bucket and pauses all grants
 * until the server's Retry-After has passed. Only a 429 to a request sent after the previous
 * halving counts, so a volley of 429s from requests that were already in flight halves once.
 * Each second without a 429 adds back a twentieth of the configured rate, never above it. The rate
 * never drops below {@link MIN_RATE} per second.
 */
import { throwIfAborted, abortReason } from './abort.js';

/** Default bucket size: a small burst so a run starts briskly without a spike. */
export const DEFAULT_BURST = 5;
/** The adaptive rate never goes below this many requests per second. */
export const MIN_RATE = 0.5;
/** Time without throttling before each additive increase. */
const INCREASE_INTERVAL_MS = 1_000;

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per second (> 0). */
  ratePerSecond: number;
  /** Bucket size; defaults to min({@link DEFAULT_BURST}, ceil(rate)), at least 1. */
  burst?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** The default burst for a rate: small, and never more than one second's worth of requests. */
export function defaultBurst(ratePerSecond: number): number {
  return Math.max(1, Math.min(DEFAULT_BURST, Math.ceil(ratePerSecond)));
}

/** A token bucket shared by every request to one target. */
export class RateLimiter {
  /** The rate the user asked for; the adaptive rate never exceeds it. */
  readonly configuredRate: number;
  readonly burst: number;
  private rate: number;
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private lastIncrease: number;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RangeError(`rate must be a positive number, got ${options.ratePerSecond}`);
    }
    this.now = options.now ?? (() => performance.now());
    this.configuredRate = options.ratePerSecond;
    this.rate = options.ratePerSecond;
    this.burst = Math.max(1, Math.floor(options.burst ?? defaultBurst(options.ratePerSecond)));
    this.tokens = this.burst;
    this.last = this.now();
    this.lastIncrease = this.last;
  }

  /** The rate currently enforced (lower than configured after throttling). */
  get currentRate(): number {
    return this.rate;
  }

  /** Resolve when the request may start; rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.queue.length === 0 && this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(abortReason(signal));
          this.schedule();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /**
   * The server throttled a request sent at `sentAt` (this limiter's clock): halve the rate unless
   * the request left before the last halving, empty the bucket, and grant nothing until
   * `retryAfterMs` has passed. Returns the new rate.
   */
  throttled(retryAfterMs?: number, sentAt?: number): number {
    const now = this.now();
    this.refill(now);
    if (sentAt === undefined || sentAt >= this.lastDecrease) {
      this.rate = Math.max(Math.min(MIN_RATE, this.configuredRate), this.rate / 2);
      this.lastDecrease = now;
    }
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    }
    // Empty the bucket and let it refill only from the end of the pause: otherwise a full burst
    // would leave the moment the pause ends and meet the server's limit again.
    this.tokens = 0;
    this.last = Math.max(now, this.pausedUntil);
    // The lowered rate holds for a full quiet second after the pause before it grows again.
    this.lastIncrease = Math.max(now, this.pausedUntil);
    this.schedule();
    return this.rate;
  }

  /**
   * A request succeeded: after a quiet second, give back a twentieth of the configured rate.
   * Returns true when the rate changed.
   */
  succeeded(): boolean {
    if (this.rate >= this.configuredRate) return false;
    const now = this.now();
    if (now - this.lastIncrease < INCREASE_INTERVAL_MS) return false;
    this.refill(now);
    this.rate = Math.min(this.configuredRate, this.rate + this.configuredRate / 20);
    this.lastIncrease = now;
    return true;
  }

  /** Reject every waiter (the client is closing). */
  close(reason: unknown): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) {
      if (waiter.signal && waiter.onAbort) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
      }
      waiter.reject(reason);
    }
  }

  private refill(now: number): void {
    // `last` lies in the future while a throttling pause lasts: nothing refills until then.
    if (now <= this.last) return;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }

  private tryTake(): boolean {
    const now = this.now();
    if (now < this.pausedUntil) return false;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Grant tokens to waiters in order; arm a timer for when the next one can go. */
  private schedule(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0 && this.tryTake()) {
      const waiter = this.queue.shift()!;
      if (waiter.signal && waiter.onAbort) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
      }
      waiter.resolve();
    }
    if (this.queue.length === 0) return;
    const now = this.now();
    const untilToken = Math.max(0, this.last - now) + ((1 - this.tokens) * 1000) / this.rate;
    const wait = Math.max(untilToken, this.pausedUntil - now, 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, Math.ceil(wait));
  }
}
