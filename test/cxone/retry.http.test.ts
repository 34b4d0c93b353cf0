import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  ServiceUnavailableError,
  type CxoneApiError,
} from '../../src/cxone/errors.js';
import { count, makeCodes, startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const CATEGORIES_PATH = '/api/v2/contact-center/interaction-config/categories';
const CATEGORIES = `GET ${CATEGORIES_PATH}`;
const CODES_PATH = '/api/v2/contact-center/interaction-config/wrap-up-codes';
const POST_CODES = `POST ${CODES_PATH}`;

async function failure(promise: Promise<unknown>): Promise<CxoneApiError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as CxoneApiError;
  }
  throw new Error('expected the call to fail');
}

/** Arrival times (ms) of logged requests to `pathPattern`. */
function arrivals(h: Harness, pathPattern: RegExp): number[] {
  return h
    .entries()
    .filter((e) => pathPattern.test(e.path))
    .map((e) => e.t);
}

describe('retries against the simulator', () => {
  it('honours Retry-After given in seconds', async () => {
    harness = await startHarness();
    await harness.client.campaigns.list(); // token first, so only the API call is timed
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', status: 429, retryAfter: 1, times: 1 }],
    });
    await harness.client.categories.list();
    const [first, second] = arrivals(harness, /categories$/);
    expect(second! - first!).toBeGreaterThanOrEqual(1000);
    expect(harness.client.stats()).toMatchObject({ rateLimited: 1, retries: 1, failures: 0 });
  });

  it('honours Retry-After given as an HTTP-date', async () => {
    harness = await startHarness();
    await harness.client.campaigns.list();
    // HTTP-dates have whole seconds: the next whole second after now + 1 s is 1 to 2 s away.
    const until = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    harness.sim.setFaults({
      rules: [
        {
          method: 'GET',
          path: 'categories$',
          status: 503,
          retryAfter: until.toUTCString(),
          times: 1,
        },
      ],
    });
    await harness.client.categories.list();
    const [, second] = arrivals(harness, /categories$/);
    // The retry arrived no earlier than the date (1 ms of clock granularity allowed).
    expect(second!).toBeGreaterThanOrEqual(until.getTime() - 1);
  });

  it('ends a persistent 503 with a clear error after the bounded attempts', async () => {
    harness = await startHarness();
    harness.sim.setFaults({ rules: [{ method: 'GET', path: 'categories$', status: 503 }] });
    const error = await failure(harness.client.categories.list());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${CATEGORIES_PATH} failed with 503 SERVICE_UNAVAILABLE: CXone is unavailable \\(.*\\) after 4 attempts$`,
      ),
    );
    expect(error.hint).toBe(
      'try again later; re-running is safe, cxctl converges on the manifests',
    );
    expect(count(harness, CATEGORIES)).toBe(4);
  });

  it('stops retrying when the total time budget is spent', async () => {
    harness = await startHarness();
    const client = harness.newClient({
      retry: { maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 100, maxTotalMs: 400 },
    });
    harness.sim.setFaults({ rules: [{ method: 'GET', path: 'categories$', status: 502 }] });
    const error = await failure(client.categories.list());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.meta.attempts).toBeGreaterThan(1);
    expect(error.meta.attempts).toBeLessThan(1000);
    // No attempt started after the budget (arrival times add a little loopback jitter).
    const times = arrivals(harness, /categories$/);
    expect(times[times.length - 1]! - times[0]!).toBeLessThanOrEqual(400 + 50);
  });

  it('never retries a write without an idempotency key', async () => {
    harness = await startHarness();
    harness.sim.setFaults({
      rules: [{ method: 'POST', path: 'wrap-up-codes$', status: 503, times: 1 }],
    });
    const unavailable = await failure(harness.client.wrapUpCodes.createBatch(makeCodes(1)));
    expect(unavailable).toBeInstanceOf(ServiceUnavailableError);
    expect(unavailable.meta.attempts).toBe(1);
    expect(count(harness, POST_CODES)).toBe(1);

    harness.sim.setFaults({
      rules: [{ method: 'POST', path: 'wrap-up-codes$', action: 'drop', times: 1 }],
    });
    const dropped = await failure(harness.client.wrapUpCodes.createBatch(makeCodes(1)));
    expect(dropped).toBeInstanceOf(ConnectionError);
    expect(dropped.mayHaveApplied).toBe(true);
    expect(dropped.message).toMatch(
      /the write was not retried because it carries no idempotency key/,
    );
    expect(count(harness, POST_CODES)).toBe(2);
    expect(await harness.client.wrapUpCodes.list()).toEqual([]);
  });

  it('retries a write that carries an idempotency key, or a PUT guarded by If-Match', async () => {
    harness = await startHarness();
    const { client } = harness;
    harness.sim.setFaults({
      rules: [{ method: 'POST', path: 'wrap-up-codes$', status: 503, times: 1 }],
    });
    const created = await client.wrapUpCodes.createBatch(makeCodes(1), { idempotencyKey: 'k1' });
    expect(created.meta.attempts).toBe(2);
    const [code] = await client.wrapUpCodes.list();
    harness.sim.setFaults({ rules: [{ method: 'PUT', status: 504, times: 2 }] });
    const updated = await client.wrapUpCodes.update(
      code!.id,
      { ...code!, duration: 42 },
      { version: code!.version },
    );
    expect(updated.meta.attempts).toBe(3);
    expect(updated.value.version).toBe(code!.version + 1);
  });

  it('retries reads over dropped connections', async () => {
    harness = await startHarness();
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', action: 'drop', times: 2 }],
    });
    const categories = await harness.client.categories.list();
    expect(categories.length).toBeGreaterThan(0);
    const statuses = harness
      .entries()
      .filter((e) => e.path.endsWith('categories'))
      .map((e) => e.status);
    expect(statuses).toEqual([null, null, 200]);
    const attempts = harness.events.filter((e) => e.type === 'attempt' && e.purpose === 'api');
    expect(attempts.map((e) => (e.type === 'attempt' ? (e.errorCode ?? e.status) : ''))).toEqual([
      expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
      expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
      200,
    ]);
  });

  it('replays an idempotent write whose response was lost after commit, with no duplicate', async () => {
    harness = await startHarness();
    harness.sim.setFaults({
      rules: [{ method: 'POST', path: 'wrap-up-codes$', action: 'commit-then-drop', times: 1 }],
    });
    const result = await harness.client.wrapUpCodes.createBatch(makeCodes(3), {
      idempotencyKey: 'once',
    });
    expect(result.meta).toMatchObject({ attempts: 2, replayed: true, status: 200 });
    expect(result.value.ids.every((id) => id !== null)).toBe(true);
    const codes = await harness.client.wrapUpCodes.list();
    expect(codes.map((c) => c.code)).toEqual(['C00000', 'C00001', 'C00002']);
    expect(
      harness
        .entries()
        .filter((e) => e.method === 'POST' && e.path.endsWith('codes'))
        .map((e) => [e.fault ?? null, e.replayed ?? false]),
    ).toEqual([
      ['commit-then-drop', false],
      [null, true],
    ]);
  });

  it('waits out IDEMPOTENCY_KEY_IN_FLIGHT and gets the first outcome', async () => {
    harness = await startHarness({ latencyMs: 150 });
    const { client } = harness;
    await client.campaigns.list();
    const [a, b] = await Promise.all([
      client.wrapUpCodes.createBatch(makeCodes(2), { idempotencyKey: 'twice' }),
      client.wrapUpCodes.createBatch(makeCodes(2), { idempotencyKey: 'twice' }),
    ]);
    expect(a.value).toEqual(b.value);
    expect([a.meta.replayed ?? false, b.meta.replayed ?? false].sort()).toEqual([false, true]);
    expect(await client.wrapUpCodes.list()).toHaveLength(2);
  });

  it('times out a hanging attempt and retries a read', async () => {
    harness = await startHarness();
    const client = harness.newClient({ requestTimeoutMs: 200 });
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', action: 'delay', delayMs: 2000, times: 1 }],
    });
    const categories = await client.categories.list();
    expect(categories.length).toBeGreaterThan(0);
  });

  it('stops everything at the whole-run deadline', async () => {
    harness = await startHarness();
    const client = harness.newClient({ timeoutSeconds: 0.3 });
    harness.sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', action: 'delay', delayMs: 5000 }],
    });
    const error = await failure(client.categories.list());
    expect(error.name).toBe('DeadlineExceededError');
    expect(error.message).toMatch(/the run exceeded its time limit of 0\.3 s/);
    expect(error.hint).toMatch(/raise --timeout/);
  });
});
