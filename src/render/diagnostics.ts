/**
 * Problems that stop `plan` or `drift` (manifest problems, unknown references, scope), in the
 * command's output format: compiler-style lines for text, a small JSON document for json, a list
 * for markdown (so a pull-request comment shows why there is no plan).
 */
import type { ChalkInstance } from 'chalk';
import type { Diagnostic } from '../diagnostics.js';
import { redact } from '../secrets.js';
import type { TextSink } from '../util/log.js';

/**
 * Diagnostics alone, one `file:line:col: error: message [code]` line each (as compilers print them,
 * so editors and terminals link them) with its hint below: what every command that reads
 * manifests prints.
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

/** The diagnostics, then "N errors, N warnings; nothing was planned" (plan and drift stop here). */
export function renderPlanStopText(
  diagnostics: readonly Diagnostic[],
  out: TextSink,
  color: ChalkInstance,
): void {
  renderDiagnosticsText(diagnostics, out, color);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  out.write(
    color.red(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}; nothing was planned`) +
      '\n',
  );
}

/** One diagnostic as JSON output shows it: members in a fixed order, `hint` only when present. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
  };
}

/**
 * `{formatVersion: 1, ok: false, diagnostics: [...]}`: why `plan`, `drift` or `apply` with
 * `--format json` stopped before planning (each diagnostic as `validate --format json` shows it).
 */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[], out: TextSink): void {
  const document = { formatVersion: 1, ok: false, diagnostics: diagnostics.map(diagnosticJson) };
  out.write(redact(JSON.stringify(document, null, 2)) + '\n');
}

/** A heading and one bullet per problem, for a pull-request comment. */
export function renderDiagnosticsMarkdown(
  title: string,
  diagnostics: readonly Diagnostic[],
  out: TextSink,
): void {
  const lines = [`### ${title}`, ''];
  for (const d of diagnostics) {
    const hint = d.hint ? ` (${escapeMarkdown(d.hint)})` : '';
    lines.push(
      `- **${d.severity}** \`${d.file}:${d.line}:${d.column}\`: ${escapeMarkdown(d.message)}${hint}`,
    );
  }
  out.write(redact(`${lines.join('\n')}\n`));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_<>[\]|]/g, (c) => `\\${c}`);
}
