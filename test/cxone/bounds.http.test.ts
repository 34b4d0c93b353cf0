/**
 * Waits are bounded and the client is a good citizen: a Retry-After beyond the time left fails
 * that request at once (and pauses nobody else), 429s with Retry-After spend time rather than
 * attempts, the client lowers its own rate after a 429 with or without Retry-After, limiter waits
 * are reported apart from server round trips, and a DNS failure names the host.
 */
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/cxone/client.js';
import {
  ConnectionError,
  DeadlineExceededError,
  RateLimitedError,
  type CxoneApiError,
} from '../../src/cxone/errors.js';
import type { AttemptEvent, RequestEvent } from '../../src/cxone/events.js';
import { startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function failure(promise: Promise<unknown>): Promise<CxoneApiError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as CxoneApiError;
  }
  throw new Error('expected the call to fail');
}

/** Settles with `promise`, or with 'still waiting' after `ms` (a bound, not a measurement). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still waiting'>((resolve) => {
    timer = setTimeout(() => resolve('still waiting'), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const PATIENT = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 60_000 };

describe('bounded waits', () => {
  it('fails a request whose Retry-After exceeds the retry window at once, naming the wait, and pauses no one else', async () => {
    harness = await startHarness({}, { retry: PATIENT });
    await harness.client.campaigns.list(); // token first
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', status: 429, retryAfter: 600, times: 1 }],
    });
    const error = await failure(harness.client.categories.list());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toMatch(/the server asked to wait 600\.0 s \(Retry-After\)/);
    expect(error.message).toMatch(/of the 60\.0 s retry window/);
    expect(error.meta.attempts).toBe(1);
    // The 429 must not have paused the shared limiter for ten minutes: other reads go on.
    const others = Promise.all(Array.from({ length: 20 }, () => harness!.client.campaigns.list()));
    const result = await within(others, 10_000);
    expect(result).not.toBe('still waiting');
    expect(harness.client.transport.rateLimiter.currentRate).toBeLessThan(1000);
  });

  it('does not wait past the run deadline for a Retry-After within the retry window', async () => {
    harness = await startHarness();
    const client = harness.newClient({ retry: PATIENT, timeoutSeconds: 5 });
    await client.campaigns.list();
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', status: 503, retryAfter: 30, times: 1 }],
    });
    const started = performance.now();
    const error = await failure(client.categories.list());
    // Far below the 30 s the server asked for: the wait was never started.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(error).not.toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toMatch(
      /the server asked to wait 30\.0 s \(Retry-After\), and only \d+\.\d s are left before the run's time limit/,
    );
  });

  it('lets a read through 3 rate limits, 2 unavailable answers and 2 dropped connections in a row', async () => {
    harness = await startHarness({}, { retry: PATIENT });
    await harness.client.campaigns.list();
    harness.sim.setFaults({
      rules: [
        { method: 'GET', path: 'categories$', status: 429, retryAfter: 1, times: 3 },
        { method: 'GET', path: 'categories$', status: 503, times: 2 },
        { method: 'GET', path: 'categories$', action: 'drop', times: 2 },
      ],
    });
    const categories = await harness.client.categories.list();
    expect(categories.length).toBeGreaterThan(0);
    const attempts = harness.events.filter(
      (e): e is AttemptEvent => e.type === 'attempt' && /categories$/.test(e.path),
    );
    expect(attempts.map((a) => a.status ?? 'dropped')).toEqual([
      429,
      429,
      429,
      503,
      503,
      'dropped',
      'dropped',
      200,
    ]);
  });

  it('opens the retry window when the first attempt leaves, not while the request queues', async () => {
    harness = await startHarness();
    // 0.5/s with a burst of 1: the second read waits about 2 s for its turn, twice the window.
    const client = harness.newClient({
      rateLimit: 0.5,
      burst: 1,
      retry: { ...PATIENT, maxTotalMs: 1_000 },
    });
    await client.auth.token();
    await client.campaigns.list();
    const second = client.categories.list();
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', status: 503, times: 1 }],
    });
    expect((await second).length).toBeGreaterThan(0);
  });

  it('counts a 429 without Retry-After against the attempts', async () => {
    harness = await startHarness({}, { retry: PATIENT });
    await harness.client.campaigns.list();
    harness.sim.setFaults({ rules: [{ method: 'GET', path: 'categories$', status: 429 }] });
    const error = await failure(harness.client.categories.list());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.meta.attempts).toBe(PATIENT.maxAttempts);
  });
});

describe('adaptive rate', () => {
  it('lowers its own rate after 429s that carry no Retry-After, never above the configured limit', async () => {
    harness = await startHarness(
      { rateLimit: { requestsPerSecond: 20, burst: 5, retryAfter: false } },
      { rateLimit: 50, burst: 5, concurrency: 8, retry: { ...PATIENT, maxAttempts: 10 } },
    );
    const rates: number[] = [];
    harness.client.on((event) => {
      if (event.type === 'rate') rates.push(event.ratePerSecond);
    });
    await Promise.all(Array.from({ length: 60 }, () => harness!.client.campaigns.list()));
    const limited = harness.events.filter(
      (e): e is AttemptEvent => e.type === 'attempt' && e.status === 429,
    );
    expect(limited.length).toBeGreaterThan(0);
    // Without Retry-After the client backs off on its own (backoff here is at most 20 ms).
    for (const attempt of limited) expect(attempt.delayMs ?? 0).toBeLessThan(1000);
    expect(Math.min(...rates)).toBeLessThanOrEqual(25);
    expect(Math.max(...rates)).toBeLessThanOrEqual(50);
  });
});

describe('latency and limiter waits are apart', () => {
  it('reports the round trip as latencyMs and the wait on the rate limit as queuedMs', async () => {
    harness = await startHarness({}, { rateLimit: 4, burst: 1, concurrency: 8 });
    await harness.client.campaigns.list();
    const requests: RequestEvent[] = [];
    harness.client.on((event) => {
      if (event.type === 'request') requests.push(event);
    });
    await Promise.all(Array.from({ length: 5 }, () => harness!.client.campaigns.list()));
    const queued = requests.map((r) => r.meta.queuedMs).sort((a, b) => a - b);
    // Five requests at 4/s with a burst of 1: the last leaves about a second after the first.
    expect(queued[queued.length - 1]).toBeGreaterThan(700);
    for (const request of requests) {
      expect(request.meta.latencyMs).toBeLessThan(request.meta.queuedMs + 300);
    }
    const last = requests.find((r) => r.meta.queuedMs === queued[queued.length - 1])!;
    expect(last.meta.latencyMs).toBeLessThan(500);
  });
});

describe('DNS failures', () => {
  it('names the host and gives no write hint for a read', async () => {
    // The failed lookup is injected, so no query leaves the machine.
    const lookups: string[] = [];
    const dispatcher = new Agent({
      connect: {
        lookup: (hostname, _options, callback) => {
          lookups.push(hostname);
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          });
          callback(error, '', 4);
        },
      },
    });
    const client = createClient(
      {
        apiBase: 'https://tenant.example.invalid',
        tokenUrl: 'https://tenant.example.invalid/oauth/token',
        clientId: 'id',
        clientSecret: 'secret-dns',
      },
      { dispatcher, retry: PATIENT },
    );
    try {
      const error = await failure(client.categories.list());
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe(
        'cannot resolve host tenant.example.invalid (DNS lookup failed) for POST /oauth/token',
      );
      expect(error.hint).toMatch(/check CXONE_TOKEN_URL/);
      expect(error.hint).not.toMatch(/write|applied/);
      expect(error.mayHaveApplied).toBe(false);
      expect(lookups[0]).toBe('tenant.example.invalid');
    } finally {
      await client.close();
      await dispatcher.close();
    }
  });
});
