import { resolve } from 'node:path';
import { KIND_NAMES } from '../plan/types.js';
import { driftEventReport, driftFromPlan, type DriftReport } from '../plan/drift.js';
import {
  buildDriftEvent,
  MetricsCollector,
  publishEvents,
  summarizeDeliveries,
  writeMetricsFile,
} from '../notify/index.js';
import { renderDiagnosticsText } from '../render/diagnostics.js';
import { renderDriftJson } from '../render/driftJson.js';
import { renderDriftMarkdown } from '../render/driftMarkdown.js';
import { renderDriftText } from '../render/driftText.js';
import { defineCommand } from './command.js';
import type { CliContext } from './context.js';
import { PLAN_FORMATS, renderFailure, type PlanFormat } from './plan.js';
import { runPlanPipeline } from './planRun.js';
import { withTargetOptions } from './targetOptions.js';

/**
 * `cxctl drift [PATH..]`: compare live state with the manifests and report drifted fields, missing
 * objects and objects not in the manifests; send `drift.detected` when there is drift. Read-only.
 * Exit 0 when clean, 2 when there is drift (always, as if `--detailed-exitcode`), 1 on error.
 */
export const driftCommand = defineCommand({
  command: 'drift [paths..]',
  describe: 'Report where CXone differs from the manifests (exit 2 on drift); read-only',
  builder: (yargs) =>
    withTargetOptions(
      yargs
        .positional('paths', {
          type: 'string',
          array: true,
          describe: 'manifest files or directories (default: manifests/ if it exists, else .)',
        })
        .option('format', {
          choices: PLAN_FORMATS,
          default: 'text',
          describe: 'output format (markdown: for job summaries and issues)',
        })
        .option('metrics-file', {
          type: 'string',
          describe:
            'write Prometheus metrics of the run to FILE (node_exporter textfile collector)',
        }),
    ),
  run: async (args, context) => {
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
        renderDiagnosticsText(outcome.warnings, context.stderr, context.color, false);
      }
      const report = driftFromPlan(outcome.plan);
      for (const kind of KIND_NAMES) metrics.recordDrift(kind, report.countsByKind[kind]);
      renderDrift(format, report, context);
      if (report.hasDrift) {
        const results = await publishEvents(
          [buildDriftEvent(driftEventReport(report))],
          outcome.target.webhooks.map(({ url, secret, events }) => ({ url, secret, events })),
          { metrics, context: { target: report.target } },
        );
        if (results.length > 0) {
          const failed = results.some((result) => result.outcome !== 'delivered');
          const line = `drift.detected webhook: ${summarizeDeliveries(results)}`;
          if (failed) context.logger.warn(line);
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
  },
});

function renderDrift(format: PlanFormat, report: DriftReport, context: CliContext): void {
  if (format === 'json') renderDriftJson(report, context.stdout);
  else if (format === 'markdown') renderDriftMarkdown(report, context.stdout);
  else renderDriftText(report, context.stdout, context.color);
}
