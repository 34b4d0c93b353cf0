import type { Argv } from 'yargs';
import type { CliContext, GlobalArgs } from './context.js';

/**
 * One cxctl command: yargs wiring plus a handler that returns the exit code.
 *
 * Handlers stay thin: parse arguments, call the core, render, and return 0/1/2. They throw
 * {@link CxctlError} for user errors; the single catch in main prints it.
 */
export interface CliCommand<Args = object> {
  /** yargs command string, e.g. `validate [paths..]`. */
  command: string;
  describe: string;
  /**
   * True when the command resolves a target from cxctl.yaml, so that `--config` and `--profile`
   * change what it does and its `--help` lists them. Other commands accept them and ignore them.
   */
  readsConfig?: boolean;
  builder: (yargs: Argv<GlobalArgs>) => Argv<Args>;
  run: (args: Args & GlobalArgs, context: CliContext) => Promise<number>;
}

/** Helper that keeps the argument type flowing from `builder` into `run`. */
export function defineCommand<Args>(command: CliCommand<Args>): CliCommand<Args> {
  return command;
}
