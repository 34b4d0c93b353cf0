import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import { closedPort, Receiver, type ReceivedRequest } from '../notify/helpers.js';
import { ApplyHarness, codesManifest, rulesYaml } from './applyHarness.js';

let h: ApplyHarness;
const receivers: Receiver[] = [];
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.reset();
});
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function receiver(script?: Parameters<typeof Receiver.start>[0]): Promise<Receiver> {
  const started = await Receiver.start(script);
  receivers.push(started);
  return started;
}

/** Verify with the independent standardwebhooks package; returns the payload. */
function verified(request: ReceivedRequest): { type: string; data: Record<string, unknown> } {
  return new Webhook(SECRET).verify(request.body, {
    'webhook-id': request.headers['webhook-id'] ?? '',
    'webhook-timestamp': request.headers['webhook-timestamp'] ?? '',
    'webhook-signature': request.headers['webhook-signature'] ?? '',
  }) as { type: string; data: Record<string, unknown> };
}

const MANIFEST = `${codesManifest([['AA']])}${rulesYaml([{ name: 'US hours', jurisdiction: 'US-FCC' }])}`;

describe('cxctl apply: webhooks', () => {
  it('sends compliance.rule.changed per rule, then apply.completed, signed and verifiable', async () => {
    const hook = await receiver();
    const root = h.project({ 'manifests/all.yaml': MANIFEST });
    const run = await h.run(['apply', '--auto-approve', '--format', 'json', ...h.targetArgs()], {
      cwd: root,
      env: h.env({ WEBHOOK_URL: hook.url(), WEBHOOK_SECRET: SECRET }),
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReport;
    expect(hook.requests.map((r) => r.headers['x-webhook-source'])).toEqual(['cxctl', 'cxctl']);
    const [ruleEvent, applyEvent] = hook.requests.map(verified);
    const rule = h.sim.state().complianceRules[0] as { id: string; campaignId: string };
    expect(ruleEvent).toMatchObject({
      type: 'compliance.rule.changed',
      data: {
        action: 'created',
        ruleId: rule.id,
        campaignId: rule.campaignId,
        campaignName: 'Spring Renewals',
        jurisdiction: 'US-FCC',
        ruleName: 'US hours',
        planDigest: report.planDigest,
        target: h.sim.url,
      },
    });
    expect(applyEvent).toMatchObject({
      type: 'apply.completed',
      data: {
        target: h.sim.url,
        planDigest: report.planDigest,
        counts: { created: 2, updated: 0, deleted: 0, failed: 0, skipped: 0 },
        ids: { complianceRule: { created: [rule.id] }, wrapUpCode: { created: ['wuc-000001'] } },
      },
    });
    expect(typeof applyEvent!.data.latencyMs).toBe('number');
    expect(report.webhooks.map((w) => [w.event, w.outcome])).toEqual([
      ['compliance.rule.changed', 'delivered'],
      ['apply.completed', 'delivered'],
    ]);
  });

  it('sends apply.failed with the failures when a change failed', async () => {
    const hook = await receiver();
    const root = h.project({ 'manifests/all.yaml': MANIFEST });
    h.sim.setFaults({ rules: [{ method: 'POST', path: '/rules$', status: 422 }] });
    const run = await h.run(['apply', '--auto-approve', ...h.targetArgs()], {
      cwd: root,
      env: h.env({ WEBHOOK_URL: hook.url(), WEBHOOK_SECRET: SECRET }),
    });
    expect(run.code).toBe(1);
    const events = hook.requests.map(verified);
    expect(events.map((e) => e.type)).toEqual(['apply.failed']);
    expect(events[0]!.data).toMatchObject({
      counts: { created: 1, failed: 1 },
      failures: [
        {
          kind: 'complianceRule',
          key: 'Spring Renewals/US hours',
          action: 'create',
          code: 'VALIDATION_FAILED',
        },
      ],
    });
  });

  it('never fails the apply when the receiver is down, slow, or answers 500', async () => {
    const down = `http://127.0.0.1:${await closedPort()}/hook`;
    const slow = await receiver(() => ({ status: 200, delayMs: 3_000 }));
    const failing = await receiver(() => ({ status: 500 }));
    for (const [name, url] of [
      ['down', down],
      ['slow', slow.url()],
      ['500', failing.url()],
    ] as const) {
      h.reset();
      const root = h.project({ 'manifests/all.yaml': MANIFEST, 'audit.jsonl': '' });
      const started = Date.now();
      const run = await h.run(
        [
          'apply',
          '--auto-approve',
          '--webhook-timeout',
          '1',
          '--audit-log',
          'audit.jsonl',
          ...h.targetArgs(),
        ],
        { cwd: root, env: h.env({ WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET }) },
      );
      expect(run.code, name).toBe(0);
      expect(Date.now() - started, name).toBeLessThan(8_000);
      expect(run.stdout, name).toContain('Apply complete: 2 created');
      expect(run.stdout, name).toMatch(
        /Webhooks: \d of 2 deliveries failed \(the changes stay applied\)/,
      );
      const audit = readFileSync(join(root, 'audit.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { record: string; outcome: string });
      expect(
        audit.filter((r) => r.record === 'webhook').map((r) => r.outcome),
        name,
      ).toContain('failed');
      expect(h.sim.state().wrapUpCodes, name).toHaveLength(1);
    }
    expect(failing.requests.length).toBeGreaterThan(1);
    expect(failing.requests.every((r) => verified(r).type !== '')).toBe(true);
  });

  it('--strict-webhooks turns a failed delivery into exit 1, after the writes', async () => {
    const failing = await receiver(() => ({ status: 500 }));
    const root = h.project({ 'manifests/all.yaml': MANIFEST });
    const run = await h.run(
      ['apply', '--auto-approve', '--strict-webhooks', '--webhook-timeout', '1', ...h.targetArgs()],
      { cwd: root, env: h.env({ WEBHOOK_URL: failing.url(), WEBHOOK_SECRET: SECRET }) },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Apply complete: 2 created');
    expect(run.stderr).toMatch(/error: \d of 2 webhook deliveries failed \(--strict-webhooks\)/);
    expect(run.stderr).toContain('The changes were applied');
    expect(h.sim.state().wrapUpCodes).toHaveLength(1);
    expect(h.sim.state().complianceRules).toHaveLength(1);
  });
});

describe('cxctl apply: secrets', () => {
  it('never shows the client secret, a bearer token or the webhook secret anywhere', async () => {
    const hook = await receiver();
    const root = h.project({ 'manifests/all.yaml': MANIFEST });
    // A failing write and a retried one, so error paths print too.
    h.sim.setFaults({
      rules: [
        { method: 'POST', path: '/rules$', status: 422, times: 1 },
        { method: 'POST', path: 'wrap-up-codes$', status: 503, times: 1 },
      ],
    });
    const outputs: string[] = [];
    for (const format of ['text', 'json']) {
      const run = await h.run(
        [
          'apply',
          '--auto-approve',
          '--format',
          format,
          '--audit-log',
          'audit.jsonl',
          '--log-level',
          'debug',
          ...h.targetArgs(),
        ],
        { cwd: root, env: h.env({ WEBHOOK_URL: hook.url(), WEBHOOK_SECRET: SECRET }) },
      );
      outputs.push(run.stdout, run.stderr);
    }
    outputs.push(readFileSync(join(root, 'audit.jsonl'), 'utf8'));
    outputs.push(...hook.requests.map((r) => r.body));
    const secretBody = SECRET.slice('whsec_'.length);
    const tokens = h.sim.requests({ entries: true }).entries?.length ?? 0;
    expect(tokens).toBeGreaterThan(0);
    for (const text of outputs) {
      expect(text).not.toContain(h.sim.clientSecret);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(secretBody);
      expect(text).not.toMatch(/\bsim_[A-Za-z0-9_-]{8,}/);
      expect(text).not.toMatch(/Bearer\s+(?!\*\*\*)\S/);
    }
    expect(outputs.join('')).toContain('failed');
  });
});
