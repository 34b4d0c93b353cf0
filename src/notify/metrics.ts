/**
 * Run metrics: counts, retries, 429s, validation violations and write latency, per kind and in
 * total, rendered as JSON (`--format json`), as a summary line, and in the Prometheus text
 * exposition format 0.0.4 (`--metrics-file FILE`, for node_exporter's textfile collector).
 * Definitions are in docs/metrics.md.
 */
import { CxctlError } from '../errors.js';
import { writeFailureReason, writeTextAtomicallyAsync } from '../io/atomicWrite.js';
import { redact } from '../secrets.js';
import { systemClock, type Clock } from './clock.js';
import type { WriteOutcome } from './audit.js';
import type { DeliveryOutcome, DeliveryResult } from './webhooks.js';

/** One executed (or skipped) write, as the apply executor reports it. */
export interface OperationSample {
  kind: string;
  /** `conflict` and `failed` both count as failures; `skipped` is not an operation. */
  outcome: WriteOutcome;
  /** Server round trips of every attempt (cxctl's own limiter waits and retry waits excluded). */
  latencyMs: number;
  /** Time the write waited on cxctl's own concurrency and rate limits (default 0). */
  queuedMs?: number;
  /** Attempts beyond the first (default 0). */
  retries?: number;
  /** 429 responses received along the way (default 0). */
  rateLimited?: number;
}

/** What `cxctl drift` found for one kind. */
export interface DriftSample {
  drifted: number;
  missing: number;
  unmanaged: number;
}

/** Latency figures in milliseconds; null when nothing was measured. */
export interface LatencyStats {
  count: number;
  avgMs: number | null;
  /** Nearest-rank 95th percentile: the value at rank ceil(0.95 * count) of the sorted samples. */
  p95Ms: number | null;
  maxMs: number | null;
}

/** Validation figures: `rate` = violations / objects (0 when no object was validated). */
export interface ValidationStats {
  objects: number;
  violations: number;
  rate: number;
}

/** Counters of one kind, or of all kinds together. */
export interface MetricsGroup {
  /** Writes executed: successes + failures. */
  operations: number;
  successes: number;
  /** Failed writes, conflicts included. */
  failures: number;
  /** 412s: someone else changed the object since it was read. */
  conflicts: number;
  /** Changes not attempted. */
  skipped: number;
  retries: number;
  /** 429 responses. */
  rateLimited: number;
  /** Server round trips per write. */
  latency: LatencyStats;
  /** Waits on cxctl's own concurrency and rate limits per write. */
  queued: LatencyStats;
  validation: ValidationStats;
}

/** The `metrics` object of `--format json`. */
export interface MetricsSnapshot {
  total: MetricsGroup;
  /** Per kind, keys sorted. */
  byKind: Record<string, MetricsGroup>;
  webhooks: Record<DeliveryOutcome, number>;
}

/** Options of {@link MetricsCollector.toPrometheus}. */
export interface PrometheusOptions {
  /** Labels added to every sample, e.g. `{command: "apply", target: "prod"}`. */
  labels?: Readonly<Record<string, string>>;
  /** Whether the run succeeded (default: no failures). */
  success?: boolean;
  /** When the run ended, epoch ms (default: the collector's clock now). */
  endedAtMs?: number;
  /** How long the run took, ms (default: since the collector was created). */
  durationMs?: number;
}

interface MutableGroup {
  successes: number;
  failures: number;
  conflicts: number;
  skipped: number;
  retries: number;
  rateLimited: number;
  latencies: number[];
  queued: number[];
  validatedObjects: number;
  violations: number;
}

const emptyGroup = (): MutableGroup => ({
  successes: 0,
  failures: 0,
  conflicts: 0,
  skipped: 0,
  retries: 0,
  rateLimited: 0,
  latencies: [],
  queued: [],
  validatedObjects: 0,
  violations: 0,
});

/** Collects the metrics of one command run. Not shared between runs. */
export class MetricsCollector {
  private readonly groups = new Map<string, MutableGroup>();
  private readonly webhooks: Record<DeliveryOutcome, number> = {
    delivered: 0,
    failed: 0,
    gone: 0,
  };
  private readonly clock: Pick<Clock, 'now'>;
  private readonly startedAtMs: number;
  private readonly drift = new Map<string, DriftSample>();

  /**
   * @param options.kinds kinds to report even when nothing happened to them, so a scheduled job's
   *   series exist (as 0) on a quiet run.
   */
  constructor(options: { kinds?: readonly string[]; clock?: Pick<Clock, 'now'> } = {}) {
    this.clock = options.clock ?? systemClock;
    this.startedAtMs = this.clock.now();
    for (const kind of options.kinds ?? []) this.group(kind);
  }

  /** Count one write (or a skipped change). */
  recordOperation(sample: OperationSample): void {
    const group = this.group(sample.kind);
    group.retries += nonNegative(sample.retries);
    group.rateLimited += nonNegative(sample.rateLimited);
    if (sample.outcome === 'skipped') {
      group.skipped += 1;
      return;
    }
    if (sample.outcome === 'success') group.successes += 1;
    else group.failures += 1;
    if (sample.outcome === 'conflict') group.conflicts += 1;
    group.latencies.push(nonNegative(sample.latencyMs));
    group.queued.push(nonNegative(sample.queuedMs));
  }

  /** Count validation of `objects` objects of `kind` that produced `violations` violations. */
  recordValidation(kind: string, objects: number, violations: number): void {
    const group = this.group(kind);
    group.validatedObjects += nonNegative(objects);
    group.violations += nonNegative(violations);
  }

  /**
   * Record what `cxctl drift` found for `kind` (replaces an earlier record of the kind). Exported
   * as the gauge `cxctl_drift_objects{kind, state}` once any kind is recorded.
   */
  recordDrift(kind: string, sample: DriftSample): void {
    this.drift.set(kind, {
      drifted: nonNegative(sample.drifted),
      missing: nonNegative(sample.missing),
      unmanaged: nonNegative(sample.unmanaged),
    });
  }

  /** Count webhook delivery outcomes. */
  recordWebhooks(results: readonly DeliveryResult[]): void {
    for (const result of results) this.webhooks[result.outcome] += 1;
  }

  /** Everything collected so far, computed. */
  snapshot(): MetricsSnapshot {
    const kinds = [...this.groups.keys()].sort(compare);
    const byKind: Record<string, MetricsGroup> = {};
    const all = emptyGroup();
    for (const kind of kinds) {
      const group = this.groups.get(kind)!;
      byKind[kind] = finish(group);
      all.successes += group.successes;
      all.failures += group.failures;
      all.conflicts += group.conflicts;
      all.skipped += group.skipped;
      all.retries += group.retries;
      all.rateLimited += group.rateLimited;
      all.latencies.push(...group.latencies);
      all.queued.push(...group.queued);
      all.validatedObjects += group.validatedObjects;
      all.violations += group.violations;
    }
    return { total: finish(all), byKind, webhooks: { ...this.webhooks } };
  }

  /** The snapshot, for `JSON.stringify` (`--format json`). */
  toJSON(): MetricsSnapshot {
    return this.snapshot();
  }

  /**
   * One line for the text summary, e.g.
   * `Metrics: 12 operations (11 succeeded, 1 failed), 3 retries, 2 rate-limited (429);
   * latency avg 41.2 ms, p95 88 ms; validation: 0 violations in 40 objects (0.0%)`.
   */
  summaryLine(): string {
    const { total, webhooks } = this.snapshot();
    const latency =
      total.latency.count === 0
        ? 'latency n/a'
        : `latency avg ${formatMs(total.latency.avgMs!)}, p95 ${formatMs(total.latency.p95Ms!)}` +
          // Waiting on cxctl's own limits is shown only when there was any.
          (total.queued.maxMs! > 0
            ? `; queued avg ${formatMs(total.queued.avgMs!)}, p95 ${formatMs(total.queued.p95Ms!)}`
            : '');
    const failed =
      total.conflicts > 0
        ? `${total.failures} failed, ${total.conflicts} of them conflicts`
        : `${total.failures} failed`;
    const parts = [
      `Metrics: ${count(total.operations, 'operation')} (${total.successes} succeeded, ${failed})`,
      `${count(total.retries, 'retry', 'retries')}, ${total.rateLimited} rate-limited (429)`,
    ];
    if (total.skipped > 0) parts.push(`${total.skipped} skipped`);
    const webhookTotal = webhooks.delivered + webhooks.failed + webhooks.gone;
    const tail = [
      latency,
      `validation: ${count(total.validation.violations, 'violation')} in ${count(total.validation.objects, 'object')} (${(total.validation.rate * 100).toFixed(1)}%)`,
    ];
    if (webhookTotal > 0) {
      tail.push(
        `webhooks: ${webhooks.delivered} delivered, ${webhooks.failed + webhooks.gone} failed`,
      );
    }
    return `${parts.join(', ')}; ${tail.join('; ')}`;
  }

  /** The metrics in the Prometheus text exposition format 0.0.4 (see docs/metrics.md). */
  toPrometheus(options: PrometheusOptions = {}): string {
    const snapshot = this.snapshot();
    const constant = options.labels ?? {};
    for (const name of Object.keys(constant)) {
      if (
        !LABEL_NAME.test(name) ||
        name.startsWith('__') ||
        name === 'kind' ||
        name === 'quantile' ||
        name === 'outcome' ||
        name === 'state'
      ) {
        throw new CxctlError('METRICS_LABEL_INVALID', `"${name}" cannot be a metrics label name.`, {
          source: 'tool',
        });
      }
    }
    const out: string[] = [];
    const family = (name: string, type: string, help: string, samples: string[]): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    const sample = (name: string, labels: Record<string, string>, value: number): string =>
      `${name}${formatLabels({ ...constant, ...labels })} ${formatValue(value)}`;
    const kinds = Object.entries(snapshot.byKind);
    // One counter or gauge per kind: name, type, help, value.
    const perKindFamilies: [string, string, string, (g: MetricsGroup) => number][] = [
      [
        'cxctl_operations_total',
        'counter',
        'Writes executed against the CXone API in this run.',
        (g) => g.operations,
      ],
      ['cxctl_operation_successes_total', 'counter', 'Writes that succeeded.', (g) => g.successes],
      [
        'cxctl_operation_failures_total',
        'counter',
        'Writes that failed, conflicts included.',
        (g) => g.failures,
      ],
      [
        'cxctl_operation_conflicts_total',
        'counter',
        'Writes refused with 412 because the object changed since it was read.',
        (g) => g.conflicts,
      ],
      [
        'cxctl_operations_skipped_total',
        'counter',
        'Planned changes not attempted.',
        (g) => g.skipped,
      ],
      ['cxctl_retries_total', 'counter', 'Request attempts beyond the first.', (g) => g.retries],
      ['cxctl_rate_limited_total', 'counter', 'HTTP 429 responses received.', (g) => g.rateLimited],
      [
        'cxctl_validation_objects_total',
        'counter',
        'Objects validated.',
        (g) => g.validation.objects,
      ],
      [
        'cxctl_validation_violations_total',
        'counter',
        'Validation violations found.',
        (g) => g.validation.violations,
      ],
      [
        'cxctl_validation_violation_ratio',
        'gauge',
        'Validation violations per validated object.',
        (g) => g.validation.rate,
      ],
    ];
    for (const [name, type, help, pick] of perKindFamilies) {
      family(
        name,
        type,
        help,
        kinds.map(([kind, group]) => sample(name, { kind }, pick(group))),
      );
    }
    const summary = (name: string, help: string, which: 'latency' | 'queued'): void => {
      const samples: string[] = [];
      for (const [kind, group] of kinds) {
        const raw =
          which === 'latency' ? this.groups.get(kind)!.latencies : this.groups.get(kind)!.queued;
        const p95 = group[which].p95Ms;
        samples.push(
          sample(name, { kind, quantile: '0.95' }, p95 === null ? Number.NaN : p95 / 1000),
          sample(`${name}_sum`, { kind }, raw.reduce((a, b) => a + b, 0) / 1000),
          sample(`${name}_count`, { kind }, raw.length),
        );
      }
      family(name, 'summary', help, samples);
    };
    summary(
      'cxctl_operation_latency_seconds',
      "Server round trips per write, every attempt's included; waits on cxctl's own limits and between retries are not. Quantile 0.95 is nearest-rank.",
      'latency',
    );
    summary(
      'cxctl_operation_queued_seconds',
      "Time per write spent waiting on cxctl's own concurrency and rate limits. Quantile 0.95 is nearest-rank.",
      'queued',
    );
    if (this.drift.size > 0) {
      const driftSamples: string[] = [];
      for (const [kind, counts] of [...this.drift].sort(([a], [b]) => compare(a, b))) {
        for (const state of ['drifted', 'missing', 'unmanaged'] as const) {
          driftSamples.push(sample('cxctl_drift_objects', { kind, state }, counts[state]));
        }
      }
      family(
        'cxctl_drift_objects',
        'gauge',
        'Objects that differ from the manifests: drifted (changed live), missing (declared, absent live), unmanaged (live, in scope, not declared).',
        driftSamples,
      );
    }
    family(
      'cxctl_webhook_deliveries_total',
      'counter',
      'Webhook deliveries by outcome.',
      (['delivered', 'failed', 'gone'] as const).map((outcome) =>
        sample('cxctl_webhook_deliveries_total', { outcome }, snapshot.webhooks[outcome]),
      ),
    );
    const endedAt = options.endedAtMs ?? this.clock.now();
    const success = options.success ?? snapshot.total.failures === 0;
    const duration = options.durationMs ?? endedAt - this.startedAtMs;
    family('cxctl_last_run_timestamp_seconds', 'gauge', 'When the run ended, unix seconds.', [
      sample('cxctl_last_run_timestamp_seconds', {}, Math.floor(endedAt / 1000)),
    ]);
    family('cxctl_last_run_success', 'gauge', '1 if the run succeeded, else 0.', [
      sample('cxctl_last_run_success', {}, success ? 1 : 0),
    ]);
    family('cxctl_last_run_duration_seconds', 'gauge', 'How long the run took, seconds.', [
      sample('cxctl_last_run_duration_seconds', {}, Math.max(0, duration) / 1000),
    ]);
    return `${out.join('\n')}\n`;
  }

  private group(kind: string): MutableGroup {
    let group = this.groups.get(kind);
    if (group === undefined) {
      group = emptyGroup();
      this.groups.set(kind, group);
    }
    return group;
  }
}

/**
 * Nearest-rank percentile (`p` in (0, 100]) of `values`: sort ascending, take the value at
 * 1-based rank ceil(p/100 * n). Returns null for no values. Always one of the samples, never an
 * interpolation.
 */
export function nearestRankPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Write the metrics file atomically (src/io/atomicWrite.ts), so the textfile collector never
 * scrapes a half-written file; the temporary name does not end in `.prom`.
 *
 * @throws CxctlError `METRICS_FILE_WRITE_FAILED`.
 */
export async function writeMetricsFile(path: string, text: string): Promise<void> {
  try {
    await writeTextAtomicallyAsync(path, text);
  } catch (error) {
    throw new CxctlError(
      'METRICS_FILE_WRITE_FAILED',
      `Cannot write the metrics file ${path}: ${writeFailureReason(error)}.`,
      {
        hint: 'Check that the directory exists and is writable.',
        cause: error,
      },
    );
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Count, mean, nearest-rank p95 and maximum of `values` (ms). */
function stats(values: number[]): LatencyStats {
  const count = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    count,
    avgMs: count === 0 ? null : round(sum / count, 3),
    p95Ms: nearestRankPercentile(values, 95),
    maxMs: count === 0 ? null : values.reduce((a, b) => Math.max(a, b), 0),
  };
}

function finish(group: MutableGroup): MetricsGroup {
  return {
    operations: group.successes + group.failures,
    successes: group.successes,
    failures: group.failures,
    conflicts: group.conflicts,
    skipped: group.skipped,
    retries: group.retries,
    rateLimited: group.rateLimited,
    latency: stats(group.latencies),
    queued: stats(group.queued),
    validation: {
      objects: group.validatedObjects,
      violations: group.violations,
      rate: group.validatedObjects === 0 ? 0 : round(group.violations / group.validatedObjects, 6),
    },
  };
}

/** Label set `{a="x",b="y"}` with values escaped per the text format (backslash, quote, newline). */
function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const body = entries
    .map(
      ([name, value]) =>
        `${name}="${redact(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
  return `{${body}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatMs(ms: number): string {
  return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
