import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchCreateResult } from '../../src/cxone/types.js';
import { PATHS, codeBody, ruleBody, startHarness, type Harness } from './harness.js';

describe('simulator: idempotency keys', () => {
  let h: Harness;
  let now = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    h = await startHarness({ clock: () => now });
  });
  afterAll(async () => {
    await h.sim.stop();
  });
  beforeEach(() => {
    h.sim.reset();
    h.sim.configure({ latencyMs: 0 });
  });

  const post = (key: string, body: unknown, header = 'x-idempotency-key') =>
    h.send('POST', PATHS.codes, { body, headers: { [header]: key } });

  it('replays the stored response for the same key and body, with Idempotent-Replayed', async () => {
    const first = await post('key-1', [codeBody('RES_001')]);
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('key-1', [codeBody('RES_001')]);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
    const entries = h.sim.requests({ entries: true }).entries!;
    expect(entries.at(-1)).toMatchObject({ idempotencyKey: 'key-1', replayed: true, status: 200 });
  });

  it('replays the status and headers too (201 with ETag and Location; 204)', async () => {
    const created = await h.send('POST', PATHS.rules('cmp-1'), {
      body: ruleBody('Replayed rule'),
      headers: { 'idempotency-key': 'rule-key' },
    });
    const replayed = await h.send('POST', PATHS.rules('cmp-1'), {
      body: ruleBody('Replayed rule'),
      headers: { 'idempotency-key': 'rule-key' },
    });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.location).toBe(created.headers.location);
    expect(replayed.headers.etag).toBe('"1"');
    expect(replayed.headers['content-type']).toMatch(/application\/json/);
    const del = await h.send('DELETE', PATHS.rule('cmp-1', 'rule-000001'), {
      headers: { 'x-idempotency-key': 'delete-key' },
    });
    expect(del.status).toBe(204);
    const delAgain = await h.send('DELETE', PATHS.rule('cmp-1', 'rule-000001'), {
      headers: { 'x-idempotency-key': 'delete-key' },
    });
    expect(delAgain.status).toBe(204);
    expect(delAgain.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with a different body or path', async () => {
    await post('key-2', [codeBody('RES_001')]);
    const differentBody = await post('key-2', [codeBody('RES_002')]);
    expect(differentBody.status).toBe(422);
    expect(differentBody.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const differentRoute = await h.send('POST', PATHS.rules('cmp-1'), {
      body: ruleBody('abc'),
      headers: { 'x-idempotency-key': 'key-2' },
    });
    expect(differentRoute.status).toBe(422);
    expect(h.sim.state().wrapUpCodes.map((c) => c.code)).toEqual(['RES_001']);
    expect(h.sim.state().complianceRules).toEqual([]);
  });

  it('answers one 409 IDEMPOTENCY_KEY_IN_FLIGHT to a concurrent request with the same key', async () => {
    h.sim.configure({ latencyMs: 300 });
    const body = [codeBody('RES_001')];
    const first = post('key-3', body);
    // Wait (bounded) until the first request is logged as in progress: the store holds the code.
    for (let i = 0; i < 100 && h.sim.state().wrapUpCodes.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const second = await post('key-3', body);
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_FLIGHT' });
    expect((await first).status).toBe(200);
    const third = await post('key-3', body);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
  });

  it('answers exactly one of many simultaneous same-key requests with the real response', async () => {
    h.sim.configure({ latencyMs: 200 });
    const body = [codeBody('RES_009')];
    const responses = await Promise.all(Array.from({ length: 5 }, () => post('key-4', body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
  });

  it('keeps a response for 24 hours on the simulated clock, then processes the key anew', async () => {
    await post('key-5', [codeBody('RES_001')]);
    now += 24 * 3600 * 1000 - 1;
    h.refreshToken();
    expect((await post('key-5', [codeBody('RES_001')])).headers['idempotent-replayed']).toBe(
      'true',
    );
    now += 1;
    h.refreshToken();
    const fresh = await post('key-5', [codeBody('RES_001')]);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect((fresh.json as BatchCreateResult).errors[0]?.code).toBe('CODE_EXISTS');
  });

  it('stores 4xx answers too (a malformed body replays its 400)', async () => {
    const bad = await h.send('POST', PATHS.codes, {
      raw: '{not json',
      headers: { 'content-type': 'application/json', 'x-idempotency-key': 'key-6' },
    });
    expect(bad.status).toBe(400);
    const again = await h.send('POST', PATHS.codes, {
      raw: '{not json',
      headers: { 'content-type': 'application/json', 'x-idempotency-key': 'key-6' },
    });
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('never stores a 401, 429 or injected fault: the retry is processed', async () => {
    const unauthorized = await h.send('POST', PATHS.codes, {
      body: [codeBody('RES_001')],
      headers: { 'x-idempotency-key': 'key-7' },
      token: 'sim_not_a_token',
    });
    expect(unauthorized.status).toBe(401);
    h.sim.setFaults({ rules: [{ method: 'POST', status: 503, times: 1 }] });
    const injected = await post('key-7', [codeBody('RES_001')]);
    expect(injected.status).toBe(503);
    h.sim.configure({ rateLimit: { requestsPerSecond: 0.001, burst: 1 } });
    await h.send('GET', PATHS.campaigns);
    const limited = await post('key-7', [codeBody('RES_001')]);
    expect(limited.status).toBe(429);
    h.sim.configure({ rateLimit: null });
    const processed = await post('key-7', [codeBody('RES_001')]);
    expect(processed.status).toBe(200);
    expect(processed.headers['idempotent-replayed']).toBeUndefined();
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
  });

  it('refuses malformed keys and disagreeing key headers with 400', async () => {
    const tooLong = await post('k'.repeat(256), [codeBody('RES_001')]);
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY' });
    const empty = await post('', [codeBody('RES_001')]);
    expect(empty.status).toBe(400);
    const disagree = await h.send('POST', PATHS.codes, {
      body: [codeBody('RES_001')],
      headers: { 'x-idempotency-key': 'a', 'idempotency-key': 'b' },
    });
    expect(disagree.status).toBe(400);
    expect(h.sim.state().wrapUpCodes).toEqual([]);
    const longest = await post('k'.repeat(255), [codeBody('RES_001')]);
    expect(longest.status).toBe(200);
  });

  it('ignores keys on reads', async () => {
    const first = await h.send('GET', PATHS.codes, { headers: { 'x-idempotency-key': 'read' } });
    await h.send('POST', PATHS.codes, { body: [codeBody('RES_001')] });
    const second = await h.send('GET', PATHS.codes, { headers: { 'x-idempotency-key': 'read' } });
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.text).not.toBe(first.text);
  });
});
