/**
 * What `cxctl test` does: run the manifests' `complianceTests` (the default), or, with
 * `--calls FILE`, judge every attempt of a dialer export against the manifests' rules. See
 * docs/compliance.md.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CxctlError } from '../errors.js';
import { writeTextAtomically } from '../io/atomicWrite.js';
import type { LoadedManifests } from '../io/loadManifests.js';
import { displayPath } from '../io/manifestFiles.js';
import { redact } from '../secrets.js';
import type { CallRow, CallsFileFormat } from '../compliance/callsFile.js';
import type { CliContext, CliStream } from './context.js';

/** The options of `cxctl test` this module reads. */
export interface TestArgs {
  paths?: (string | number)[];
  format?: string;
  junit?: string;
  calls?: string;
  rule?: string;
  failOnBlocked?: boolean;
  /** The `--config` file (its secret variables are refused in manifests). */
  config?: string;
}

/** Load the manifests; any error but a test naming an unknown rule stops the run. */
async function loadRules(args: TestArgs, context: CliContext): Promise<LoadedManifests> {
  const [
    { UNKNOWN_RULE_CODE },
    { loadManifests, withConfigPath },
    { countWords, printDiagnostics },
  ] = await Promise.all([
    import('../compliance/extension.js'),
    import('../io/loadManifests.js'),
    import('./output.js'),
  ]);
  const loaded = loadManifests(args.paths?.map(String), withConfigPath(context, args.config));
  // A test naming an unknown rule is reported as that test's error, in the results; every other
  // error means the rules or tests cannot be trusted, so nothing runs.
  const blocking = loaded.diagnostics.filter(
    (diagnostic) => diagnostic.severity === 'error' && diagnostic.code !== UNKNOWN_RULE_CODE,
  );
  if (blocking.length > 0) {
    printDiagnostics(context, blocking);
    throw new CxctlError(
      'MANIFEST_INVALID',
      `${countWords(blocking.length, 'error')} in the manifests; no ${args.calls === undefined ? 'tests were' : 'calls were'} run`,
      { hint: 'fix the problems above (cxctl validate lists them too)' },
    );
  }
  return loaded;
}

/** `cxctl test`: exit 0 when every case passed (or, with --calls, unless --fail-on-blocked). */
export async function testMain(args: TestArgs, context: CliContext): Promise<number> {
  if (args.calls !== undefined) return callsMain(args, args.calls, context);
  if (args.format === 'csv') {
    throw new CxctlError('USAGE', '--format csv goes with --calls', {
      hint: 'use --format text or json for the compliance tests',
    });
  }
  if (args.rule !== undefined || args.failOnBlocked === true) {
    throw new CxctlError('USAGE', '--rule and --fail-on-blocked go with --calls FILE');
  }
  const [
    { complianceTestCases, rulesUnderTest },
    { toJUnitXml },
    { runComplianceTests },
    { renderComplianceTestsJson, renderComplianceTestsText },
    { redactingSink },
  ] = await Promise.all([
    import('../compliance/extension.js'),
    import('../compliance/junit.js'),
    import('../compliance/runTests.js'),
    import('../render/complianceTests.js'),
    import('./output.js'),
  ]);
  const loaded = await loadRules(args, context);
  const report = runComplianceTests(
    complianceTestCases(loaded.result, loaded.defaults),
    rulesUnderTest(loaded.result),
  );
  const out = redactingSink(context.stdout);
  if (args.format === 'json') renderComplianceTestsJson(report, out);
  else renderComplianceTestsText(report, out, context.color);
  if (args.junit !== undefined) writeJUnit(resolve(context.cwd, args.junit), toJUnitXml(report));
  return report.ok ? 0 : 1;
}

/** `cxctl test --calls FILE`: one verdict per attempt on stdout, the summary on stderr. */
async function callsMain(args: TestArgs, file: string, context: CliContext): Promise<number> {
  if (args.format === 'text') {
    throw new CxctlError('USAGE', '--calls writes csv or json, not text', {
      hint: 'leave --format out (csv) or pass --format json (JSON Lines)',
    });
  }
  if (args.junit !== undefined) {
    throw new CxctlError('USAGE', '--junit goes with the compliance tests, not with --calls');
  }
  const [
    { callsFileFormat, CallsFileReader, MAX_CALLS_FILE_BYTES, Problems },
    { CallsRun, summaryLine, verdictCsv, verdictJsonLine, VERDICTS_CSV_HEADER },
    { rulesUnderTest },
    { countWords, redactingSink },
  ] = await Promise.all([
    import('../compliance/callsFile.js'),
    import('../compliance/callsRun.js'),
    import('../compliance/extension.js'),
    import('./output.js'),
  ]);
  const path = resolve(context.cwd, file);
  const shown = displayPath(context.cwd, path);
  const fd = openCallsFile(path, shown, MAX_CALLS_FILE_BYTES);
  try {
    const loaded = await loadRules(args, context);
    const run = new CallsRun(rulesUnderTest(loaded.result), {
      ...(args.rule === undefined ? {} : { fallback: args.rule }),
      ...(loaded.defaults.defaultCampaign === undefined
        ? {}
        : { defaultCampaign: loaded.defaults.defaultCampaign }),
    });

    // First pass: check every row, write nothing, keep only the problems.
    const judging = new Problems();
    let format: CallsFileFormat | undefined;
    let reader: InstanceType<typeof CallsFileReader> | undefined;
    const checkRow = (row: CallRow): void => {
      const message = run.check(row);
      if (message !== undefined) judging.add({ line: row.line, message });
    };
    const length = await readPieces(fd, shown, { limit: MAX_CALLS_FILE_BYTES }, (text) => {
      format ??= callsFileFormat(path, text);
      reader ??= new CallsFileReader(format, checkRow);
      reader.push(text);
    });
    format ??= callsFileFormat(path, '');
    reader ??= new CallsFileReader(format, checkRow);
    reader.end();
    // Problems of the file itself come first: rows that cannot be read cannot be judged.
    const problems = reader.problems.total > 0 ? reader.problems : judging;
    if (problems.total > 0) {
      const err = redactingSink(context.stderr);
      for (const problem of problems.list) {
        const column = problem.column === undefined ? '' : `:${problem.column}`;
        err.write(`${shown}:${problem.line}${column}: error: ${problem.message}\n`);
      }
      const more = problems.total - problems.list.length;
      if (more > 0) err.write(`... and ${countWords(more, 'more problem')}\n`);
      throw new CxctlError(
        'CALLS_FILE_INVALID',
        `${countWords(problems.total, 'problem')} in ${shown}; no verdicts were written`,
      );
    }

    // Second pass: judge every row and write its verdict, a piece of the file at a time.
    const changed = (): CxctlError =>
      new CxctlError(
        'CALLS_FILE_CHANGED',
        `${shown} changed while it was read; the verdicts written are incomplete`,
        { hint: 'judge a copy of the export that nothing writes to' },
      );
    const formatVerdict = args.format === 'json' ? verdictJsonLine : verdictCsv;
    let output = args.format === 'json' ? '' : VERDICTS_CSV_HEADER;
    const judgeRow = (row: CallRow): void => {
      const verdict = run.judge(row);
      if (typeof verdict === 'string') throw changed();
      output += formatVerdict(verdict);
    };
    const second = new CallsFileReader(format, judgeRow);
    const flush = async (): Promise<void> => {
      const text = output;
      output = '';
      if (text !== '') await writeWithBackpressure(context.stdout, redact(text));
    };
    const again = await readPieces(fd, shown, { limit: length, exactly: true }, async (text) => {
      second.push(text);
      await flush();
    });
    second.end();
    if (again !== length || second.problems.total > 0) throw changed();
    await flush();
    redactingSink(context.stderr).write(`${summaryLine(run.summary)}\n`);
    return args.failOnBlocked === true && run.summary.blocked > 0 ? 1 : 0;
  } finally {
    closeSync(fd);
  }
}

/**
 * The most bytes read and decoded at once: small enough that a piece's rows and verdicts die
 * young (a cheap collection), large enough that reads and writes stay few.
 */
const PIECE_BYTES = 64 * 1024;

/** An open regular file of at most `limit` bytes (by its size now; reading checks again). */
function openCallsFile(path: string, shown: string, limit: number): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error: unknown) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new CxctlError(
      'CALLS_FILE_UNREADABLE',
      `cannot read the calls file ${shown} (${reason})`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new CxctlError('CALLS_FILE_UNREADABLE', `${shown} is not a regular file`);
    }
    if (stat.size > limit) {
      throw new CxctlError(
        'CALLS_FILE_TOO_LARGE',
        `${shown} is ${stat.size} bytes, over the ${limit}-byte limit for a calls file`,
        { hint: 'split the export into smaller files' },
      );
    }
    return fd;
  } catch (error: unknown) {
    closeSync(fd);
    throw error;
  }
}

/** How much of a file {@link readPieces} reads. */
interface ReadLimit {
  /** The most bytes; more is refused, unless `exactly`. */
  limit: number;
  /** Read the first `limit` bytes and stop there (the second pass over a checked file). */
  exactly?: boolean;
}

/**
 * Decode the file from its start, a piece at a time, handing each piece of text to `visit`
 * (awaited, so a slow reader of the output slows the reading). Reads at most `limit` bytes
 * whatever the size said, since the file may grow while it is read; an over-long file or one that
 * is not UTF-8 is refused. Returns the bytes read.
 */
async function readPieces(
  fd: number,
  shown: string,
  { limit, exactly = false }: ReadLimit,
  visit: (text: string) => unknown,
): Promise<number> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Buffer): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw new CxctlError('CALLS_FILE_INVALID', `${shown} is not valid UTF-8 text`);
    }
  };
  const buffer = Buffer.alloc(PIECE_BYTES);
  let length = 0;
  for (;;) {
    // One byte past the limit tells an over-long file from one of exactly `limit` bytes.
    const wanted = Math.min(buffer.length, limit + (exactly ? 0 : 1) - length);
    const read = wanted <= 0 ? 0 : readSync(fd, buffer, 0, wanted, length);
    if (read === 0) break;
    length += read;
    if (length > limit) {
      throw new CxctlError('CALLS_FILE_TOO_LARGE', `${shown} is over the ${limit}-byte limit`);
    }
    await visit(decode(buffer.subarray(0, read)));
  }
  const rest = decode();
  if (rest !== '') await visit(rest);
  return length;
}

/** A stream that says when it can take more after `write` returned false. */
interface DrainingSink {
  once(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

function isDrainingSink(sink: object): sink is DrainingSink {
  return 'once' in sink && typeof sink.once === 'function' && 'off' in sink;
}

/** Write, and when the stream's buffer is full wait until it drains (or closes). */
async function writeWithBackpressure(sink: CliStream, text: string): Promise<void> {
  if (sink.write(text) !== false || !isDrainingSink(sink)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      for (const event of ['drain', 'close', 'error'] as const) sink.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error'] as const) sink.once(event, done);
  });
}

function writeJUnit(path: string, xml: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeTextAtomically(path, redact(xml));
  } catch (error: unknown) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new CxctlError(
      'JUNIT_WRITE_FAILED',
      `cannot write the JUnit report ${path} (${reason})`,
      {
        cause: error,
      },
    );
  }
}
