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
import type { CallsFileProblem } from '../compliance/callsFile.js';
import type { CliContext } from './context.js';

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
    { callsFileFormat, parseCallsFile, MAX_CALLS_FILE_BYTES },
    { runCalls, summaryLine, verdictsCsv, verdictsJsonLines },
    { rulesUnderTest },
    { redactingSink, countWords },
  ] = await Promise.all([
    import('../compliance/callsFile.js'),
    import('../compliance/callsRun.js'),
    import('../compliance/extension.js'),
    import('./output.js'),
  ]);
  const path = resolve(context.cwd, file);
  const shown = displayPath(context.cwd, path);
  const text = readCallsFile(path, shown, MAX_CALLS_FILE_BYTES);
  const parsed = parseCallsFile(text, callsFileFormat(path, text));
  const reportProblems = (problems: readonly CallsFileProblem[], total: number): never => {
    const err = redactingSink(context.stderr);
    for (const problem of problems) {
      const column = problem.column === undefined ? '' : `:${problem.column}`;
      err.write(`${shown}:${problem.line}${column}: error: ${problem.message}\n`);
    }
    const more = total - problems.length;
    if (more > 0) err.write(`... and ${countWords(more, 'more problem')}\n`);
    throw new CxctlError(
      'CALLS_FILE_INVALID',
      `${countWords(total, 'problem')} in ${shown}; no verdicts were written`,
    );
  };
  if (!parsed.ok) return reportProblems(parsed.problems, parsed.total);
  const loaded = await loadRules(args, context);
  const result = runCalls(parsed.rows, rulesUnderTest(loaded.result), {
    ...(args.rule === undefined ? {} : { fallback: args.rule }),
    ...(loaded.defaults.defaultCampaign === undefined
      ? {}
      : { defaultCampaign: loaded.defaults.defaultCampaign }),
  });
  if (!result.ok) return reportProblems(result.problems, result.total);
  const out = redactingSink(context.stdout);
  const chunks =
    args.format === 'json' ? verdictsJsonLines(result.verdicts) : verdictsCsv(result.verdicts);
  for (const chunk of chunks) out.write(chunk);
  redactingSink(context.stderr).write(`${summaryLine(result.summary)}\n`);
  return args.failOnBlocked === true && result.summary.blocked > 0 ? 1 : 0;
}

/** The file's text: a regular file of at most `limit` bytes, valid UTF-8. */
function readCallsFile(path: string, shown: string, limit: number): string {
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
    // Read at most limit + 1 bytes, whatever the size said: the file may grow while it is read.
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) break;
    }
    if (length > limit) {
      throw new CxctlError('CALLS_FILE_TOO_LARGE', `${shown} is over the ${limit}-byte limit`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      throw new CxctlError('CALLS_FILE_INVALID', `${shown} is not valid UTF-8 text`);
    }
  } finally {
    closeSync(fd);
  }
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
