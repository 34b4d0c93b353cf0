import { Chalk, type ChalkInstance } from 'chalk';
import { Logger, type LogLevel, type TerminalSink } from '../util/log.js';

/** A writable stream as the CLI sees it: text in, plus whether a terminal is attached. */
export type CliStream = TerminalSink;

/** The process edges a command may touch; tests pass their own to run commands in-process. */
export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Options every command accepts. */
export interface GlobalArgs {
  config?: string;
  profile?: string;
  color: boolean;
  logLevel: LogLevel;
}

/** Everything a command handler gets besides its arguments. */
export interface CliContext extends CliIO {
  /** Colours for stdout; level 0 when colour is off. */
  color: ChalkInstance;
  /** Diagnostic logging to stderr, redacted. */
  logger: Logger;
  /** True when stdin and stdout are terminals, so asking a question is possible. */
  interactive: boolean;
}

/**
 * Colour level for stdout: `--no-color` and NO_COLOR turn it off, FORCE_COLOR turns it on
 * (https://no-color.org, https://force-color.org), otherwise colour only on a terminal.
 */
export function colorLevel(io: CliIO, colorFlag: boolean): 0 | 1 | 2 | 3 {
  if (!colorFlag) return 0;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return 0;
  if (!io.stdout.isTTY) return 0;
  return io.env.COLORTERM === 'truecolor' ? 3 : 2;
}

/** Build the context for one command run. */
export function createContext(io: CliIO, globals: GlobalArgs): CliContext {
  return {
    ...io,
    color: new Chalk({ level: colorLevel(io, globals.color) }),
    logger: new Logger(io.stderr, globals.logLevel),
    interactive: Boolean(io.stdin?.isTTY && io.stdout.isTTY),
  };
}
