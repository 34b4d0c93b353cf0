import type { ChalkInstance } from 'chalk';
import type { Diagnostic } from '../diagnostics.js';
import type { ValidateReport } from '../manifest/report.js';
import { redact } from '../secrets.js';
import type { TextSink } from '../util/log.js';

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

/**
 * Diagnostics alone, one `file:line:col: error: message [code]` line each with its hint below:
 * what every command that reads manifests prints (on stderr, for commands whose stdout is data).
 */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  out: TextSink,
  color: ChalkInstance,
): void {
  for (const d of diagnostics) {
    const severity =
      d.severity === 'error' ? color.red.bold('error') : color.yellow.bold('warning');
    out.write(
      redact(`${color.bold(`${d.file}:${d.line}:${d.column}`)}: ${severity}: ${d.message}`) +
        color.dim(` [${d.code}]`) +
        '\n',
    );
    if (d.hint) out.write(redact(`  ${color.cyan('hint')}: ${d.hint}`) + '\n');
  }
}
