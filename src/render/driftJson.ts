import type { DriftReport } from '../plan/drift.js';
import type { TextSink } from '../util/log.js';

/** `cxctl drift --format json`: the report as documented in docs/plan.md, two-space indented. */
export function renderDriftJson(report: DriftReport, out: TextSink): void {
  out.write(`${JSON.stringify(report, null, 2)}\n`);
}
