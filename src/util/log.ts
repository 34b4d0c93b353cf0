import { redact } from '../secrets.js';

/** Log verbosity, from quietest to loudest. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** Accepted values of `--log-level`. */
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** Minimal writable target so tests can capture output. */
export interface TextSink {
  write(text: string): unknown;
}

/** A text sink that may be a terminal: whether one is attached, and how wide it is. */
export interface TerminalSink extends TextSink {
  isTTY?: boolean;
  columns?: number;
}

/**
 * Diagnostic logging to stderr. Every line passes through {@link redact}, so secrets never reach
 * the terminal or CI logs. Command results go to stdout through renderers, never through here.
 */
export class Logger {
  constructor(
    private readonly sink: TextSink,
    readonly level: LogLevel = 'warn',
  ) {}

  /** True when messages at `level` are written. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[level] <= RANK[this.level];
  }

  error(message: string): void {
    this.emit('error', message);
  }
  warn(message: string): void {
    this.emit('warn', message);
  }
  info(message: string): void {
    this.emit('info', message);
  }
  debug(message: string): void {
    this.emit('debug', message);
  }

  private emit(level: Exclude<LogLevel, 'silent'>, message: string): void {
    if (!this.enabled(level)) return;
    this.sink.write(`${level === 'info' ? '' : `${level}: `}${redact(message)}\n`);
  }
}

/** A logger that writes nothing (library use and tests). */
export const silentLogger = new Logger({ write: () => true }, 'silent');
