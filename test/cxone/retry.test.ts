import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  connectionErrorCode,
  isRetryableStatus,
  isSafeToRepeat,
  nextDelay,
  parseRetryAfter,
} from '../../src/cxone/retry.js';

describe('retry policy', () => {
  it('parses Retry-After as seconds or as an HTTP-date', () => {
    const now = Date.parse('2026-03-03T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 03 Mar 2026 12:00:05 GMT', now)).toBe(5000);
    // A date in the past means "now", never a negative wait.
    expect(parseRetryAfter('Tue, 03 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });

  it('retries 429, 502, 503 and 504 and nothing else', () => {
    const retried = [400, 401, 403, 404, 409, 412, 422, 429, 500, 501, 502, 503, 504].filter(
      isRetryableStatus,
    );
    expect(retried).toEqual([429, 502, 503, 504]);
  });

  it('repeats a write only with an idempotency key, or a PUT/DELETE with If-Match', () => {
    expect(isSafeToRepeat({ method: 'GET' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST' })).toBe(false);
    expect(isSafeToRepeat({ method: 'POST', ifMatch: '3' })).toBe(false);
    expect(isSafeToRepeat({ method: 'POST', idempotencyKey: 'k1' })).toBe(true);
    expect(isSafeToRepeat({ method: 'PUT' })).toBe(false);
    expect(isSafeToRepeat({ method: 'PUT', ifMatch: '3' })).toBe(true);
    expect(isSafeToRepeat({ method: 'DELETE', ifMatch: '3' })).toBe(true);
    expect(isSafeToRepeat({ method: 'DELETE', idempotencyKey: '' })).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    const top = (): number => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('waits at least Retry-After, with a little jitter on top', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(nextDelay(1, 2000, policy, () => 0)).toBe(2000);
    const most = nextDelay(1, 2000, policy, () => 0.999999);
    expect(most).toBeGreaterThanOrEqual(2000);
    expect(most).toBeLessThanOrEqual(2201);
  });

  it('finds connection error codes in the cause chain', () => {
    expect(connectionErrorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(
      'ECONNRESET',
    );
    const wrapped = new Error('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(connectionErrorCode(wrapped)).toBe('UND_ERR_SOCKET');
    expect(connectionErrorCode(new TypeError('bad header'))).toBeUndefined();
  });
});
