import type { ChalkInstance } from 'chalk';
import type { ApplyReport } from '../apply/report.js';
import type { TextSink } from '../util/log.js';

/** Options of {@link renderApplyText}. */
export interface ApplyTextOptions {
  color: ChalkInstance;
  /** The metrics summary line (from the collector). */
  metricsLine?: string;
}

/**
 * The end of an apply in text: what completed (counts first), then every failure and skip with
 * operation, kind and key, then webhook problems, the metrics line and the plan digest.
 */
export function renderApplyText(
  report: ApplyReport,
  out: TextSink,
  options: ApplyTextOptions,
): void {
  const { color } = options;
  const { counts } = report;
  if (report.status === 'no-changes') {
    out.write(color.green('No changes. Nothing was applied.\n'));
  } else {
    const deactivated = counts.deactivated > 0 ? `, ${counts.deactivated} deactivated` : '';
    const done = `${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted${deactivated}`;
    const already = counts.alreadyApplied > 0 ? ` (${counts.alreadyApplied} already applied)` : '';
    if (report.status === 'applied') {
      out.write(`\n${color.green.bold(`Apply complete: ${done}${already}.`)}\n`);
    } else if (report.status === 'interrupted') {
      const notStarted = report.results.filter((r) => r.error?.code === 'INTERRUPTED');
      const otherwise = counts.failed + counts.skipped - notStarted.length;
      const problems = otherwise > 0 ? `, ${otherwise} failed or skipped` : '';
      out.write(
        `\n${color.yellow.bold(`Apply interrupted: ${done}${already}${problems}; ${notStarted.length} not started.`)}\n`,
      );
      const notDone = report.results.filter((r) => r.outcome !== 'success');
      out.write(`\nNot done (${notDone.length}):\n`);
      for (const result of notDone) {
        out.write(
          `  ${color.yellow('-')} ${result.error?.message ?? `${result.action} ${result.key}`}\n`,
        );
      }
      out.write(
        'Re-running is safe: cxctl plans again and applies only what is still different.\n',
      );
    } else {
      out.write(
        `\n${color.red.bold(`Apply failed: ${done}${already}; ${counts.failed} failed, ${counts.skipped} skipped.`)}\n`,
      );
      const problems = report.results.filter((r) => r.outcome !== 'success');
      out.write(`\nErrors (${problems.length}):\n`);
      for (const result of problems) {
        out.write(
          `  ${color.red('-')} ${result.error?.message ?? `${result.action} ${result.key}`}\n`,
        );
      }
      if (report.stoppedBy !== undefined) {
        out.write(`\nThe run stopped early: ${report.stoppedBy}\n`);
      }
      out.write(
        'Re-running is safe: cxctl plans again and applies only what is still different.\n',
      );
    }
  }
  const undelivered = report.webhooks.filter((w) => w.outcome !== 'delivered');
  if (undelivered.length > 0) {
    out.write(
      `\n${color.yellow(`Webhooks: ${undelivered.length} of ${report.webhooks.length} deliveries failed (the changes stay applied):`)}\n`,
    );
    for (const delivery of undelivered) {
      out.write(
        `  ${color.yellow('!')} ${delivery.event} to ${delivery.endpoint}: ${delivery.error ?? delivery.outcome}\n`,
      );
    }
  }
  if (options.metricsLine !== undefined) out.write(`\n${options.metricsLine}\n`);
  out.write(`Plan digest: ${report.planDigest}\n`);
}
