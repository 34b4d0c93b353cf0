import type { ChalkInstance } from 'chalk';
import type { ValidateReport } from '../manifest/report.js';
import type { TextSink } from '../util/log.js';
import { renderDiagnosticsText } from './diagnostics.js';

/**
 * `cxctl validate --format text`: one `file:line:col: error: message` line per diagnostic (as
 * compilers print them, so editors and terminals link them), its hint indented below, and a summary.
 */
export function renderValidateText(
  report: ValidateReport,
  out: TextSink,
  color: ChalkInstance,
): void {
  renderDiagnosticsText(report.diagnostics, out, color);
  const { files, errors, warnings, wrapUpCodes, complianceRules } = report.summary;
  const fileWord = `${files} ${files === 1 ? 'file' : 'files'}`;
  if (report.ok) {
    const warningText = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
    out.write(
      color.green(
        `${fileWord} valid: ${plural(wrapUpCodes, 'wrap-up code')}, ${plural(complianceRules, 'compliance rule')}${warningText}`,
      ) + '\n',
    );
    if (report.digest) out.write(color.dim(`manifest digest: sha256:${report.digest}`) + '\n');
  } else {
    out.write(
      color.red(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${fileWord}`) + '\n',
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
