import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../src/simulator/http.js';
import type { RequestLogEntry, SimulatorState } from '../../src/simulator/index.js';
import { RequestLog } from '../../src/simulator/requestLog.js';
import { PATHS, codeBody, rawRequest, ruleBody, startHarness, type Harness } from './harness.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('simulator: control API', () => {
  let h: Harness;
  const control = (method: string, path: string, body?: unknown) =>
    rawRequest(h.sim.url, method, path, {
      headers: JSON_HEADERS,
      ...(body !== undefined ? { raw: JSON.stringify(body) } : {}),
    });
  beforeAll(async () => {
    h = await startHarness({
      seed: {
        categories: [{ name: 'Sales' }, { name: 'Resolution' }],
        campaigns: [{ id: 'spring', name: 'Spring Renewals' }],
        dncLists: [{ name: 'Internal DNC' }],
        wrapUpCodes: [{ code: 'SEEDED', name: 'Seeded', category: 'Sales', duration: 60 }],
      },
    });
  });
  afterAll(async () => {
    await h.sim.stop();
  });
  beforeEach(async () => {
    await control('POST', '/__sim/reset');
    await control('DELETE', '/__sim/requests');
  });

  it('exports the state with ids and versions assigned', async () => {
    const response = await control('GET', '/__sim/state');
    expect(response.json).toEqual({
      categories: [
        { id: 'cat-1', name: 'Sales' },
        { id: 'cat-2', name: 'Resolution' },
      ],
      campaigns: [{ id: 'spring', name: 'Spring Renewals' }],
      dncLists: [{ id: 'dnc-1', name: 'Internal DNC', active: true }],
      wrapUpCodes: [
        {
          id: 'wuc-000001',
          version: 1,
          code: 'SEEDED',
          name: 'Seeded',
          category: 'Sales',
          duration: 60,
          isActive: true,
          isDefault: false,
        },
      ],
      complianceRules: [],
    });
  });

  it('replaces the state with PUT /__sim/state, and resets back to the seed', async () => {
    const next = {
      categories: [{ id: 'c9', name: 'Billing' }],
      campaigns: [{ name: 'Winback' }],
      dncLists: [{ name: 'Old list', active: false }, { name: 'New list' }],
      wrapUpCodes: [
        {
          id: 'wuc-000041',
          version: 3,
          code: 'BIL_1',
          name: 'Bill',
          category: 'Billing',
          duration: 9,
        },
      ],
      complianceRules: [
        ruleBody('Imported rule', { campaignId: 'Winback', dncListIds: ['Old list'] }),
      ],
    };
    const replaced = await control('PUT', '/__sim/state', next);
    expect(replaced.status).toBe(200);
    const state = replaced.json as SimulatorState;
    expect(state.complianceRules[0]).toMatchObject({
      id: 'rule-000001',
      campaignId: 'cmp-1',
      dncListIds: ['dnc-1'],
      version: 1,
    });
    expect(state.wrapUpCodes[0]).toMatchObject({ id: 'wuc-000041', version: 3 });
    // New codes continue after the highest id of the state.
    const created = await h.send('POST', PATHS.codes, {
      body: [codeBody('BIL_2', { category: 'Billing' })],
    });
    expect(created.json).toEqual({ ids: ['wuc-000042'], errors: [] });

    const reset = await control('POST', '/__sim/reset');
    expect((reset.json as SimulatorState).wrapUpCodes.map((c) => c.code)).toEqual(['SEEDED']);
  });

  it('refuses an invalid state with 422 listing every problem, keeping the old state', async () => {
    const response = await control('PUT', '/__sim/state', {
      categories: [{ name: 'A' }, { name: 'A' }],
      wrapUpCodes: [
        { code: 'X1', name: 'x', category: 'Missing', duration: 5 },
        { code: 'X2', name: 'x', category: 'A', duration: 0 },
      ],
      complianceRules: [ruleBody('abc', { campaignId: 'nope' })],
      extra: true,
    });
    expect(response.status).toBe(422);
    const fields = (response.json as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields).toEqual([
      '/extra',
      '/categories/1/name',
      '/wrapUpCodes/0/category',
      '/wrapUpCodes/1/duration',
      '/complianceRules/0/campaignId',
    ]);
    expect(h.sim.state().wrapUpCodes.map((c) => c.code)).toEqual(['SEEDED']);
    const notJson = await rawRequest(h.sim.url, 'PUT', '/__sim/state', {
      headers: JSON_HEADERS,
      raw: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('counts requests per route template and lists timestamped entries on request', async () => {
    h.refreshToken();
    await h.send('GET', PATHS.codes);
    await h.send('GET', `${PATHS.codes}?page=2`);
    await h.send('GET', PATHS.code('wuc-000001'));
    await h.send('POST', PATHS.rules('spring'), {
      body: ruleBody('abc', { dncListIds: ['dnc-1'] }),
      headers: { 'x-idempotency-key': 'k' },
    });
    await h.send('GET', '/nowhere');
    const counts = await control('GET', '/__sim/requests');
    expect(counts.json).toEqual({
      counts: {
        'GET (unmatched)': 1,
        'GET /api/v2/contact-center/interaction-config/wrap-up-codes': 2,
        'GET /api/v2/contact-center/interaction-config/wrap-up-codes/{id}': 1,
        'POST /api/v2/campaigns/{campaignId}/rules': 1,
        'POST /oauth2/token': 1,
      },
      total: 6,
      inFlight: 0,
      maxInFlight: 1,
    });
    expect((counts.json as { entries?: unknown }).entries).toBeUndefined();
    const withEntries = await control('GET', '/__sim/requests?entries=1');
    const entries = (withEntries.json as { entries: RequestLogEntry[] }).entries;
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/oauth2/token', 200],
      ['GET', PATHS.codes, 200],
      ['GET', `${PATHS.codes}?page=2`, 200],
      ['GET', PATHS.code('wuc-000001'), 200],
      ['POST', PATHS.rules('spring'), 201],
      ['GET', '/nowhere', 404],
    ]);
    expect(entries[4]).toMatchObject({
      idempotencyKey: 'k',
      route: '/api/v2/campaigns/{campaignId}/rules',
    });
    const times = entries.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs(times[0]! - Date.now())).toBeLessThan(60_000);
    expect((await control('DELETE', '/__sim/requests')).status).toBe(204);
    expect((await control('GET', '/__sim/requests')).json).toEqual({
      counts: {},
      total: 0,
      inFlight: 0,
      maxInFlight: 0,
    });
  });

  it('reports the most API requests in flight at once', async () => {
    await h.token().then(() => h.send('GET', PATHS.campaigns));
    h.sim.clearRequests();
    h.sim.configure({ latencyMs: 100 });
    try {
      await Promise.all(Array.from({ length: 5 }, () => h.send('GET', PATHS.campaigns)));
    } finally {
      h.sim.configure({ latencyMs: 0 });
    }
    expect(h.sim.requests()).toMatchObject({ total: 5, inFlight: 0, maxInFlight: 5 });
  });

  it('reads and changes the runtime configuration, validating it', async () => {
    expect((await control('GET', '/__sim/config')).json).toEqual({
      latencyMs: 0,
      tokenTtlSeconds: 3600,
      rateLimit: null,
    });
    const changed = await control('PUT', '/__sim/config', { latencyMs: 20 });
    expect(changed.json).toMatchObject({ latencyMs: 20 });
    await h.send('GET', PATHS.campaigns);
    const entries = h.sim.requests({ entries: true }).entries!;
    expect(entries.at(-1)!.durationMs).toBeGreaterThanOrEqual(19);
    await control('PUT', '/__sim/config', { latencyMs: 0 });
    for (const bad of [{ latencyMs: -1 }, { tokenTtlSeconds: 0 }, { colour: 1 }, []]) {
      expect((await control('PUT', '/__sim/config', bad)).status).toBe(422);
    }
  });

  it('moves the clock forward and refuses bad clock changes', async () => {
    const before = (await control('GET', '/__sim/clock')).json as { now: number };
    const after = (await control('POST', '/__sim/clock', { advanceMs: 1000 })).json as {
      now: number;
      offsetMs: number;
    };
    expect(after.now - before.now).toBeGreaterThanOrEqual(1000);
    expect((await control('POST', '/__sim/clock', { advanceMs: -5 })).status).toBe(422);
  });

  it('answers unknown control endpoints with 404 and wrong methods with 405', async () => {
    expect((await control('GET', '/__sim/nothing')).status).toBe(404);
    expect((await control('GET', '/__sim')).status).toBe(404);
    const wrong = await control('DELETE', '/__sim/state');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, PUT');
  });

  it('offers the same operations in-process', () => {
    h.sim.setState({ categories: [{ name: 'Only' }] });
    expect(h.sim.state().categories).toEqual([{ id: 'cat-1', name: 'Only' }]);
    expect(() => h.sim.setState({ categories: [{ name: '' }] })).toThrow(/categories\/0\/name/);
    expect(() => h.sim.setFaults({ rules: [{ status: 99 }] })).toThrow(/status/);
    expect(() => h.sim.configure({ latencyMs: -3 })).toThrow(/latencyMs/);
    h.sim.reset();
    expect(h.sim.state().categories).toHaveLength(2);
  });
});

describe('loopback detection (the control API is loopback-only)', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['128.0.0.1', false],
    [undefined, false],
  ])('%s -> %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('request log ring buffer', () => {
  it('keeps the newest entries and counts them all', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++) {
      log.record({
        t: i,
        method: 'GET',
        route: '/r',
        path: `/r?i=${i}`,
        status: 200,
        durationMs: 0,
      });
    }
    const snapshot = log.snapshot(true);
    expect(snapshot.total).toBe(5);
    expect(snapshot.counts).toEqual({ 'GET /r': 5 });
    expect(snapshot.entries!.map((e) => e.t)).toEqual([2, 3, 4]);
  });
});
