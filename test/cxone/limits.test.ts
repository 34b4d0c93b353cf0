import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimiter } from '../../src/cxone/concurrency.js';
import { RateLimiter, defaultBurst } from '../../src/cxone/rateLimiter.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Grant times (fake ms) of `count` acquisitions made at once. */
async function grantTimes(limiter: RateLimiter, count: number): Promise<number[]> {
  const times: number[] = [];
  const all = Array.from({ length: count }, () =>
    limiter.acquire().then(() => times.push(Date.now())),
  );
  // Bounded: advance fake time until every waiter is served.
  for (let step = 0; step < 10_000 && times.length < count; step++) {
    await vi.advanceTimersByTimeAsync(10);
  }
  await Promise.all(all);
  return times;
}

describe('rate limiter (token bucket)', () => {
  it('lets a burst through, then paces at the rate', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3, now: () => Date.now() });
    const times = await grantTimes(limiter, 8);
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    // Then one every 100 ms.
    for (let index = 3; index < times.length; index++) {
      expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(100);
      expect(times[index]! - times[index - 1]!).toBeLessThanOrEqual(110);
    }
  });

  it('never grants more than burst + rate * t in any interval', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter({ ratePerSecond: 20, burst: 5, now: () => Date.now() });
    const times = await grantTimes(limiter, 60);
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(5 + (20 * (times[j]! - times[i]!)) / 1000 + 1e-9);
      }
    }
  });

  it('halves the rate on a 429, pauses for Retry-After, and recovers additively', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2, now: () => Date.now() });
    expect(limiter.throttled(2000, 0)).toBe(5);
    // A volley of 429s to requests sent before that halving counts once.
    expect(limiter.throttled(2000, -1)).toBe(5);
    const times = await grantTimes(limiter, 1);
    expect(times[0]).toBeGreaterThanOrEqual(2000);
    await vi.advanceTimersByTimeAsync(1000);
    limiter.succeeded();
    expect(limiter.currentRate).toBe(5.5);
    limiter.succeeded(); // within the same second: no change
    expect(limiter.currentRate).toBe(5.5);
    // A 429 to a request sent after the halving halves again.
    expect(limiter.throttled(undefined, Date.now())).toBe(2.75);
    for (let second = 0; second < 20; second++) {
      await vi.advanceTimersByTimeAsync(1000);
      limiter.succeeded();
    }
    expect(limiter.currentRate).toBe(10);
  });

  it('has a small default burst, never above the rate', () => {
    expect(defaultBurst(10)).toBe(5);
    expect(defaultBurst(2)).toBe(2);
    expect(defaultBurst(0.5)).toBe(1);
  });

  it('rejects a waiter whose signal aborts', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('concurrency limiter', () => {
  it('never runs more than the limit, first come first served', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_unused, index) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          order.push(index);
          await new Promise((resolve) => setTimeout(resolve, 2));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limiter.inFlight).toBe(0);
  });
});
