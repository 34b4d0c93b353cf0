import type { ApplyReport } from '../apply/report.js';
import type { TextSink } from '../util/log.js';

/**
 * `cxctl apply --format json`: the report as one JSON document (docs/apply.md describes the
 * fields): status, counts, one result per change, webhook deliveries and the metrics.
 */
export function renderApplyJson(report: ApplyReport, out: TextSink): void {
  out.write(`${JSON.stringify(report, null, 2)}\n`);
}
