/**
 * Reading seed and state files, with errors a user can act on: `file:line:col: what is wrong`.
 * JSON positions come from parsing the text again with the `yaml` parser (JSON is YAML), which
 * keeps the source range of every node.
 */
import { readFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import type { FieldError } from '../cxone/types.js';
import { CxctlError } from '../errors.js';
import { buildState, STATE_FILE_EXTRA_KEY } from './seed.js';
import type { SimulatorState } from './state.js';

/** Error code of an unreadable or invalid seed/state file. */
export const SEED_INVALID = 'SIM_SEED_INVALID';

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Source offset of the node at JSON Pointer `pointer` (or of its nearest existing ancestor). */
export function pointerOffset(text: string, pointer: string): number {
  const document = parseDocument(text, { uniqueKeys: false });
  let node: unknown = document.contents;
  let offset = (document.contents as Node | null)?.range?.[0] ?? 0;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeSegment);
  for (const segment of segments) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown } | null)?.value) === segment,
      );
      if (pair) {
        // Point at the key for a mapping entry: that is where an editor shows the problem.
        const keyRange = (pair.key as Node | null)?.range;
        if (keyRange) offset = keyRange[0];
        next = pair.value;
        if (next === null || next === undefined) break;
        const valueRange = (next as Node).range;
        if (valueRange && !isMap(next) && !isSeq(next)) offset = valueRange[0];
      }
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
      const range = (next as Node | undefined)?.range;
      if (range) offset = range[0];
    }
    if (next === undefined) break;
    node = next;
  }
  return offset;
}

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
