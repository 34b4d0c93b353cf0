import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { CxctlError } from '../../src/errors.js';
import {
  buildApplyEvent,
  buildDriftEvent,
  buildRuleChangedEvents,
  type WebhookMessage,
} from '../../src/notify/events.js';
import {
  assertWebhooksDelivered,
  deliverWebhooks,
  endpointWants,
  parseRetryAfter,
  summarizeDeliveries,
  validateWebhookEndpoints,
  webhookEndpointFromEnv,
  type DeliveryResult,
  type WebhookDeliveryOptions,
} from '../../src/notify/webhooks.js';
import { closedPort, Receiver, virtualClock, type ReceivedRequest } from './helpers.js';

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const DIGEST = 'a'.repeat(64);

function applyMessage(failed = 0): WebhookMessage {
  return buildApplyEvent({
    target: 'embedded',
    planDigest: DIGEST,
    counts: { created: 2, updated: 1, deleted: 0, failed, skipped: 0 },
    latencyMs: 1234,
    ids: { wrapUpCode: { created: ['wc-1', 'wc-2'], updated: ['wc-3'] } },
    failures:
      failed > 0
        ? [
            {
              kind: 'wrapUpCode',
              key: 'RES_009',
              action: 'create',
              code: 'CODE_EXISTS',
              message: 'exists',
            },
          ]
        : [],
  });
}

const ruleMessages = (): WebhookMessage[] =>
  buildRuleChangedEvents(
    [
      {
        action: 'created',
        ruleId: 'r-1',
        campaignId: 'c-1',
        campaignName: 'Spring Renewals',
        ruleName: 'US-FCC calling hours',
        jurisdiction: 'US-FCC',
      },
    ],
    { planDigest: DIGEST, target: 'embedded' },
  );

const driftMessage = (): WebhookMessage =>
  buildDriftEvent({
    target: 'embedded',
    drifted: [
      {
        kind: 'wrapUpCode',
        key: 'RES_001',
        fields: [{ path: '/duration', live: 120, desired: 300 }],
      },
    ],
    missing: [],
    unmanaged: [{ kind: 'wrapUpCode', key: 'HAND_MADE', id: 'wc-9' }],
  });

/** Verify a received request with the independent standardwebhooks implementation. */
function verify(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': request.headers['webhook-id'] ?? '',
    'webhook-timestamp': request.headers['webhook-timestamp'] ?? '',
    'webhook-signature': request.headers['webhook-signature'] ?? '',
  });
}

// Fast bounds: real per-attempt timeouts are short, backoff sleeps are virtual.
function fastOptions(extra: WebhookDeliveryOptions = {}): WebhookDeliveryOptions & {
  clock: ReturnType<typeof virtualClock>;
} {
  return {
    maxAttempts: 5,
    attemptTimeoutMs: 1_000,
    totalTimeoutMs: 30_000,
    clock: virtualClock(),
    random: () => 0.5,
    ...extra,
  } as WebhookDeliveryOptions & { clock: ReturnType<typeof virtualClock> };
}

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof Receiver.start>): Promise<Receiver> {
  const r = await Receiver.start(...args);
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('deliverWebhooks', () => {
  it('POSTs a signed, verifiable Standard Webhooks request with the cxctl headers', async () => {
    const secret = newSecret();
    const hook = await receiver();
    const message = applyMessage();
    const results = await deliverWebhooks([message], [{ url: hook.url(), secret }], fastOptions());

    expect(results).toEqual([
      expect.objectContaining({
        endpoint: hook.url(),
        event: 'apply.completed',
        webhookId: message.id,
        attempts: 1,
        status: 200,
        outcome: 'delivered',
      }),
    ]);
    expect(results[0]!.error).toBeUndefined();
    const [request] = hook.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-webhook-source']).toBe('cxctl');
    expect(request!.headers['user-agent']).toMatch(/^cxctl\/\d+\.\d+\.\d+/);
    expect(request!.headers['webhook-id']).toBe(message.id);
    expect(request!.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const payload = verify(secret, request!) as Record<string, unknown>;
    expect(payload).toEqual(JSON.parse(JSON.stringify(message.event)));
    // A different secret must not verify: the check above is not vacuous.
    expect(() => verify(newSecret(), request!)).toThrow(/signature/i);
  });

  it('delivers every event type, each verifiable', async () => {
    const secret = newSecret();
    const hook = await receiver();
    const messages = [...ruleMessages(), applyMessage(1), driftMessage()];
    const results = await deliverWebhooks(messages, [{ url: hook.url(), secret }], fastOptions());
    expect(results.map((r) => [r.event, r.outcome])).toEqual([
      ['compliance.rule.changed', 'delivered'],
      ['apply.failed', 'delivered'],
      ['drift.detected', 'delivered'],
    ]);
    // Delivered in the given order, one at a time.
    expect(hook.requests.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      'compliance.rule.changed',
      'apply.failed',
      'drift.detected',
    ]);
    for (const request of hook.requests) expect(verify(secret, request)).toBeTruthy();
  });

  it('reports a receiver that is down as failed within the bounds, without throwing', async () => {
    const port = await closedPort();
    const options = fastOptions();
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url: `http://127.0.0.1:${port}/hook`, secret: newSecret() }],
      options,
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 5, status: null });
    expect(results[0]!.error).toMatch(/connection refused \(gave up after 5 attempts\)/);
    // Four backoff sleeps with full jitter (random 0.5): 250, 500, 1000, 2000 ms.
    expect(options.clock.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('finishes within the total time budget on the real clock', async () => {
    const port = await closedPort();
    const started = Date.now();
    const results = await deliverWebhooks(
      [applyMessage(), ...ruleMessages()],
      [{ url: `http://127.0.0.1:${port}/hook`, secret: newSecret() }],
      { maxAttempts: 100, totalTimeoutMs: 800, backoffBaseMs: 100, backoffMaxMs: 200 },
    );
    const elapsed = Date.now() - started;
    expect(results.every((r) => r.outcome === 'failed')).toBe(true);
    // The budget, plus slack for a loaded machine; without the budget 100 attempts would take ~15 s.
    expect(elapsed).toBeLessThan(800 + 2_000);
    // The first delivery gives up when its next backoff would pass the budget; the second gets
    // only the little time that is left.
    expect(results[0]!.error).toMatch(
      /connection refused \(gave up after \d+ attempts: the 0\.8 s webhook time budget ran out\)/,
    );
    expect(results[1]!.error).toMatch(/time budget/);
  });

  it('blames its own budget, not earlier deliveries, when a backoff sleep wakes after the deadline', async () => {
    const port = await closedPort();
    const base = virtualClock();
    // A timer that fires 800 ms late, as on a loaded machine: the first sleep (250 ms, within the
    // 1 s budget) ends past the deadline.
    const lateClock = { ...base, sleep: (ms: number) => base.sleep(ms + 800) };
    const results = await deliverWebhooks(
      [applyMessage(), ...ruleMessages()],
      [{ url: `http://127.0.0.1:${port}/hook`, secret: newSecret() }],
      { ...fastOptions({ totalTimeoutMs: 1_000 }), clock: lateClock },
    );
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(results[0]!.error).toBe(
      'connection refused (gave up after 1 attempt: the 1 s webhook time budget ran out)',
    );
    expect(results[1]).toMatchObject({ outcome: 'failed', attempts: 0 });
    expect(results[1]!.error).toBe(
      'not sent: the 1 s webhook time budget was used up by earlier deliveries',
    );
  });

  it('retries a slow receiver after each attempt timeout, then fails with the same webhook-id', async () => {
    const hook = await receiver(() => ({ status: 200, delayMs: 5_000 }));
    const message = applyMessage();
    const options = fastOptions({ maxAttempts: 3, attemptTimeoutMs: 150 });
    const results = await deliverWebhooks(
      [message],
      [{ url: hook.url(), secret: newSecret() }],
      options,
    );
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 3, status: null });
    expect(results[0]!.error).toBe('no response within 150 ms (gave up after 3 attempts)');
    expect(hook.requests).toHaveLength(3);
    expect(new Set(hook.requests.map((r) => r.headers['webhook-id']))).toEqual(
      new Set([message.id]),
    );
  });

  it('delivers on attempt 2 after a 500, with the same webhook-id and a valid signature each time', async () => {
    const secret = newSecret();
    const hook = await receiver((_req, index) => ({ status: index === 0 ? 500 : 200 }));
    const message = applyMessage();
    const options = fastOptions();
    const results = await deliverWebhooks([message], [{ url: hook.url(), secret }], options);
    expect(results[0]).toMatchObject({
      outcome: 'delivered',
      attempts: 2,
      status: 200,
      webhookId: message.id,
    });
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual([message.id, message.id]);
    expect(hook.requests[0]!.body).toBe(hook.requests[1]!.body);
    for (const request of hook.requests) expect(verify(secret, request)).toBeTruthy();
    expect(options.clock.sleeps).toEqual([250]);
  });

  it('honours Retry-After on a 429 when it fits in the budget', async () => {
    const hook = await receiver((_req, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 204 },
    );
    const options = fastOptions();
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url: hook.url(), secret: newSecret() }],
      options,
    );
    expect(results[0]).toMatchObject({ outcome: 'delivered', attempts: 2, status: 204 });
    expect(options.clock.sleeps).toEqual([3_000]);
  });

  it('gives up at once when Retry-After is beyond the budget', async () => {
    const hook = await receiver(() => ({ status: 503, headers: { 'retry-after': '120' } }));
    const options = fastOptions();
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url: hook.url(), secret: newSecret() }],
      options,
    );
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 1, status: 503 });
    expect(results[0]!.error).toMatch(/Retry-After 120 s, beyond the 30 s webhook time budget/);
    expect(options.clock.sleeps).toEqual([]);
  });

  it('stops at a 410 Gone and sends nothing more to that endpoint', async () => {
    const hook = await receiver(() => ({ status: 410 }));
    const results = await deliverWebhooks(
      [applyMessage(), ...ruleMessages()],
      [{ url: hook.url(), secret: newSecret() }],
      fastOptions(),
    );
    expect(hook.requests).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: 'gone', attempts: 1, status: 410 });
    expect(results[0]!.error).toMatch(/endpoint gone/);
    expect(results[1]).toMatchObject({ outcome: 'gone', attempts: 0, status: null });
  });

  it('does not follow a redirect', async () => {
    const hook = await receiver((req) =>
      req.path === '/hook'
        ? { status: 302, headers: { location: '/moved?token=abc' } }
        : { status: 200 },
    );
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url: hook.url(), secret: newSecret() }],
      fastOptions(),
    );
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 1, status: 302 });
    expect(results[0]!.error).toMatch(/redirects are not followed/);
    expect(results[0]!.error).toContain(`to ${hook.url('/moved')}?token=***:`);
    expect(results[0]!.error).not.toContain('abc');
    expect(hook.requests.map((r) => r.path)).toEqual(['/hook']);
  });

  it('counts a 2xx as delivered even when the response body stalls', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial'); // and never finish
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const results = await deliverWebhooks(
        [applyMessage()],
        [{ url: `http://127.0.0.1:${port}/hook`, secret: newSecret() }],
        fastOptions({ attemptTimeoutMs: 200 }),
      );
      expect(results[0]).toMatchObject({ outcome: 'delivered', attempts: 1, status: 200 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a payload that cannot be serialised as a failed result', async () => {
    const hook = await receiver();
    const message = applyMessage();
    const data = message.event.data as unknown as Record<string, unknown>;
    data.self = data;
    const results = await deliverWebhooks(
      [message, ...ruleMessages()],
      [{ url: hook.url(), secret: newSecret() }],
      fastOptions(),
    );
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 0 });
    expect(results[0]!.error).toMatch(/^not sent: /);
    expect(results[1]).toMatchObject({ outcome: 'delivered' });
  });

  it('fails other 4xx answers without a retry', async () => {
    const hook = await receiver(() => ({ status: 401 }));
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url: hook.url(), secret: newSecret() }],
      fastOptions(),
    );
    expect(results[0]).toMatchObject({
      outcome: 'failed',
      attempts: 1,
      status: 401,
      error: 'HTTP 401',
    });
    expect(hook.requests).toHaveLength(1);
  });

  it('applies each endpoint event filter', async () => {
    const applyHook = await receiver();
    const driftHook = await receiver();
    const allHook = await receiver();
    const messages = [applyMessage(), ...ruleMessages(), driftMessage()];
    const results = await deliverWebhooks(
      messages,
      [
        { url: applyHook.url(), secret: newSecret(), events: ['apply.*'] },
        {
          url: driftHook.url(),
          secret: newSecret(),
          events: ['drift.detected', 'compliance.rule.changed'],
        },
        { url: allHook.url(), secret: newSecret() },
      ],
      fastOptions(),
    );
    const types = (r: Receiver): string[] =>
      r.requests.map((q) => (JSON.parse(q.body) as { type: string }).type);
    expect(types(applyHook)).toEqual(['apply.completed']);
    expect(types(driftHook)).toEqual(['compliance.rule.changed', 'drift.detected']);
    expect(types(allHook)).toEqual([
      'apply.completed',
      'compliance.rule.changed',
      'drift.detected',
    ]);
    expect(results).toHaveLength(6);
    expect(results.every((r) => r.outcome === 'delivered')).toBe(true);
  });

  it('delivers to different endpoints concurrently', async () => {
    // The first receiver answers only once the second has received its request; delivered one
    // endpoint after the other, the first would time out.
    const second = await receiver();
    const first = await receiver(() => ({
      status: 200,
      before: () => second.waitForRequest(3_000),
    }));
    const results = await deliverWebhooks(
      [applyMessage()],
      [
        { url: first.url(), secret: newSecret() },
        { url: second.url(), secret: newSecret() },
      ],
      fastOptions({ attemptTimeoutMs: 2_000, maxAttempts: 1 }),
    );
    expect(results.map((r) => r.outcome)).toEqual(['delivered', 'delivered']);
  });

  it('never puts a secret in results, bodies or errors, and masks URL credentials', async () => {
    const secret = newSecret();
    const rawKey = secret.slice('whsec_'.length);
    const hook = await receiver((_req, index) => ({ status: index === 0 ? 500 : 200 }));
    const bad = `whsec_${randomBytes(8).toString('base64')}`; // too short: a config error
    const message = applyMessage(1);
    // A secret that leaked into event data is masked in the body too.
    (message.event.data as { failures: { message: string }[] }).failures[0]!.message =
      `token ${secret} rejected`;
    const results = await deliverWebhooks(
      [message],
      [
        { url: `${hook.url()}?token=query-secret-value`, secret },
        { url: hook.url('/other'), secret: bad },
      ],
      fastOptions(),
    );
    expect(results[0]!.outcome).toBe('delivered');
    expect(results[0]!.endpoint).toBe(`${hook.url()}?token=***`);
    expect(results[1]).toMatchObject({ outcome: 'failed', attempts: 0 });
    expect(results[1]!.error).toMatch(/not a Standard Webhooks secret: it decodes to 8 bytes/);
    const everything = JSON.stringify(results) + hook.requests.map((r) => r.body).join('\n');
    for (const value of [secret, rawKey, bad, bad.slice(6), 'query-secret-value']) {
      expect(everything).not.toContain(value);
    }
    expect(hook.requests[0]!.path).toBe('/hook?token=query-secret-value');
    let thrown: unknown;
    try {
      assertWebhooksDelivered(results);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CxctlError);
    const text = `${(thrown as CxctlError).message} ${(thrown as CxctlError).hint}`;
    for (const value of [secret, rawKey, bad, bad.slice(6)]) expect(text).not.toContain(value);
  });

  it('sends URL user info as HTTP Basic credentials and masks it in results', async () => {
    const hook = await receiver();
    const url = hook.url().replace('http://', 'http://hooker:s3cr%40t-pass@');
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url, secret: newSecret() }],
      fastOptions(),
    );
    expect(results[0]).toMatchObject({
      outcome: 'delivered',
      endpoint: hook.url().replace('http://', 'http://***:***@'),
    });
    expect(hook.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('hooker:s3cr@t-pass').toString('base64')}`,
    );
    expect(JSON.stringify(results)).not.toContain('s3cr');
  });

  it('reports a malformed endpoint from untyped config as failed results', async () => {
    const endpoint = { url: 'https://hooks.example.com/x', secret: newSecret(), events: 'apply.*' };
    const results = await deliverWebhooks([applyMessage()], [endpoint as never], fastOptions());
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 0 });
    expect(results[0]!.error).toMatch(/`events` must list at least one event type/);
  });

  it('refuses plain http to a host that is not loopback, before any request', async () => {
    const results = await deliverWebhooks(
      [applyMessage()],
      [{ url: 'http://hooks.example.com/cxctl', secret: newSecret() }],
      fastOptions(),
    );
    expect(results[0]).toMatchObject({ outcome: 'failed', attempts: 0, status: null });
    expect(results[0]!.error).toMatch(/plain http:\/\/ is refused for a host that is not loopback/);
  });
});

describe('validateWebhookEndpoints', () => {
  const secret = newSecret();
  const invalid: [string, object, RegExp][] = [
    ['plain http off loopback', { url: 'http://10.1.2.3/h', secret }, /plain http:\/\/ is refused/],
    ['a relative URL', { url: '/hook', secret }, /not an absolute http\(s\) URL/],
    ['another scheme', { url: 'ftp://example.com/x', secret }, /scheme must be https, not ftp/],
    [
      'an unknown event',
      { url: 'https://example.com/h', secret, events: ['apply.done'] },
      /unknown event type "apply.done"/,
    ],
    [
      'an empty event list',
      { url: 'https://example.com/h', secret, events: [] },
      /at least one event type/,
    ],
    [
      'a secret without prefix',
      { url: 'https://example.com/h', secret: secret.slice(6) },
      /does not start with "whsec_"/,
    ],
    [
      'a secret that is not base64',
      { url: 'https://example.com/h', secret: 'whsec_not*base64!!' },
      /not standard base64/,
    ],
  ];
  for (const [name, endpoint, message] of invalid) {
    it(`rejects ${name} with one clear sentence and no secret`, () => {
      let thrown: unknown;
      try {
        validateWebhookEndpoints([endpoint as never]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CxctlError);
      const error = thrown as CxctlError;
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/^webhook 1 \(|^The secret of webhook 1/);
      expect(`${error.message}${error.hint}`).not.toContain(secret.slice(6));
    });
  }

  it('accepts https anywhere, http on loopback, and wildcards', () => {
    expect(() =>
      validateWebhookEndpoints([
        { url: 'https://hooks.example.com/cxctl', secret, events: ['apply.*', 'drift.detected'] },
        { url: 'http://localhost:8080/h', secret },
        { url: 'http://127.0.0.2/h', secret, events: ['*'] },
        { url: 'http://[::1]:9000/h', secret },
      ]),
    ).not.toThrow();
  });
});

describe('endpoint helpers', () => {
  it('matches filters exactly, by prefix wildcard, or all', () => {
    expect(endpointWants({}, 'drift.detected')).toBe(true);
    expect(endpointWants({ events: ['apply.*'] }, 'apply.failed')).toBe(true);
    expect(endpointWants({ events: ['apply.*'] }, 'drift.detected')).toBe(false);
    expect(endpointWants({ events: ['compliance.*'] }, 'compliance.rule.changed')).toBe(true);
    expect(endpointWants({ events: ['apply.failed'] }, 'apply.completed')).toBe(false);
    expect(endpointWants({ events: ['*'] }, 'apply.completed')).toBe(true);
  });

  it('reads WEBHOOK_URL and WEBHOOK_SECRET together or not at all', () => {
    const secret = newSecret();
    expect(webhookEndpointFromEnv({})).toBeUndefined();
    expect(
      webhookEndpointFromEnv({ WEBHOOK_URL: 'https://h.example.com/x', WEBHOOK_SECRET: secret }),
    ).toEqual({
      url: 'https://h.example.com/x',
      secret,
    });
    expect(() => webhookEndpointFromEnv({ WEBHOOK_SECRET: secret })).toThrow(
      'WEBHOOK_SECRET is set but WEBHOOK_URL is not.',
    );
    expect(() => webhookEndpointFromEnv({ WEBHOOK_URL: 'https://h.example.com/x' })).toThrow(
      'WEBHOOK_URL is set but WEBHOOK_SECRET is not.',
    );
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('2026-03-03T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Tue, 03 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 03 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('summarises and, in strict mode, throws only when something was not delivered', () => {
    const ok: DeliveryResult = {
      endpoint: 'https://h.example.com/x',
      event: 'apply.completed',
      webhookId: 'msg_1',
      attempts: 1,
      status: 200,
      outcome: 'delivered',
      latencyMs: 3,
    };
    const gone: DeliveryResult = {
      ...ok,
      status: 410,
      outcome: 'gone',
      error: 'endpoint gone (HTTP 410)',
    };
    expect(() => assertWebhooksDelivered([ok])).not.toThrow();
    expect(() => assertWebhooksDelivered([ok, gone])).toThrow(
      /1 of 2 webhook deliveries failed \(--strict-webhooks\): apply.completed to https:\/\/h.example.com\/x: endpoint gone/,
    );
    expect(summarizeDeliveries([ok, gone])).toBe(
      'webhooks: 1 delivered, 0 failed, 1 to gone endpoints',
    );
  });
});
