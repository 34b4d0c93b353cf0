import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/simulator/rateLimit.js';
import { PATHS, rawRequest, startHarness, type Harness } from './harness.js';

describe('rate limiter (token bucket)', () => {
  it('allows a burst, refuses beyond it, and refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('t').ok)).toEqual([true, true, true]);
    expect(limiter.take('t')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 500;
    expect(limiter.take('t').ok).toBe(true);
    expect(limiter.take('t').ok).toBe(false);
    // Another tenant has its own bucket.
    expect(limiter.take('other').ok).toBe(true);
  });

  it('says how many whole seconds to wait, at least 1', () => {
    let now = 0;
    const slow = new RateLimiter({ requestsPerSecond: 0.25 }, () => now);
    expect(slow.current()).toEqual({ requestsPerSecond: 0.25, burst: 1 });
    expect(slow.take('t').ok).toBe(true);
    expect(slow.take('t')).toEqual({ ok: false, retryAfterSeconds: 4 });
    now += 3_500;
    expect(slow.take('t')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('has no limit without settings', () => {
    const limiter = new RateLimiter(undefined);
    const results = Array.from({ length: 1000 }, () => limiter.take('t').ok);
    expect(results.every(Boolean)).toBe(true);
  });
});

describe('simulator: rate limit over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('answers 429 RATE_LIMITED with Retry-After once the burst is spent', async () => {
    await h.token(); // the token endpoint is not limited
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await h.send('GET', PATHS.campaigns));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 429]);
    const limited = responses[2]!;
    expect(limited.json).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    // The control API is never limited.
    expect((await rawRequest(h.sim.url, 'GET', '/__sim/state')).status).toBe(200);
  });

  it('changes or removes the limit at run time through PUT /__sim/config', async () => {
    const off = await rawRequest(h.sim.url, 'PUT', '/__sim/config', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ rateLimit: null }),
    });
    expect(off.json).toEqual({ latencyMs: 0, tokenTtlSeconds: 3600, rateLimit: null });
    for (let i = 0; i < 5; i++) expect((await h.send('GET', PATHS.campaigns)).status).toBe(200);
    const on = await rawRequest(h.sim.url, 'PUT', '/__sim/config', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ rateLimit: { requestsPerSecond: 1 } }),
    });
    expect(on.json).toMatchObject({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(200);
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(429);
    const invalid = await rawRequest(h.sim.url, 'PUT', '/__sim/config', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ rateLimit: { requestsPerSecond: 0 } }),
    });
    expect(invalid.status).toBe(422);
  });
});
