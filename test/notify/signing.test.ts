import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { CxctlError } from '../../src/errors.js';
import { redact } from '../../src/secrets.js';
import { deriveWebhookId, parseWebhookSecret, signedHeaders } from '../../src/notify/signing.js';

describe('Standard Webhooks signing', () => {
  it('matches the independent implementation for the same id, time and body', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const key = parseWebhookSecret(secret);
    const body = JSON.stringify({
      type: 'apply.completed',
      timestamp: '2026-03-03T01:30:00.000Z',
      data: { n: 1 },
    });
    const seconds = 1_772_501_400;
    const ours = key.sign('msg_abc', seconds, body);
    expect(ours).toBe(new Webhook(secret).sign('msg_abc', new Date(seconds * 1000), body));
  });

  it('produces headers that the independent implementation verifies, and rejects a changed body', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const key = parseWebhookSecret(secret);
    const body = '{"type":"drift.detected","data":{"é":"ü"}}';
    const headers = signedHeaders(key, 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
  });

  it('reproduces the Standard Webhooks reference example', () => {
    // From the reference libraries' test suite: secret, id, timestamp and payload -> signature.
    const key = parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(key.sign('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  const bad: [string, string, RegExp][] = [
    ['an empty value', '', /it is empty/],
    ['a missing prefix', randomBytes(32).toString('base64'), /does not start with "whsec_"/],
    ['a non-base64 body', 'whsec_abc$def%ghi^jkl&mno*pqr(stu)vwx', /is not standard base64/],
    ['a URL-safe body', `whsec_${'-_'.repeat(20)}`, /is not standard base64/],
    ['a short key', `whsec_${randomBytes(16).toString('base64')}`, /decodes to 16 bytes/],
    ['a long key', `whsec_${randomBytes(65).toString('base64')}`, /decodes to 65 bytes/],
  ];
  for (const [name, secret, message] of bad) {
    it(`rejects ${name} without printing it`, () => {
      let thrown: unknown;
      try {
        parseWebhookSecret(secret, 'webhook 2 (https://hooks.example.com/x)');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CxctlError);
      const error = thrown as CxctlError;
      expect(error.code).toBe('WEBHOOK_SECRET_INVALID');
      expect(error.message).toMatch(
        /^The secret of webhook 2 \(https:\/\/hooks.example.com\/x\) is not a Standard Webhooks secret: /,
      );
      expect(error.message).toMatch(message);
      const printed = `${error.message} ${error.hint ?? ''} ${inspect(error)}`;
      if (secret.length >= 4) expect(printed).not.toContain(secret);
      if (secret.length > 10) expect(printed).not.toContain(secret.replace(/^whsec_/, ''));
    });
  }

  it('registers a parsed secret and its base64 body with the redactor', () => {
    const body = randomBytes(32).toString('base64');
    parseWebhookSecret(`whsec_${body}`);
    expect(redact(`key=${body}`)).toBe('key=***');
    expect(redact(`raw whsec_${body} here`)).not.toContain(body);
  });

  it('keeps the key out of JSON, string and inspect output', () => {
    const body = randomBytes(32).toString('base64');
    const key = parseWebhookSecret(`whsec_${body}`);
    const hex = Buffer.from(body, 'base64').toString('hex');
    for (const text of [JSON.stringify({ key }), String(key), inspect(key, { showHidden: true })]) {
      expect(text).toContain('[webhook signing key]');
      expect(text).not.toContain(body);
      expect(text).not.toContain(hex);
    }
  });
});

describe('deriveWebhookId', () => {
  it('is deterministic, spec-safe, and distinct per type, basis and subject', () => {
    const id = deriveWebhookId('apply.completed', 'digest-1');
    expect(id).toBe(deriveWebhookId('apply.completed', 'digest-1'));
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    const others = [
      deriveWebhookId('apply.failed', 'digest-1'),
      deriveWebhookId('apply.completed', 'digest-2'),
      deriveWebhookId('apply.completed', 'digest-1', 'x'),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });
});
