/**
 * The report of one `cxctl apply` run: plain data that the renderers format (text, JSON).
 */
import type { MetricsSnapshot } from '../notify/metrics.js';
import type { DeliveryResult } from '../notify/webhooks.js';
import { countResults, type ChangeResult, type ResultCounts } from './results.js';

/** Format version of the JSON report (`cxctl apply --format json`). */
export const APPLY_REPORT_FORMAT = 1;

/**
 * What a run came to. `interrupted`: Ctrl-C (SIGINT or SIGTERM) stopped it; the writes in flight
 * finished and the changes not started are skipped (`not started: interrupted`).
 */
export type ApplyStatus = 'applied' | 'failed' | 'interrupted' | 'no-changes';

/** Everything an apply reports. */
export interface ApplyReport {
  formatVersion: typeof APPLY_REPORT_FORMAT;
  status: ApplyStatus;
  target: string;
  planDigest: string;
  counts: ResultCounts;
  /** One per planned change, in plan order. */
  results: ChangeResult[];
  /** Wall time of the writes, ms. */
  latencyMs: number;
  /** Why the run stopped before trying every change, if it did. */
  stoppedBy?: string;
  /** One per event and endpoint. */
  webhooks: DeliveryResult[];
  metrics: MetricsSnapshot;
}

/** Assemble the report. */
export function buildApplyReport(input: {
  target: string;
  planDigest: string;
  results: ChangeResult[];
  latencyMs: number;
  stoppedBy?: string;
  /** The run was interrupted before every change was started. */
  interrupted?: boolean;
  webhooks: DeliveryResult[];
  metrics: MetricsSnapshot;
}): ApplyReport {
  const counts = countResults(input.results);
  const status: ApplyStatus =
    input.results.length === 0
      ? 'no-changes'
      : input.interrupted === true
        ? 'interrupted'
        : counts.failed + counts.skipped > 0
          ? 'failed'
          : 'applied';
  return {
    formatVersion: APPLY_REPORT_FORMAT,
    status,
    target: input.target,
    planDigest: input.planDigest,
    counts,
    results: input.results,
    latencyMs: input.latencyMs,
    ...(input.stoppedBy !== undefined ? { stoppedBy: input.stoppedBy } : {}),
    webhooks: input.webhooks,
    metrics: input.metrics,
  };
}
