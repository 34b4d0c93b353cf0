import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CxctlError } from '../../src/errors.js';
import {
  AuditLog,
  buildApplyEvent,
  buildRuleChangedEvents,
  MetricsCollector,
  publishEvents,
} from '../../src/notify/index.js';
import { closedPort, Receiver, virtualClock } from './helpers.js';

const DIGEST = 'e'.repeat(64);
const context = { planDigest: DIGEST, target: 'embedded' };
const messages = () => [
  ...buildRuleChangedEvents(
    [
      {
        action: 'created',
        ruleId: 'r-1',
        campaignId: 'c-1',
        ruleName: 'US-FCC calling hours',
        jurisdiction: 'US-FCC',
      },
    ],
    context,
  ),
  buildApplyEvent({
    ...context,
    counts: { created: 1, updated: 0, deleted: 0, failed: 0, skipped: 0 },
    latencyMs: 10,
    ids: { complianceRule: { created: ['r-1'] } },
    failures: [],
  }),
];

let dir: string;
let receiver: Receiver;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxctl-publish-'));
  receiver = await Receiver.start();
});
afterEach(async () => {
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe('publishEvents', () => {
  it('delivers, audits and counts; a dead endpoint is reported, not thrown', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const deadSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const auditPath = join(dir, 'audit.jsonl');
    const audit = await AuditLog.open(auditPath);
    const metrics = new MetricsCollector();
    const dead = `http://127.0.0.1:${await closedPort()}/hook`;
    const results = await publishEvents(
      messages(),
      [
        { url: receiver.url(), secret },
        { url: dead, secret: deadSecret, events: ['apply.*'] },
      ],
      { audit, metrics, context, clock: virtualClock(), maxAttempts: 2 },
    );
    await audit.close();

    expect(results.map((r) => `${r.event} ${r.outcome}`)).toEqual([
      'compliance.rule.changed delivered',
      'apply.completed delivered',
      'apply.completed failed',
    ]);
    for (const request of receiver.requests) {
      expect(new Webhook(secret).verify(request.body, request.headers)).toBeTruthy();
    }
    const text = await readFile(auditPath, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(
      lines.every(
        (l) => l.record === 'webhook' && l.planDigest === DIGEST && l.target === 'embedded',
      ),
    ).toBe(true);
    expect(lines.find((l) => l.outcome === 'failed')).toMatchObject({
      endpoint: dead,
      attempts: 2,
      status: null,
    });
    for (const value of [secret, deadSecret, secret.slice(6), deadSecret.slice(6)])
      expect(text).not.toContain(value);
    expect(metrics.snapshot().webhooks).toEqual({ delivered: 2, failed: 1, gone: 0 });
  });

  it('in strict mode throws after delivering and auditing everything', async () => {
    const auditPath = join(dir, 'audit.jsonl');
    const audit = await AuditLog.open(auditPath);
    const failing = await Receiver.start(() => ({ status: 400 }));
    try {
      const publish = publishEvents(
        messages(),
        [
          { url: failing.url(), secret: `whsec_${randomBytes(32).toString('base64')}` },
          { url: receiver.url(), secret: `whsec_${randomBytes(32).toString('base64')}` },
        ],
        { audit, context, strict: true, clock: virtualClock() },
      );
      await expect(publish).rejects.toBeInstanceOf(CxctlError);
      await expect(publish).rejects.toThrow(
        /2 of 4 webhook deliveries failed \(--strict-webhooks\)/,
      );
    } finally {
      await failing.close();
      await audit.close();
    }
    expect(receiver.requests).toHaveLength(2);
    expect((await readFile(auditPath, 'utf8')).trim().split('\n')).toHaveLength(4);
  });

  it('does nothing without endpoints or messages', async () => {
    expect(await publishEvents(messages(), [])).toEqual([]);
    expect(await publishEvents([], [{ url: receiver.url(), secret: 'whsec_x' }])).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });
});
