/**
 * Errors about cxctl.yaml and target configuration.
 */
import type { Diagnostic } from '../diagnostics.js';
import { CxctlError } from '../errors.js';
import { redact } from '../secrets.js';

/** `file:line:col: message`, the way editors and CI logs link to a place. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.message}`;
}

const MAX_LISTED = 5;

/**
 * cxctl.yaml is broken: the message names the first problem at file:line:col, the hint lists the
 * others, and {@link diagnostics} holds them all for renderers.
 */
export class ConfigFileError extends CxctlError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const [first, ...rest] = diagnostics;
    const shown = rest.slice(0, MAX_LISTED).map(formatDiagnostic);
    const more = rest.length > MAX_LISTED ? [`and ${rest.length - MAX_LISTED} more`] : [];
    super(
      'CONFIG_INVALID',
      redact(first ? formatDiagnostic(first) : 'the configuration file is invalid'),
      {
        hint:
          shown.length > 0
            ? redact(`also: ${[...shown, ...more].join('; ')}`)
            : (first?.hint ?? 'see docs/configuration.md for the format of cxctl.yaml'),
      },
    );
    this.name = 'ConfigFileError';
  }
}

/** Target configuration is missing or contradictory (one sentence saying what to set). */
export class TargetConfigError extends CxctlError {
  constructor(code: string, message: string, hint?: string) {
    super(code, redact(message), hint === undefined ? {} : { hint: redact(hint) });
    this.name = 'TargetConfigError';
  }
}
