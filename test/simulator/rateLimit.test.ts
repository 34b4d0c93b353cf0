import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/simulator/rateLimit.js';
import { PATHS, rawRequest, startHarness, type Harness } from './harness.js';

describe('rate limiter (token bucket)', () => {
  it('allows a burst, refuses beyond it, and refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('t').ok)).toEqual([true, true, true]);
    expect(limiter.take('t')).toEqual({ ok: false, retryAfterSeconds: 1, sendRetryAfter: true });
    now += 500;
    expect(limiter.take('t').ok).toBe(true);
    expect(limiter.take('t').ok).toBe(false);
    // Another tenant has its own bucket.
    expect(limiter.take('other').ok).toBe(true);
  });

  it('says how many whole seconds to wait, at least 1', () => {
    let now = 0;
    const slow = new RateLimiter({ requestsPerSecond: 0.25 }, () => now);
    expect(slow.current()).toEqual({ requestsPerSecond: 0.25, burst: 1, retryAfter: true });
    expect(slow.take('t').ok).toBe(true);
    expect(slow.take('t')).toEqual({ ok: false, retryAfterSeconds: 4, sendRetryAfter: true });
    now += 3_500;
    expect(slow.take('t')).toEqual({ ok: false, retryAfterSeconds: 1, sendRetryAfter: true });
  });

  it('refuses without asking for Retry-After when retryAfter is false', () => {
    const now = 0;
    const quiet = new RateLimiter({ requestsPerSecond: 1, retryAfter: false }, () => now);
    expect(quiet.take('t').ok).toBe(true);
    expect(quiet.take('t')).toEqual({ ok: false, retryAfterSeconds: 1, sendRetryAfter: false });
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

  it('answers 429 without Retry-After when the control API turns it off', async () => {
    const quiet = await rawRequest(h.sim.url, 'PUT', '/__sim/config', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ rateLimit: { requestsPerSecond: 1, retryAfter: false } }),
    });
    expect(quiet.json).toMatchObject({ rateLimit: { requestsPerSecond: 1, retryAfter: false } });
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(200);
    const limited = await h.send('GET', PATHS.campaigns);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: 'RATE_LIMITED', message: 'rate limit exceeded' });
    expect(limited.headers['retry-after']).toBeUndefined();
    const invalid = await rawRequest(h.sim.url, 'PUT', '/__sim/config', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ rateLimit: { requestsPerSecond: 1, retryAfter: 'no' } }),
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({
      details: [{ field: '/rateLimit/retryAfter', message: 'must be true or false' }],
    });
  });
});
