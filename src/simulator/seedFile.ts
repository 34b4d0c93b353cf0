/**
 * Reading seed and state files, with errors a user can act on: `file:line:col: what is wrong`.
 * JSON positions come from src/util/jsonPosition.ts.
 */
import { readFileSync } from 'node:fs';
import type { FieldError } from '../cxone/types.js';
import { CxctlError } from '../errors.js';
import { lineColumn, pointerOffset } from '../util/jsonPosition.js';
import { buildState, STATE_FILE_EXTRA_KEY } from './seed.js';
import type { SimulatorState } from './state.js';

/** Error code of an unreadable or invalid seed/state file. */
export const SEED_INVALID = 'SIM_SEED_INVALID';

function describeProblems(file: string, text: string, errors: readonly FieldError[]): string {
  const first = errors[0]!;
  const { line, column } = lineColumn(text, pointerOffset(text, first.field));
  const where = first.field === '' ? '' : `${first.field} `;
  const more =
    errors.length > 1
      ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})`
      : '';
  return `${file}:${line}:${column}: ${where}${first.message}${more}`;
}

/** Parse JSON text, or throw a {@link CxctlError} naming `file`, line and column. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const place = position ? lineColumn(text, Number(position[1])) : undefined;
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '');
    throw new CxctlError(
      SEED_INVALID,
      `${file}${place ? `:${place.line}:${place.column}` : ''}: not valid JSON: ${reason}`,
    );
  }
}

/** Read `file` as text, or throw a {@link CxctlError} saying why not. */
export function readTextFile(file: string, what: string, shownAs = file): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CxctlError(SEED_INVALID, `cannot read the ${what} ${shownAs}: ${reason}`);
  }
}

/** The content of a seed or state file: the state, plus the state file's extras when present. */
export interface LoadedStateFile {
  state: SimulatorState;
  /** The `_simulator` key of a state file (id counters, idempotency records), unvalidated. */
  extras: unknown;
}

/** Validate parsed seed `value` read from `file` (`text` for positions). */
export function stateFromJson(file: string, text: string, value: unknown): LoadedStateFile {
  const result = buildState(value);
  if (!result.ok) {
    throw new CxctlError(SEED_INVALID, describeProblems(file, text, result.errors), {
      hint: 'a seed is a JSON object with categories, campaigns, dncLists, wrapUpCodes and complianceRules (GET /__sim/state of a running simulator shows one)',
    });
  }
  const extras =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[STATE_FILE_EXTRA_KEY]
      : undefined;
  return { state: result.state, extras };
}

/**
 * Read and validate a seed or state file. Messages name the file as `shownAs` (default: the path),
 * so the user sees the path they typed.
 */
export function readStateFile(file: string, what = 'seed file', shownAs = file): LoadedStateFile {
  const text = readTextFile(file, what, shownAs);
  return stateFromJson(shownAs, text, parseJsonFile(shownAs, text));
}
