import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/cxone/client.js';
import { AuthenticationError } from '../../src/cxone/errors.js';
import type { TokenEvent } from '../../src/cxone/events.js';
import { count, startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const TOKEN = 'POST /oauth2/token';
const CATEGORIES = 'GET /api/v2/contact-center/interaction-config/categories';

describe('token manager against the simulator', () => {
  it('asks for one token however many calls start at once', async () => {
    harness = await startHarness({}, { concurrency: 50 });
    await Promise.all(Array.from({ length: 50 }, () => harness!.client.categories.list()));
    await harness.client.campaigns.list();
    expect(count(harness, TOKEN)).toBe(1);
    expect(harness.client.stats().tokenRequests).toBe(1);
  });

  it('refreshes once when 50 concurrent calls meet an expired token', async () => {
    harness = await startHarness({}, { concurrency: 50 });
    const { client } = harness;
    await client.categories.list();
    expect(count(harness, TOKEN)).toBe(1);

    await harness.control('POST', '/__sim/tokens/expire');
    const results = await Promise.all(Array.from({ length: 50 }, () => client.categories.list()));
    expect(results.every((items) => items.length > 0)).toBe(true);

    // One initial token, one refresh.
    expect(count(harness, TOKEN)).toBe(2);
    const counts = harness.sim.requests().counts;
    // Each of the 50 calls was answered 401 at most once, then succeeded with the new token.
    const unauthorized = harness.entries().filter((e) => e.status === 401).length;
    expect(unauthorized).toBeGreaterThan(0);
    expect(unauthorized).toBeLessThanOrEqual(50);
    expect(counts[CATEGORIES]).toBe(1 + 50 + unauthorized);
    expect(client.stats()).toMatchObject({ tokenRequests: 2, failures: 0 });
  });

  it('retries a request once with a fresh token after a 401, then reports it', async () => {
    harness = await startHarness();
    const { client } = harness;
    await client.categories.list();
    harness.sim.setFaults({ rules: [{ method: 'GET', path: 'categories$', status: 401 }] });
    let error: unknown;
    try {
      await client.categories.list();
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).meta.attempts).toBe(2);
    expect((error as AuthenticationError).hint).toMatch(/CXONE_CLIENT_ID.*CXONE_TOKEN_URL/);
    // First call, then the failing one twice; one refresh in between.
    expect(count(harness, CATEGORIES)).toBe(3);
    expect(count(harness, TOKEN)).toBe(2);
  });

  it('refreshes ahead of expiry instead of waiting for a 401', async () => {
    harness = await startHarness({ tokenTtlSeconds: 1 });
    const { client } = harness;
    await client.categories.list();
    // 10% of a 1 s lifetime: the token is refreshed after 0.9 s, before the server expires it.
    await new Promise((resolve) => setTimeout(resolve, 950));
    await client.categories.list();
    expect(count(harness, TOKEN)).toBe(2);
    expect(harness.entries().filter((e) => e.status === 401)).toEqual([]);
  });

  it('falls back to form-body credentials when Basic is refused, and remembers it', async () => {
    harness = await startHarness();
    const tokenEvents: TokenEvent[] = [];
    const client = harness.newClient({
      onEvent: (event) => {
        if (event.type === 'token') tokenEvents.push(event);
      },
    });
    harness.sim.setFaults({
      rules: [{ method: 'POST', path: '/oauth2/token', status: 401, times: 1 }],
    });
    await client.categories.list();
    expect(client.auth.clientAuthMethod).toBe('form');
    await harness.control('POST', '/__sim/tokens/expire');
    await client.categories.list();
    expect(tokenEvents.map((e) => `${e.clientAuth} ${e.status}`)).toEqual([
      'basic 401',
      'form 200',
      'form 200',
    ]);
  });

  it('says which credentials to check when the token endpoint refuses them', async () => {
    harness = await startHarness();
    const client = createClient({
      apiBase: harness.sim.url,
      tokenUrl: harness.sim.tokenUrl,
      clientId: harness.sim.clientId,
      clientSecret: 'wrong-secret-value',
    });
    try {
      await client.categories.list();
      expect.unreachable();
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(AuthenticationError);
      const auth = error as AuthenticationError;
      expect(auth.message).toMatch(
        /^POST \/oauth2\/token failed with 401 invalid_client: the token endpoint did not accept the client credentials/,
      );
      expect(auth.hint).toBe(
        'check CXONE_CLIENT_ID / CXONE_CLIENT_SECRET (or the profile in cxctl.yaml) and the token URL (CXONE_TOKEN_URL)',
      );
      expect(auth.message).not.toContain('wrong-secret-value');
    } finally {
      await client.close();
    }
    // Basic, then the form fallback; never the API itself.
    expect(count(harness, TOKEN)).toBe(2);
    expect(count(harness, CATEGORIES)).toBe(0);
  });
});
