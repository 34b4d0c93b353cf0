import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MetricsCollector,
  nearestRankPercentile,
  writeMetricsFile,
} from '../../src/notify/metrics.js';
import { parsePrometheusText } from './helpers.js';

describe('nearestRankPercentile', () => {
  it('takes the value at rank ceil(p * n) of the sorted samples', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i); // 20..1, unsorted
    expect(nearestRankPercentile(values, 95)).toBe(19); // rank ceil(19) = 19
    expect(nearestRankPercentile(values, 50)).toBe(10);
    expect(nearestRankPercentile(values, 100)).toBe(20);
    expect(nearestRankPercentile([15, 20, 35, 40, 50], 95)).toBe(50); // rank ceil(4.75) = 5
    expect(nearestRankPercentile([15, 20, 35, 40, 50], 40)).toBe(20); // rank 2
    expect(nearestRankPercentile([7], 95)).toBe(7);
    expect(nearestRankPercentile([], 95)).toBeNull();
    // 101 samples 1..101: rank ceil(95.95) = 96.
    expect(
      nearestRankPercentile(
        Array.from({ length: 101 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(96);
  });
});

function sampleRun(): MetricsCollector {
  const metrics = new MetricsCollector({
    kinds: ['complianceRule', 'wrapUpCode'],
    clock: { now: () => 1_772_501_400_000 },
  });
  // wrapUpCode: latencies 10..100 ms (10 samples), 2 failures of which 1 conflict.
  for (let i = 1; i <= 10; i++) {
    metrics.recordOperation({
      kind: 'wrapUpCode',
      outcome: i === 9 ? 'failed' : i === 10 ? 'conflict' : 'success',
      latencyMs: i * 10,
      retries: i === 3 ? 2 : 0,
      rateLimited: i === 3 ? 1 : 0,
    });
  }
  metrics.recordOperation({ kind: 'wrapUpCode', outcome: 'skipped', latencyMs: 0 });
  metrics.recordOperation({
    kind: 'complianceRule',
    outcome: 'success',
    latencyMs: 250,
    retries: 1,
    rateLimited: 1,
  });
  metrics.recordValidation('wrapUpCode', 40, 2);
  metrics.recordValidation('complianceRule', 10, 0);
  return metrics;
}

describe('MetricsCollector', () => {
  it('computes per-kind and total figures', () => {
    const snapshot = sampleRun().snapshot();
    expect(snapshot.byKind.wrapUpCode).toEqual({
      operations: 10,
      successes: 8,
      failures: 2,
      conflicts: 1,
      skipped: 1,
      retries: 2,
      rateLimited: 1,
      latency: { count: 10, avgMs: 55, p95Ms: 100, maxMs: 100 },
      queued: { count: 10, avgMs: 0, p95Ms: 0, maxMs: 0 },
      validation: { objects: 40, violations: 2, rate: 0.05 },
    });
    expect(snapshot.total).toEqual({
      operations: 11,
      successes: 9,
      failures: 2,
      conflicts: 1,
      skipped: 1,
      retries: 3,
      rateLimited: 2,
      // (550 + 250) / 11; nearest-rank p95 of 11 samples is rank 11 = 250.
      latency: { count: 11, avgMs: 72.727, p95Ms: 250, maxMs: 250 },
      queued: { count: 11, avgMs: 0, p95Ms: 0, maxMs: 0 },
      validation: { objects: 50, violations: 2, rate: 0.04 },
    });
    expect(snapshot.webhooks).toEqual({ delivered: 0, failed: 0, gone: 0 });
  });

  it('reports nulls and a zero rate when nothing happened', () => {
    const { total, byKind } = new MetricsCollector().snapshot();
    expect(byKind).toEqual({});
    expect(total.latency).toEqual({ count: 0, avgMs: null, p95Ms: null, maxMs: null });
    expect(total.validation.rate).toBe(0);
    expect(new MetricsCollector().summaryLine()).toBe(
      'Metrics: 0 operations (0 succeeded, 0 failed), 0 retries, 0 rate-limited (429); latency n/a; validation: 0 violations in 0 objects (0.0%)',
    );
  });

  it('reports waits on the own limits apart from the round trips, in JSON, text and Prometheus', () => {
    const metrics = new MetricsCollector();
    metrics.recordOperation({
      kind: 'wrapUpCode',
      outcome: 'success',
      latencyMs: 40,
      queuedMs: 900,
    });
    metrics.recordOperation({
      kind: 'wrapUpCode',
      outcome: 'success',
      latencyMs: 60,
      queuedMs: 100,
    });
    const { total } = metrics.snapshot();
    expect(total.latency).toEqual({ count: 2, avgMs: 50, p95Ms: 60, maxMs: 60 });
    expect(total.queued).toEqual({ count: 2, avgMs: 500, p95Ms: 900, maxMs: 900 });
    expect(metrics.summaryLine()).toContain(
      'latency avg 50 ms, p95 60 ms; queued avg 500 ms, p95 900 ms;',
    );
    const text = metrics.toPrometheus({ endedAtMs: 0, durationMs: 1 });
    expect(text).toContain('# TYPE cxctl_operation_queued_seconds summary');
    expect(text).toContain('cxctl_operation_queued_seconds_sum{kind="wrapUpCode"} 1');
    expect(text).toContain('cxctl_operation_latency_seconds_sum{kind="wrapUpCode"} 0.1');
  });

  it('uses the singular for one', () => {
    const metrics = new MetricsCollector();
    metrics.recordOperation({ kind: 'wrapUpCode', outcome: 'success', latencyMs: 41, retries: 1 });
    metrics.recordValidation('wrapUpCode', 1, 1);
    expect(metrics.summaryLine()).toBe(
      'Metrics: 1 operation (1 succeeded, 0 failed), 1 retry, 0 rate-limited (429); latency avg 41 ms, p95 41 ms; validation: 1 violation in 1 object (100.0%)',
    );
  });

  it('serialises to JSON and summarises in one line', () => {
    const metrics = sampleRun();
    metrics.recordWebhooks([
      {
        endpoint: 'https://h.example.com',
        event: 'apply.failed',
        webhookId: 'msg_1',
        attempts: 1,
        status: 200,
        outcome: 'delivered',
        latencyMs: 5,
      },
      {
        endpoint: 'https://h2.example.com',
        event: 'apply.failed',
        webhookId: 'msg_1',
        attempts: 5,
        status: 500,
        outcome: 'failed',
        latencyMs: 900,
      },
    ]);
    expect(JSON.parse(JSON.stringify({ metrics }))).toEqual({ metrics: metrics.snapshot() });
    expect(metrics.summaryLine()).toBe(
      'Metrics: 11 operations (9 succeeded, 2 failed, 1 of them conflicts), 3 retries, 2 rate-limited (429), 1 skipped; latency avg 72.7 ms, p95 250 ms; validation: 2 violations in 50 objects (4.0%); webhooks: 1 delivered, 1 failed',
    );
  });
});

describe('Prometheus exposition', () => {
  it('is valid text format with cxctl_ names, _total counters, a summary and run gauges', () => {
    const metrics = sampleRun();
    const text = metrics.toPrometheus({
      labels: { command: 'apply', target: 'prod "eu"\\1\nx' },
      durationMs: 1500,
    });
    const { samples, types } = parsePrometheusText(text);
    for (const name of types.keys()) expect(name).toMatch(/^cxctl_/);
    expect(types.get('cxctl_operations_total')).toBe('counter');
    expect(types.get('cxctl_operation_latency_seconds')).toBe('summary');
    expect(types.get('cxctl_last_run_success')).toBe('gauge');

    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
    expect(value('cxctl_operations_total', { kind: 'wrapUpCode' })).toBe(10);
    expect(value('cxctl_operation_failures_total', { kind: 'wrapUpCode' })).toBe(2);
    expect(value('cxctl_rate_limited_total', { kind: 'complianceRule' })).toBe(1);
    expect(value('cxctl_validation_violation_ratio', { kind: 'wrapUpCode' })).toBe(0.05);
    expect(value('cxctl_operation_latency_seconds', { kind: 'wrapUpCode', quantile: '0.95' })).toBe(
      0.1,
    );
    expect(value('cxctl_operation_latency_seconds_sum', { kind: 'wrapUpCode' })).toBeCloseTo(
      0.55,
      9,
    );
    expect(value('cxctl_operation_latency_seconds_count', { kind: 'wrapUpCode' })).toBe(10);
    expect(value('cxctl_last_run_timestamp_seconds')).toBe(1_772_501_400);
    expect(value('cxctl_last_run_success')).toBe(0);
    expect(value('cxctl_last_run_duration_seconds')).toBe(1.5);
    // Constant labels on every sample, escaped and read back intact.
    expect(
      samples.every((s) => s.labels.command === 'apply' && s.labels.target === 'prod "eu"\\1\nx'),
    ).toBe(true);
  });

  it('exposes zero-valued series for declared kinds on a quiet run, and NaN quantiles', () => {
    const text = new MetricsCollector({ kinds: ['wrapUpCode'] }).toPrometheus({ success: true });
    const { samples } = parsePrometheusText(text);
    expect(samples.find((s) => s.name === 'cxctl_operations_total')).toEqual({
      name: 'cxctl_operations_total',
      labels: { kind: 'wrapUpCode' },
      value: 0,
    });
    expect(samples.find((s) => s.name === 'cxctl_operation_latency_seconds')!.value).toBeNaN();
    expect(samples.find((s) => s.name === 'cxctl_last_run_success')!.value).toBe(1);
  });

  it('the checker itself rejects malformed exposition', () => {
    const bad = [
      'cxctl_x_total 1\n', // no TYPE
      '# HELP cxctl_x_total x\n# TYPE cxctl_x_total counter\ncxctl_x_total one\n', // not a number
      '# HELP cxctl_x_total x\n# TYPE cxctl_x_total counter\ncxctl_x_total{kind="a} 1\n', // bad labels
      '# HELP cxctl_x x\n# TYPE cxctl_x counter\ncxctl_x 1\n', // counter without _total
      '# HELP 1bad x\n# TYPE 1bad gauge\n1bad 1\n', // bad name
      '# HELP cxctl_s x\n# TYPE cxctl_s summary\ncxctl_s 1\n', // summary sample without quantile
      '# HELP cxctl_g x\n# TYPE cxctl_g gauge\ncxctl_g 1', // no trailing newline
    ];
    for (const text of bad) expect(() => parsePrometheusText(text), text).toThrow();
  });

  it('rejects a constant label that would clash or is not a label name', () => {
    expect(() => new MetricsCollector().toPrometheus({ labels: { kind: 'x' } })).toThrow(
      /cannot be a metrics label name/,
    );
    expect(() => new MetricsCollector().toPrometheus({ labels: { 'bad-name': 'x' } })).toThrow(
      /cannot be a metrics label name/,
    );
  });
});

describe('writeMetricsFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxctl-metrics-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the file atomically and leaves no temporary file', async () => {
    const path = join(dir, 'cxctl.prom');
    await writeFile(path, 'old\n');
    const text = sampleRun().toPrometheus();
    await writeMetricsFile(path, text);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['cxctl.prom']);
  });

  it('fails with one clear sentence when the directory is missing', async () => {
    const path = join(dir, 'nope', 'cxctl.prom');
    await expect(writeMetricsFile(path, 'x\n')).rejects.toThrow(
      `Cannot write the metrics file ${path}: the directory does not exist.`,
    );
  });
});
