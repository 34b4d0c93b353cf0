/**
 * The implementation of `cxctl drift` (see drift.ts for its options), loaded when the command runs.
 */
import { resolve } from 'node:path';
import { KIND_NAMES } from '../plan/types.js';
import { driftEventReport, driftFromPlan, type DriftReport } from '../plan/drift.js';
import { buildDriftEvent } from '../notify/events.js';
import { MetricsCollector, writeMetricsFile } from '../notify/metrics.js';
import { renderDiagnosticsText } from '../render/diagnostics.js';
import { renderDriftJson } from '../render/driftJson.js';
import { renderDriftMarkdown } from '../render/driftMarkdown.js';
import { renderDriftText } from '../render/driftText.js';
import type { CliContext } from './context.js';
import type { PlanFormat } from './planOptions.js';
import { renderFailure } from './planMain.js';
import { runPlanPipeline, type PlanRunArgs } from './planRun.js';

/** Parsed arguments of `cxctl drift`. */
export interface DriftArgs extends PlanRunArgs {
  format: string;
  'metrics-file'?: string;
}

/** Run `cxctl drift`; returns the exit code (0 clean, 2 drift, 1 error). */
export async function driftMain(args: DriftArgs, context: CliContext): Promise<number> {
  const format = args.format as PlanFormat;
  const metricsFile = args['metrics-file'];
  const metrics = new MetricsCollector({ kinds: KIND_NAMES });
  let exitCode = 1;
  let target = '';
  try {
    const outcome = await runPlanPipeline(args, context, { prune: false, webhooks: true });
    if (outcome.status === 'invalid') {
      renderFailure(format, 'cxctl drift failed', outcome.diagnostics, context);
      return (exitCode = 1);
    }
    target = outcome.target.label;
    if (outcome.warnings.length > 0) {
      renderDiagnosticsText(outcome.warnings, context.stderr, context.color);
    }
    const report = driftFromPlan(outcome.plan);
    for (const kind of KIND_NAMES) metrics.recordDrift(kind, report.countsByKind[kind]);
    renderDrift(format, report, context);
    const endpoints = outcome.target.webhooks;
    if (report.hasDrift && endpoints.length > 0) {
      // Webhook delivery (and its HTTP client) is loaded only when there is something to send.
      const { publishEvents } = await import('../notify/publish.js');
      const { summarizeDeliveries } = await import('../notify/webhooks.js');
      const results = await publishEvents(
        [buildDriftEvent(driftEventReport(report))],
        endpoints.map(({ url, secret, events }) => ({ url, secret, events })),
        { metrics, context: { target: report.target } },
      );
      if (results.length > 0) {
        const failures = results.filter((result) => result.outcome !== 'delivered');
        const reasons = failures.map(
          (result) => `${result.endpoint}: ${result.error ?? result.outcome}`,
        );
        const line = `drift.detected ${summarizeDeliveries(results)}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`;
        if (failures.length > 0) context.logger.warn(line);
        else context.logger.info(line);
      }
    }
    return (exitCode = report.hasDrift ? 2 : 0);
  } finally {
    if (metricsFile !== undefined) {
      await writeMetricsFile(
        resolve(context.cwd, metricsFile),
        metrics.toPrometheus({
          labels: { command: 'drift', ...(target ? { target } : {}) },
          success: exitCode !== 1,
        }),
      );
    }
  }
}

function renderDrift(format: PlanFormat, report: DriftReport, context: CliContext): void {
  if (format === 'json') renderDriftJson(report, context.stdout);
  else if (format === 'markdown') renderDriftMarkdown(report, context.stdout);
  else renderDriftText(report, context.stdout, context.color);
}
