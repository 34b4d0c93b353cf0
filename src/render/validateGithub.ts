import type { ValidateReport } from '../manifest/report.js';
import { redact } from '../secrets.js';
import type { TextSink } from '../util/log.js';

/**
 * `cxctl validate --format github`: GitHub Actions workflow commands, one annotation per diagnostic,
 * `::error file=F,line=L,col=C,title=T::message` (`::warning` for warnings), as GitHub documents
 * them ("Workflow commands for GitHub Actions"), then a plain summary line.
 */
export function renderValidateGithub(report: ValidateReport, out: TextSink): void {
  for (const d of report.diagnostics) {
    const properties = [
      `file=${escapeProperty(redact(d.file))}`,
      `line=${d.line}`,
      `col=${d.column}`,
      `title=${escapeProperty(`cxctl validate: ${d.code}`)}`,
    ].join(',');
    const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    out.write(`::${d.severity} ${properties}::${escapeData(redact(message))}\n`);
  }
  const { files, errors, warnings } = report.summary;
  out.write(`cxctl validate: ${errors} error(s), ${warnings} warning(s) in ${files} file(s)\n`);
}

/** Escaping of a command's message, as in @actions/core `escapeData`: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command property, as in @actions/core `escapeProperty`: also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
