/**
 * Reading a saved plan (`cxctl plan --out FILE`, applied with `cxctl apply --plan FILE`): JSON,
 * checked against schemas/plan.schema.json, and its digest recomputed so a plan edited by hand
 * (or cut off) is refused before anything is written.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CxctlError } from '../errors.js';
import { readInputFile } from '../io/readInputFile.js';
import { planDigest } from '../plan/assemble.js';
import type { Plan } from '../plan/types.js';
import { packageRoot } from '../util/packageRoot.js';

/** Validates a parsed plan against the plan schema; returns readable problems (empty: valid). */
type PlanValidator = (value: unknown) => string[];

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
      validate(value)
        ? []
        : (validate.errors ?? []).map(
            (error) =>
              `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? 'is invalid'}`,
          );
  })();
  return validator;
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CxctlError(
      'PLAN_FILE_INVALID',
      `The plan file ${file} is not valid JSON (${(error as Error).message}).`,
      { hint: 'save the plan again with cxctl plan --out FILE', cause: error },
    );
  }
  const problems = planValidator()(value);
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).join('; ');
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    throw new CxctlError(
      'PLAN_FILE_INVALID',
      `The plan file ${file} is not a cxctl plan: ${shown}${more}.`,
      { hint: 'save the plan again with cxctl plan --out FILE (schemas/plan.schema.json)' },
    );
  }
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
