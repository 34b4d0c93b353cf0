import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * The largest excess of requests over the rate in any interval of the arrival log:
 * max over i <= j of (j - i + 1) - rate * (t_j - t_i). The token bucket promises <= burst.
 */
function worstExcess(times: number[], ratePerSecond: number): number {
  let worst = 0;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      worst = Math.max(worst, j - i + 1 - (ratePerSecond * (times[j]! - times[i]!)) / 1000);
    }
  }
  return worst;
}

describe('client-side rate limit, measured at the simulator', () => {
  it('never exceeds the rate by more than the burst', async () => {
    const rate = 20;
    const burst = 5;
    const calls = 40;
    harness = await startHarness({}, { rateLimit: rate, burst, concurrency: 8 });
    const { client } = harness;
    // Warm up: fetch the token and open the pool's sockets, so connection setup does not skew the
    // arrival times; then let the bucket refill and start the log afresh.
    await Promise.all(Array.from({ length: 8 }, () => client.campaigns.list()));
    await new Promise((resolve) => setTimeout(resolve, (burst / rate) * 1000 + 50));
    harness.sim.clearRequests();

    await Promise.all(Array.from({ length: calls }, () => client.categories.list()));
    const times = harness
      .entries()
      .map((e) => e.t)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(calls);
    // Requests leave exactly as the bucket grants them; between the grant and the simulator's
    // arrival timestamp lie the event loop and the loopback network, which can bunch arrivals up
    // by a few milliseconds, and by up to ~100 ms when a busy 2-core CI machine schedules the
    // simulator late. Allow 100 ms of that jitter (2 requests at 20/s): an unlimited client would
    // exceed by ~35 here, so the check still fails for any real overrun.
    const jitterMs = 100;
    expect(worstExcess(times, rate)).toBeLessThanOrEqual(burst + (rate * jitterMs) / 1000);
    // The limit was really in force: after the burst, one request per 1/rate seconds.
    expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual(
      ((calls - burst) / rate) * 1000 - jitterMs,
    );
  });

  it('slows down when the server throttles anyway, instead of hammering it', async () => {
    // The simulator allows 20/s (burst 2); the client is told 80/s, four times too many.
    harness = await startHarness(
      { rateLimit: { requestsPerSecond: 20, burst: 2 } },
      {
        rateLimit: 80,
        burst: 5,
        concurrency: 4,
        retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 20_000 },
      },
    );
    const { client } = harness;
    const calls = 16;
    await Promise.all(Array.from({ length: calls }, () => client.categories.list()));
    const stats = client.stats();
    expect(stats.failures).toBe(0);
    expect(stats.rateLimited).toBeGreaterThan(0);

    const entries = harness.entries().filter((e) => e.path.endsWith('/categories'));
    const throttled = entries.filter((e) => e.status === 429);
    // After every 429 (Retry-After: 1) the client sends nothing for the rest of that second:
    // only requests already on their way arrive shortly after it.
    for (const refusal of throttled) {
      const during = entries.filter((e) => e.t > refusal.t + 100 && e.t < refusal.t + 900);
      expect(during).toEqual([]);
    }
    // One volley from the requests in flight when the first 429 came (at most `concurrency`),
    // then at most one per halving of the rate until it is below the server's: 80 -> 40 -> 20 -> 10.
    expect(throttled.length).toBeLessThanOrEqual(4 + 3);
    expect(client.transport.rateLimiter.currentRate).toBeLessThanOrEqual(20);
    expect(harness.events.some((e) => e.type === 'rate' && e.reason === 'throttled')).toBe(true);
  });
});
