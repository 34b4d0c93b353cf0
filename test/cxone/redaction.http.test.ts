import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CxoneClient } from '../../src/cxone/client.js';
import { CxoneApiError } from '../../src/cxone/errors.js';
import type { ComplianceRuleFields } from '../../src/cxone/types.js';
import { Logger } from '../../src/util/log.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { makeCodes } from './harness.js';

// Distinctive credentials, so any leak is unmistakable.
const CLIENT_ID = 'redaction-client';
const CLIENT_SECRET = 'sEcReT-4f9a2c-do-not-print';
const WRONG_SECRET = 'wRoNg-77e1b0-do-not-print';

let sim: RunningSimulator;
const output: string[] = [];
const tokens = new Set<string>();
const logger = new Logger({ write: (text: string) => output.push(text) }, 'debug');
const clients: CxoneClient[] = [];

function client(
  options: Parameters<typeof createClient>[1] = {},
  secret = CLIENT_SECRET,
): CxoneClient {
  const created = createClient(
    { apiBase: sim.url, tokenUrl: sim.tokenUrl, clientId: CLIENT_ID, clientSecret: secret },
    {
      logger,
      rateLimit: 1000,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 2000 },
      onEvent: (event) => output.push(JSON.stringify(event)),
      ...options,
    },
  );
  clients.push(created);
  return created;
}

/** Run `action`, expect it to fail, and record everything the error could ever print. */
async function forceError(name: string, action: () => Promise<unknown>): Promise<CxoneApiError> {
  try {
    await action();
  } catch (error: unknown) {
    expect(error, name).toBeInstanceOf(CxoneApiError);
    const apiError = error as CxoneApiError;
    // What the CLI prints (message, hint, and the stack at --log-level debug), and more.
    output.push(
      `error: ${apiError.message}\nhint: ${apiError.hint ?? ''}\n${apiError.stack ?? ''}`,
    );
    output.push(String(error), JSON.stringify(error), inspect(error, { depth: 6 }));
    return apiError;
  }
  throw new Error(`${name}: expected an error`);
}

beforeAll(async () => {
  sim = await startSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.stop();
});

describe('secrets never appear in errors, logs or events', () => {
  it('forces every error path and finds no secret in anything printed', async () => {
    const main = client();
    tokens.add(await main.auth.token());
    const seen = new Set<string>();
    const record = async (name: string, action: () => Promise<unknown>): Promise<void> => {
      const error = await forceError(name, action);
      seen.add(`${error.status ?? 'none'} ${error.name}`);
      tokens.add(await main.auth.token());
    };

    await record('wrong secret', () => client({}, WRONG_SECRET).categories.list());

    sim.setFaults({ rules: [{ method: 'GET', path: 'campaigns$', status: 401 }] });
    await record('401 after a fresh token', () => main.campaigns.list());
    sim.setFaults({ rules: [{ method: 'GET', path: 'campaigns$', status: 403 }] });
    await record('403', () => main.campaigns.list());
    sim.clearFaults();

    await record('404', () => main.wrapUpCodes.get('wuc-404404'));

    await main.wrapUpCodes.createBatch(makeCodes(1), { idempotencyKey: 'seed' });
    const [code] = await main.wrapUpCodes.list();
    await record('412', () =>
      main.wrapUpCodes.update(code!.id, { ...code!, duration: 1 }, { version: code!.version + 5 }),
    );
    await record('422', () => main.wrapUpCodes.createBatch([{ ...code!, duration: 0 }]));
    await record('422 key reused', () =>
      main.wrapUpCodes.createBatch(makeCodes(2), { idempotencyKey: 'seed' }),
    );

    const [campaign] = await main.campaigns.list();
    const [dnc] = (await main.dncLists.list()).filter((list) => list.active);
    const rule: ComplianceRuleFields = {
      name: 'Calling hours',
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [{ timeZone: 'America/Chicago', startHour: 9, endHour: 20 }],
      dncListIds: [dnc!.id],
      maxCallsPerDay: 2,
      concurrencyLimit: 3,
      geographicExclusions: [],
    };
    await main.rules.create(campaign!.id, rule);
    await record('409', () => main.rules.create(campaign!.id, rule));

    sim.setFaults({ rules: [{ method: 'GET', path: 'categories$', status: 429, retryAfter: 0 }] });
    await record('429', () => main.categories.list());
    sim.setFaults({ rules: [{ method: 'GET', path: 'categories$', status: 503 }] });
    await record('503', () => main.categories.list());
    sim.setFaults({ rules: [{ method: 'POST', action: 'drop' }] });
    await record('dropped write', () => main.wrapUpCodes.createBatch(makeCodes(1, 'D')));
    sim.setFaults({
      rules: [{ method: 'GET', path: 'categories$', action: 'delay', delayMs: 1000 }],
    });
    await record('attempt timeout', () => client({ requestTimeoutMs: 100 }).categories.list());
    await record('deadline', () => client({ timeoutSeconds: 0.2 }).categories.list());
    sim.clearFaults();

    expect([...seen].sort()).toEqual([
      '401 AuthenticationError',
      '403 PermissionError',
      '404 NotFoundError',
      '409 ConflictError',
      '412 VersionMismatchError',
      '422 IdempotencyKeyReusedError',
      '422 ValidationError',
      '429 RateLimitedError',
      '503 ServiceUnavailableError',
      'none ConnectionError',
      'none DeadlineExceededError',
    ]);

    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const wrongBasic = Buffer.from(`${CLIENT_ID}:${WRONG_SECRET}`).toString('base64');
    const secrets = [CLIENT_SECRET, WRONG_SECRET, basic, wrongBasic, ...tokens];
    expect(tokens.size).toBeGreaterThanOrEqual(2);
    const text = output.join('\n');
    // The scan has something to look at: debug logs, events and every error's text.
    expect(text).toContain('failed with 503');
    expect(text).toContain('"type":"attempt"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(text.includes(secret), `a secret (${secret.slice(0, 3)}...) leaked`).toBe(false);
    }
  });
});
