import type { ChalkInstance } from 'chalk';
import type { DriftReport } from '../plan/drift.js';
import type { TextSink } from '../util/log.js';
import { formatValue, KIND_LABELS } from './values.js';

/**
 * `cxctl drift` as text: drifted objects with `live -> manifest` per field, missing objects,
 * objects not in the manifests, and a summary line.
 */
export function renderDriftText(report: DriftReport, out: TextSink, color: ChalkInstance): void {
  if (!report.hasDrift) {
    out.write(color.green(`No drift. ${report.target} matches the manifests.\n`));
    return;
  }
  out.write(`Drift on ${color.bold(report.target)}:\n\n`);
  if (report.drifted.length > 0) {
    out.write(color.bold(`Changed outside the manifests (${report.drifted.length}):\n`));
    for (const object of report.drifted) {
      const where = object.source
        ? color.dim(`  (${object.source.file}:${object.source.line})`)
        : '';
      out.write(
        `  ${color.yellow(`~ ${KIND_LABELS[object.kind].singular} ${object.key}`)}${where}\n`,
      );
      for (const field of object.fields) {
        out.write(
          `      ${field.path}: live ${formatValue(field.live)}, manifest ${formatValue(field.desired)}\n`,
        );
      }
    }
    out.write('\n');
  }
  if (report.missing.length > 0) {
    out.write(color.bold(`Missing live (${report.missing.length}):\n`));
    for (const object of report.missing) {
      const where = object.source
        ? color.dim(`  (${object.source.file}:${object.source.line})`)
        : '';
      out.write(
        `  ${color.green(`+ ${KIND_LABELS[object.kind].singular} ${object.key}`)}${where}\n`,
      );
    }
    out.write('\n');
  }
  if (report.unmanaged.length > 0) {
    out.write(color.bold(`Not in manifests (${report.unmanaged.length}):\n`));
    for (const object of report.unmanaged) {
      out.write(`  ${color.red(`? ${KIND_LABELS[object.kind].singular} ${object.key}`)}\n`);
    }
    out.write('\n');
  }
  out.write(`${color.bold(driftSummary(report))}\n`);
}

/** "Drift: 1 changed, 2 missing, 0 not in manifests." */
export function driftSummary(report: DriftReport): string {
  const { drifted, missing, unmanaged } = report.counts;
  return `Drift: ${drifted} changed, ${missing} missing, ${unmanaged} not in manifests.`;
}
