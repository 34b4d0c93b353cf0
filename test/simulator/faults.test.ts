import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/simulator/faults.js';
import {
  PATHS,
  codeBody,
  httpText,
  rawExchange,
  rawRequest,
  startHarness,
  type Harness,
} from './harness.js';

describe('simulator: injected faults', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await h.token();
  });
  afterAll(async () => {
    await h.sim.stop();
  });
  beforeEach(() => {
    h.sim.reset();
    h.sim.clearFaults();
    h.sim.clearRequests();
  });

  const postFaults = (spec: unknown) =>
    rawRequest(h.sim.url, 'POST', '/__sim/faults', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify(spec),
    });

  /** A raw POST of one wrap-up code, so the test sees exactly what reaches the socket. */
  const rawCreate = (code: string, key?: string) =>
    rawExchange(
      h.sim.port,
      httpText(
        'POST',
        PATHS.codes,
        {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(key ? { 'x-idempotency-key': key } : {}),
        },
        JSON.stringify([codeBody(code)]),
      ),
    );

  it('answers a status fault with a JSON error body and Retry-After in seconds', async () => {
    const installed = await postFaults({
      rules: [{ method: 'GET', path: 'wrap-up-codes$', status: 503, retryAfter: 7 }],
    });
    expect(installed.status).toBe(200);
    const response = await h.send('GET', PATHS.codes);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.json).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((response.json as { message: string }).message).toMatch(/injected/);
    // Other routes and methods are untouched.
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(200);
    expect((await h.send('POST', PATHS.codes, { body: [codeBody('RES_001')] })).status).toBe(200);
  });

  it('passes an HTTP-date Retry-After through and uses RATE_LIMITED for an injected 429', async () => {
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    await postFaults({ rules: [{ status: 429, retryAfter: date }] });
    const response = await h.send('GET', PATHS.campaigns);
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe(date);
    expect(response.json).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('fires a rule without times or probability on every request', async () => {
    await postFaults({ rules: [{ status: 500 }] });
    for (let i = 0; i < 3; i++) expect((await h.send('GET', PATHS.campaigns)).status).toBe(500);
  });

  it('fires a rule with times n exactly n times, then lets requests through', async () => {
    await postFaults({ rules: [{ status: 502, times: 2 }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.send('GET', PATHS.campaigns)).status);
    expect(statuses).toEqual([502, 502, 200, 200]);
    const described = await rawRequest(h.sim.url, 'GET', '/__sim/faults');
    expect(described.json).toEqual({ seed: 0, rules: [{ status: 502, times: 2, fired: 2 }] });
  });

  it('evaluates rules in order: the first that fires decides', async () => {
    await postFaults({
      rules: [
        { path: '/campaigns$', status: 504, times: 1 },
        { status: 503, times: 1 },
      ],
    });
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(504);
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(503);
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(200);
  });

  it('draws probabilistic faults from a seeded PRNG: the same seed gives the same run', async () => {
    const run = async (seed: number) => {
      h.sim.setFaults({ seed, rules: [{ status: 503, probability: 0.5 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await h.send('GET', PATHS.campaigns)).status);
      return statuses;
    };
    const first = await run(42);
    const second = await run(42);
    const other = await run(7);
    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(other).not.toEqual(first);
    // The sequence is the PRNG's: request i fails when draw i < 0.5.
    const random = mulberry32(42);
    expect(first).toEqual(first.map(() => (random() < 0.5 ? 503 : 200)));
  });

  it('applies faults before authentication', async () => {
    await postFaults({ rules: [{ status: 503, times: 1 }] });
    const response = await h.send('GET', PATHS.campaigns, { token: null });
    expect(response.status).toBe(503);
  });

  it('never applies faults to the control API', async () => {
    await postFaults({ rules: [{ action: 'drop' }] });
    const state = await rawRequest(h.sim.url, 'GET', '/__sim/state');
    expect(state.status).toBe(200);
    expect((await rawRequest(h.sim.url, 'DELETE', '/__sim/faults')).status).toBe(204);
  });

  it('drop: destroys the connection without answering and without processing', async () => {
    await postFaults({ rules: [{ method: 'POST', action: 'drop', times: 1 }] });
    const exchange = await rawCreate('RES_001', 'drop-key');
    expect(exchange.received).toBe('');
    expect(exchange.ended).not.toBe('timeout');
    expect(h.sim.state().wrapUpCodes).toEqual([]);
    // The retry with the same key is processed normally: nothing was stored.
    const retry = await rawCreate('RES_001', 'drop-key');
    expect(retry.received).toMatch(/^HTTP\/1\.1 200/);
    expect(retry.received.toLowerCase()).not.toContain('idempotent-replayed');
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
    const logged = h.sim.requests({ entries: true }).entries!;
    expect(logged[0]).toMatchObject({ status: null, fault: 'drop', idempotencyKey: 'drop-key' });
  });

  it('commit-then-drop: applies the write, stores the response, then drops the connection', async () => {
    await postFaults({ rules: [{ method: 'POST', action: 'commit-then-drop', times: 1 }] });
    const exchange = await rawCreate('RES_001', 'ctd-key');
    expect(exchange.received).toBe('');
    expect(exchange.ended).not.toBe('timeout');
    expect(h.sim.state().wrapUpCodes.map((c) => c.code)).toEqual(['RES_001']);
    const retry = await rawCreate('RES_001', 'ctd-key');
    expect(retry.received).toMatch(/^HTTP\/1\.1 200/);
    expect(retry.received.toLowerCase()).toContain('idempotent-replayed: true');
    expect(retry.received).toContain('"ids":["wuc-000001"]');
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
    const logged = h.sim.requests({ entries: true }).entries!;
    expect(logged[0]).toMatchObject({ status: 200, fault: 'commit-then-drop' });
    expect(logged[1]).toMatchObject({ status: 200, replayed: true });
  });

  it('a dropped connection surfaces as a socket error in an HTTP client', async () => {
    await postFaults({ rules: [{ action: 'drop', times: 1 }] });
    await expect(h.send('GET', PATHS.campaigns)).rejects.toThrow(/socket|closed|reset/i);
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(200);
  });

  it('delay: waits delayMs, then processes normally', async () => {
    await postFaults({ rules: [{ action: 'delay', delayMs: 150, times: 1 }] });
    const response = await h.send('GET', PATHS.campaigns);
    expect(response.status).toBe(200);
    const [entry] = h.sim.requests({ entries: true }).entries!;
    expect(entry).toMatchObject({ fault: 'delay', status: 200 });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(145);
  });

  it('refuses invalid fault rules with 422 and keeps the old ones', async () => {
    await postFaults({ rules: [{ status: 500, times: 1 }] });
    for (const spec of [
      { rules: [{ status: 200 }] },
      { rules: [{ status: 500, action: 'drop' }] },
      { rules: [{}] },
      { rules: [{ action: 'explode' }] },
      { rules: [{ action: 'delay' }] },
      { rules: [{ status: 500, times: 0 }] },
      { rules: [{ status: 500, probability: 1.5 }] },
      { rules: [{ status: 500, path: '([' }] },
      { rules: [{ action: 'drop', retryAfter: 3 }] },
      { rules: 'all' },
      { seed: 'x', rules: [] },
    ]) {
      const response = await postFaults(spec);
      expect(response.status, JSON.stringify(spec)).toBe(422);
    }
    expect((await h.send('GET', PATHS.campaigns)).status).toBe(500);
  });
});
