#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CxctlError, isCxctlError } from '../errors.js';
import { redact } from '../secrets.js';
import { LOG_LEVELS, type LogLevel } from '../util/log.js';
import type { CliCommand } from './command.js';
import { commands } from './commands.js';
import { createContext, type CliIO, type GlobalArgs } from './context.js';
import { knownOptionsOf, unknownCommandMessage, usageMessage } from './usage.js';
import { cliVersion } from '../util/version.js';

/**
 * Run cxctl with `argv` (without the node and script paths) and return the exit code.
 * Never throws and never calls process.exit, so tests can run commands in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  let logLevel: LogLevel = 'warn';
  let handled = false;
  // The parser of the command being parsed, so a usage error can name that command's options.
  let commandParser: { name: string; parser: object } | undefined;
  try {
    let parser: Argv<GlobalArgs> = yargs([...argv])
      .scriptName('cxctl')
      .usage('$0 <command> [options]\n\nConfiguration as code for NICE CXone.')
      .option('config', {
        type: 'string',
        describe: 'path of cxctl.yaml (default: ./cxctl.yaml if present)',
        global: true,
      })
      .option('profile', { type: 'string', describe: 'profile in cxctl.yaml', global: true })
      .option('color', {
        type: 'boolean',
        default: true,
        describe: 'colour output (--no-color turns it off; NO_COLOR and FORCE_COLOR are honoured)',
        global: true,
      })
      .option('log-level', {
        choices: LOG_LEVELS,
        default: 'warn',
        describe: 'diagnostic logging on stderr',
        global: true,
      })
      .strict()
      .demandCommand(1, 'Name a command: cxctl <command> (see cxctl --help).')
      .version(cliVersion())
      .help()
      .alias('h', 'help')
      .wrap(Math.min(110, io.stdout.columns ?? 100))
      .exitProcess(false)
      .fail((message: string | null, error: Error | undefined) => {
        if (error) throw error;
        const known = knownOptionsOf(commandParser?.parser ?? parser);
        const help = commandParser ? `cxctl ${commandParser.name} --help` : 'cxctl --help';
        const context = { argv, known, command: commandParser?.name, commandNames: commandNames() };
        throw new CxctlError('CLI_USAGE', usageMessage(message, context), {
          hint: `run ${help} for usage`,
        });
      }) as unknown as Argv<GlobalArgs>; // allowed cast: yargs' chained builders lose the globals' types

    skipHelpCache(parser);

    for (const command of commands) {
      parser = parser.command({
        command: command.command,
        describe: command.describe,
        builder: (y: Argv<GlobalArgs>) => {
          const built = listOnlyMeaningfulGlobals(command, command.builder(y));
          commandParser = { name: command.command.split(' ')[0] ?? '', parser: built };
          return built as Argv<GlobalArgs>;
        },
        handler: async (args: object) => {
          // allowed cast: yargs gives handlers untyped arguments; the root parser declares the globals
          const globals = args as unknown as GlobalArgs;
          logLevel = globals.logLevel;
          handled = true;
          exitCode = await command.run(args, createContext(io, globals));
        },
      });
    }

    const { output, positionals } = await new Promise<{ output: string; positionals: unknown[] }>(
      (resolve, reject) => {
        parser
          .parseAsync(
            [...argv],
            {},
            (error: Error | undefined, args: { _?: unknown[] }, text: string) => {
              if (error) reject(error);
              else resolve({ output: text, positionals: args._ ?? [] });
            },
          )
          .catch(reject);
      },
    );
    if (output) io.stdout.write(`${output}\n`);
    // yargs' strict mode only rejects unknown commands once at least one command matches a prefix.
    if (!handled && !output && positionals.length > 0) {
      throw new CxctlError(
        'CLI_USAGE',
        unknownCommandMessage(String(positionals[0]), commandNames()),
        {
          hint: 'run cxctl --help for usage',
        },
      );
    }
    return exitCode;
  } catch (error: unknown) {
    return reportFailure(error, io, logLevel);
  }
}

/** The names of cxctl's commands (`plan`, `crm`, ...). */
function commandNames(): string[] {
  return commands.map((command) => command.command.split(' ')[0] ?? '');
}

/**
 * Every command accepts the global options, so one set of flags works for all of them, but its
 * `--help` lists only those that change what it does: `--config` and `--profile` choose a target,
 * so only commands that talk to CXone list them; `--version` is cxctl's, listed by `cxctl --help`.
 */
function listOnlyMeaningfulGlobals<T>(
  command: Pick<CliCommand, 'readsConfig'>,
  built: Argv<T>,
): Argv<T> {
  const hidden = command.readsConfig ? ['version'] : ['version', 'config', 'profile'];
  return hidden.reduce((parser, key) => parser.hide(key), built);
}

/**
 * yargs lays out the whole help text (cliui, string widths of every line) each time a command
 * runs, only to cache it for a handler that might call `showHelp()`. cxctl's handlers never do,
 * and the layout cost about 40 ms of every run, so the cache is turned off; `--help` and usage
 * errors lay out their text as before. This reaches into yargs' internal API defensively: should
 * it change, commands only get slower.
 */
function skipHelpCache(parser: object): void {
  type Internal = { getUsageInstance?: () => { cacheHelpMessage?: unknown } | undefined };
  const internal = (parser as { getInternalMethods?: () => Internal }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') {
    usage.cacheHelpMessage = () => undefined;
  }
}

/** The one place errors become text: user errors as a sentence, tool errors with a debugging hint. */
function reportFailure(error: unknown, io: CliIO, logLevel: LogLevel): number {
  if (isCxctlError(error)) {
    io.stderr.write(redact(`error: ${error.message}\n`));
    if (error.hint) io.stderr.write(redact(`hint: ${error.hint}\n`));
    if (logLevel === 'debug' && error.stack) io.stderr.write(redact(`${error.stack}\n`));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(redact(`error: internal error: ${message}\n`));
  if (logLevel === 'debug' && error instanceof Error && error.stack) {
    io.stderr.write(redact(`${error.stack}\n`));
  } else {
    io.stderr.write('hint: re-run with --log-level debug for details, and report it as a bug\n');
  }
  return 1;
}

/** True when this module is the process entry point (the `cxctl` bin), also through npm's symlink. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Run as the `cxctl` executable: the process's arguments and streams, and its exit code. */
export async function runAsExecutable(): Promise<void> {
  // A reader that goes away early (`cxctl plan | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const code = await runCli(hideBin(process.argv), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}

// Not a top-level await: the bundle the executable runs is CommonJS (see loadBundle.ts).
if (isEntryPoint()) void runAsExecutable();
