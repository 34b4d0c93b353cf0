/**
 * One error type for everything cxctl reports to a user.
 *
 * Errors carry a stable `code`, say whether the user or the tool is at fault (`source`), and a
 * `hint` saying what to do next. The CLI has a single catch that prints `message` (and `hint`),
 * never a stack trace for a user error, and exits with `exitCode`.
 */
export type ErrorSource = 'user' | 'tool';

/** Options accepted by {@link CxctlError}. */
export interface CxctlErrorOptions {
  /** Who is at fault: `user` for bad input or configuration, `tool` for bugs and remote failures. */
  source?: ErrorSource;
  /** One sentence saying what to check or do next. */
  hint?: string;
  /** Process exit code the CLI uses when this error ends a command (default 1). */
  exitCode?: number;
  /** The underlying error, kept for debugging output (never printed at the default log level). */
  cause?: unknown;
}

/** Base class of every error cxctl throws on purpose. */
export class CxctlError extends Error {
  /** Stable machine-readable code, e.g. `CONFIG_MISSING_TARGET`. */
  readonly code: string;
  readonly source: ErrorSource;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: string, message: string, options: CxctlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CxctlError';
    this.code = code;
    this.source = options.source ?? 'user';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** True when `error` is a {@link CxctlError} (also across duplicated module instances). */
export function isCxctlError(error: unknown): error is CxctlError {
  return error instanceof CxctlError;
}
