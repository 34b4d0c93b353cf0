/**
 * Small helpers shared by commands whose stdout is data (tables, reports) and whose diagnostics go
 * to stderr.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnostic } from '../diagnostics.js';
import { renderDiagnosticsText } from '../render/diagnostics.js';
import { redact } from '../secrets.js';
import type { TextSink } from '../util/log.js';
import type { CliContext } from './context.js';

/** A sink that passes everything through {@link redact} before writing it. */
export function redactingSink(out: TextSink): TextSink {
  return { write: (text: string) => out.write(redact(text)) };
}

/** Colours for stderr: those of stdout when stderr is a terminal too, else none. */
export function stderrColor(context: CliContext): ChalkInstance {
  return context.stderr.isTTY ? context.color : new Chalk({ level: 0 });
}

/** Print diagnostics on stderr, `file:line:col: severity: message [code]`, hints below. */
export function printDiagnostics(context: CliContext, diagnostics: readonly Diagnostic[]): void {
  renderDiagnosticsText(diagnostics, context.stderr, stderrColor(context));
}

/** Every warning as an error (`--strict`). */
export function promoteWarnings(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((diagnostic) =>
    diagnostic.severity === 'warning' ? { ...diagnostic, severity: 'error' } : diagnostic,
  );
}

/** `N errors` / `1 error`. */
export function countWords(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
