/**
 * `cxctl apply` against the limits: a Retry-After far beyond the retry budget fails that write at
 * once while the rest are applied, and the audit log and metrics keep server round trips
 * (`latencyMs`) apart from waits on cxctl's own rate limit (`queuedMs`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import { ApplyHarness, codesManifest, seedCode } from './applyHarness.js';

let h: ApplyHarness;
beforeAll(async () => {
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.reset();
});

const CODES = Array.from({ length: 12 }, (_, i) => `C${String(i).padStart(2, '0')}`);

function auditRecords(root: string): Record<string, unknown>[] {
  return readFileSync(join(root, 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('cxctl apply: bounded waits and limiter time', () => {
  it('fails the write that is told to wait 600 s at once, applies the rest and reports it', async () => {
    h.reset({ wrapUpCodes: CODES.map((code) => seedCode(code, { duration: 60 })) });
    h.sim.setFaults({ rules: [{ method: 'PUT', status: 429, retryAfter: 600, times: 1 }] });
    const root = h.project({
      'manifests/codes.yaml': codesManifest(CODES.map((code) => [code, { duration: 61 }])),
    });
    const run = await h.run(['apply', '--auto-approve', '--format', 'json', ...h.targetArgs()], {
      cwd: root,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ApplyReport;
    expect(report.counts).toMatchObject({ updated: CODES.length - 1, failed: 1 });
    expect(run.stdout + run.stderr).toMatch(/the server asked to wait 600\.0 s \(Retry-After\)/);
    const live = h.sim.state().wrapUpCodes.filter((c) => c.duration === 61);
    expect(live).toHaveLength(CODES.length - 1);
  });

  it('records the round trip as latencyMs and the wait on --rate-limit as queuedMs', async () => {
    h.reset({ wrapUpCodes: CODES.map((code) => seedCode(code, { duration: 60 })) });
    const root = h.project({
      'manifests/codes.yaml': codesManifest(CODES.map((code) => [code, { duration: 61 }])),
    });
    const run = await h.run(
      [
        'apply',
        '--auto-approve',
        '--format',
        'json',
        '--audit-log',
        'audit.jsonl',
        '--target',
        h.sim.url,
        '--rate-limit',
        '4',
      ],
      { cwd: root },
    );
    expect(run.code).toBe(0);
    const writes = auditRecords(root).filter((r) => r.record === 'write');
    expect(writes).toHaveLength(CODES.length);
    const queued = writes.map((r) => r.queuedMs as number);
    const latency = writes.map((r) => r.latencyMs as number);
    // 12 writes at 4/s after the reads have spent the burst: apply hands the client at most
    // --concurrency (4) writes at a time, so each waits up to a second for its token (about ten
    // seconds in all), while each round trip to the loopback simulator stays short.
    const totalQueued = queued.reduce((sum, ms) => sum + ms, 0);
    expect(totalQueued).toBeGreaterThan(4_000);
    expect(Math.max(...queued)).toBeGreaterThan(500);
    expect(Math.max(...latency)).toBeLessThan(Math.max(...queued));
    const report = JSON.parse(run.stdout) as ApplyReport;
    expect(report.metrics.total.queued.maxMs).toBeGreaterThan(500);
    expect(report.metrics.total.latency.avgMs).toBeLessThan(report.metrics.total.queued.avgMs!);
  });
});
