/**
 * Reading a saved plan (`cxctl plan --out FILE`, applied with `cxctl apply --plan FILE`) as hostile
 * input: bounded nesting, JSON, checked against schemas/plan.schema.json (errors name the file,
 * line, column and JSON pointer), and its digest recomputed so a plan cut off or edited by hand is
 * refused early. A digest anyone can recompute proves nothing more: apply then plans again and
 * compares (planMatch.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CxctlError } from '../errors.js';
import { readInputFile } from '../io/readInputFile.js';
import { planDigest } from '../plan/assemble.js';
import type { Plan } from '../plan/types.js';
import { lineColumn, pointerOffset } from '../util/jsonPosition.js';
import { packageRoot } from '../util/packageRoot.js';

/** One schema problem: where (a JSON pointer) and what. */
interface PlanProblem {
  pointer: string;
  message: string;
}

/** Validates a parsed plan against the plan schema; returns its problems (empty: valid). */
type PlanValidator = (value: unknown) => PlanProblem[];

let validator: PlanValidator | undefined;

/**
 * Largest plan file read: a plan of the largest manifest set (16 MiB per file, several files) with
 * old and new values stays well below it.
 */
const MAX_PLAN_FILE_BYTES = 128 * 1024 * 1024;

/** The plan schema, compiled once per process. */
function planValidator(): PlanValidator {
  validator ??= (() => {
    const schema = JSON.parse(
      readFileSync(join(packageRoot(), 'schemas', 'plan.schema.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    // ajv-formats is CommonJS; its default export is the plugin under NodeNext typing.
    addFormatsModule.default(ajv);
    const validate = ajv.compile(schema);
    return (value: unknown) =>
      validate(value) ? [] : (validate.errors ?? []).map((error) => problemOf(error));
  })();
  return validator;
}

/** An unknown member is named by its own pointer, the others by the value they are about. */
function problemOf(error: ErrorObject): PlanProblem {
  const extra = (error.params as { additionalProperty?: unknown }).additionalProperty;
  if (error.keyword === 'additionalProperties' && typeof extra === 'string') {
    const name = extra.replaceAll('~', '~0').replaceAll('/', '~1');
    return { pointer: `${error.instancePath}/${name}`, message: 'is not a plan field' };
  }
  return { pointer: error.instancePath, message: error.message ?? 'is invalid' };
}

/**
 * Deeper nesting than any plan has is refused before parsing: hashing and comparing walk values
 * recursively, so a hostile file must not reach them with a thousand levels.
 */
const MAX_NESTING = 32;

/** Offset of the first `[` or `{` nested deeper than `limit` (outside strings), if any. */
function tooDeepAt(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      // A backslash escapes the next character, a quote among them.
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      depth++;
      if (depth > limit) return i;
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return undefined;
}

/**
 * Read and check the saved plan at `file` (relative to `cwd`).
 *
 * @throws CxctlError `PLAN_FILE_UNREADABLE`, `PLAN_FILE_INVALID` (not JSON, or not a plan by the
 *   schema) or `PLAN_FILE_TAMPERED` (its digest does not match its content).
 */
export function readSavedPlan(file: string, cwd: string): Plan {
  const read = readInputFile(resolve(cwd, file), MAX_PLAN_FILE_BYTES);
  if (!read.ok) {
    throw new CxctlError(
      'PLAN_FILE_UNREADABLE',
      `Cannot read the plan file ${file}: ${read.message}.`,
      {
        hint: 'save a plan with cxctl plan --out FILE first',
      },
    );
  }
  const text = read.bytes.toString('utf8');
  const invalid = (offset: number | undefined, what: string): CxctlError => {
    const place = offset === undefined ? undefined : lineColumn(text, offset);
    const where = place ? `${file}:${place.line}:${place.column}: ` : '';
    return new CxctlError(
      'PLAN_FILE_INVALID',
      `The plan file ${file} is not a cxctl plan: ${where}${what}.`,
      { hint: 'save the plan again with cxctl plan --out FILE (schemas/plan.schema.json)' },
    );
  };
  const deep = tooDeepAt(text, MAX_NESTING);
  if (deep !== undefined) throw invalid(deep, `nested deeper than ${MAX_NESTING} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes a piece of the text: control characters from a hostile file stay out of the terminal.
    const message = (error as Error).message.replace(/\p{Cc}/gu, '?');
    const position = /position (\d+)/.exec(message);
    throw invalid(position ? Number(position[1]) : undefined, `not valid JSON (${message})`);
  }
  const problems = planValidator()(value);
  const first = problems[0];
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw invalid(
      pointerOffset(text, first.pointer),
      `${first.pointer || '/'} ${first.message}${more}`,
    );
  }
  // Schema-checked only: bodies are not yet known to be of their kind's type. `apply --plan`
  // executes only changes proved equal to freshly planned ones (`matchSavedChanges`).
  const plan = value as Plan;
  const digest = planDigest(plan.target, plan.changes);
  if (digest !== plan.digest) {
    throw new CxctlError(
      'PLAN_FILE_TAMPERED',
      `The plan file ${file} was changed after it was saved: its changes have digest ${digest}, but it records ${plan.digest}.`,
      {
        hint: 'plan files are not meant to be edited; save the plan again with cxctl plan --out FILE',
      },
    );
  }
  return plan;
}
