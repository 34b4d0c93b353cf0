/**
 * A dialer export of call attempts for `cxctl test --calls FILE`: CSV with a header row, or JSON
 * Lines (one object per line). The file is hostile input: its size, line length and row count
 * are capped, every cell is checked, unknown columns are refused, and every bad row is reported
 * with its line (and column where there is one). Pure: the caller reads the bytes.
 */
import { parseCsv } from '../crm/csv.js';
import { isJsonObject } from '../util/json.js';
import type { CallAttempt } from './types.js';

/** Largest calls file read, in bytes. */
export const MAX_CALLS_FILE_BYTES = 128 * 1024 * 1024;
/** Most attempts in one file. */
export const MAX_CALL_ROWS = 1_000_000;
/** Longest JSON Lines line, in characters. */
export const MAX_JSON_LINE = 1024 * 1024;
/** Most problems reported from one file (the rest are counted). */
export const MAX_REPORTED_PROBLEMS = 50;

/** The columns (CSV) or keys (JSON Lines) a row may have. */
export const CALL_COLUMNS = [
  'rule',
  'campaign',
  'phone',
  'at',
  'timeZone',
  'state',
  'callsToday',
  'previousCalls',
  'onDncLists',
  'latitude',
  'longitude',
] as const;

type CallColumn = (typeof CALL_COLUMNS)[number];

/** One attempt of the file, with the rule it names (if any) and its line. */
export interface CallRow {
  line: number;
  call: CallAttempt;
  /** `rule` as written: a rule name, or `Campaign/Rule`. */
  rule?: string;
  campaign?: string;
}

/** A problem at a line (and column, for CSV cells). */
export interface CallsFileProblem {
  line: number;
  column?: number;
  message: string;
}

/** The rows of a file, or every problem found in it. */
export type CallsFileResult =
  { ok: true; rows: CallRow[] } | { ok: false; problems: CallsFileProblem[]; total: number };

/** The two formats. */
export type CallsFileFormat = 'csv' | 'jsonl';

/** The format: by the extension (.csv, .jsonl, .ndjson), else by the first character. */
export function callsFileFormat(path: string, text: string): CallsFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'jsonl'
    : 'csv';
}

class Problems {
  readonly list: CallsFileProblem[] = [];
  total = 0;
  add(problem: CallsFileProblem): void {
    this.total++;
    if (this.list.length < MAX_REPORTED_PROBLEMS) this.list.push(problem);
  }
}

/** A list cell: entries separated by `;` (CSV has no arrays), blanks dropped. */
function splitList(text: string): string[] {
  return text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

const NUMBER = /^-?(\d+)(\.\d+)?$/;

/**
 * The call of one row from its cells (text for CSV, JSON values for JSON Lines). Types are
 * checked here; values (instants, zones, ranges) by the evaluator, which names the field.
 */
function rowFrom(
  cells: Partial<Record<CallColumn, unknown>>,
  line: number,
  problems: Problems,
  columnOf: (key: CallColumn) => number | undefined,
): CallRow | undefined {
  const before = problems.total;
  const bad = (key: CallColumn, message: string) => {
    const column = columnOf(key);
    problems.add({
      line,
      ...(column === undefined ? {} : { column }),
      message: `${key}: ${message}`,
    });
  };
  const call: Record<string, unknown> = {};
  const row: CallRow = { line, call: { at: '' } };
  for (const key of CALL_COLUMNS) {
    const value = cells[key];
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'rule':
      case 'campaign':
        if (typeof value !== 'string') bad(key, 'must be text');
        else row[key] = value;
        break;
      case 'phone':
      case 'at':
      case 'timeZone':
      case 'state':
        if (typeof value !== 'string') bad(key, 'must be text');
        else call[key] = value;
        break;
      case 'callsToday':
      case 'latitude':
      case 'longitude':
        if (typeof value === 'number') call[key] = value;
        else if (typeof value === 'string' && NUMBER.test(value.trim())) {
          call[key] = Number(value.trim());
        } else bad(key, `must be a number, not ${JSON.stringify(value)}`);
        break;
      case 'previousCalls':
      case 'onDncLists':
        if (typeof value === 'string') call[key] = splitList(value);
        else if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) {
          call[key] = value;
        } else bad(key, 'must be a list of text (in CSV: entries separated by ";")');
        break;
    }
  }
  if (call.at === undefined) bad('at', 'is required (the instant of the attempt)');
  if (problems.total > before) return undefined;
  row.call = { ...(call as Partial<CallAttempt>), at: call.at as string };
  return row;
}

function parseCsvCalls(text: string, problems: Problems): CallRow[] {
  const parsed = parseCsv(text);
  for (const problem of parsed.problems) problems.add(problem);
  const [header, ...records] = parsed.records;
  if (header === undefined) {
    problems.add({ line: 1, column: 1, message: 'the file has no header row' });
    return [];
  }
  const columns = new Map<CallColumn, number>();
  const positions = new Map<CallColumn, number>();
  header.fields.forEach((field, index) => {
    const name = field.value.trim();
    if (!(CALL_COLUMNS as readonly string[]).includes(name)) {
      problems.add({
        line: field.line,
        column: field.column,
        message: `unknown column ${JSON.stringify(name)}; columns are ${CALL_COLUMNS.join(', ')}`,
      });
      return;
    }
    const column = name as CallColumn;
    if (columns.has(column)) {
      problems.add({ line: field.line, column: field.column, message: `column ${name} twice` });
    }
    columns.set(column, index);
    positions.set(column, field.column);
  });
  if (!columns.has('at')) {
    problems.add({ line: header.line, column: 1, message: 'the header has no "at" column' });
  }
  if (problems.total > 0) return [];
  if (records.length > MAX_CALL_ROWS) {
    problems.add({ line: 1, message: `more than ${MAX_CALL_ROWS} rows` });
    return [];
  }
  const rows: CallRow[] = [];
  for (const record of records) {
    const cells: Partial<Record<CallColumn, unknown>> = {};
    for (const [column, index] of columns) cells[column] = record.fields[index]?.value;
    const row = rowFrom(cells, record.line, problems, (key) => {
      const index = columns.get(key);
      return index === undefined ? undefined : record.fields[index]?.column;
    });
    if (row !== undefined) rows.push(row);
  }
  return rows;
}

function parseJsonLines(text: string, problems: Problems): CallRow[] {
  const rows: CallRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let count = 0;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (source.trim() === '') return;
    if (++count > MAX_CALL_ROWS) {
      if (count === MAX_CALL_ROWS + 1)
        problems.add({ line, message: `more than ${MAX_CALL_ROWS} rows` });
      return;
    }
    if (source.length > MAX_JSON_LINE) {
      problems.add({ line, message: `the line is longer than ${MAX_JSON_LINE} characters` });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error: unknown) {
      const reason = error instanceof SyntaxError ? error.message : 'not JSON';
      problems.add({ line, column: 1, message: `not a JSON object: ${reason}` });
      return;
    }
    if (!isJsonObject(value)) {
      problems.add({ line, column: 1, message: 'each line must be one JSON object' });
      return;
    }
    const unknown = Object.keys(value).filter(
      (key) => !(CALL_COLUMNS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      problems.add({
        line,
        column: 1,
        message: `unknown key ${JSON.stringify(unknown[0])}; keys are ${CALL_COLUMNS.join(', ')}`,
      });
      return;
    }
    const row = rowFrom(value, line, problems, () => undefined);
    if (row !== undefined) rows.push(row);
  });
  return rows;
}

/** Parse a calls file's text. Never throws. */
export function parseCallsFile(text: string, format: CallsFileFormat): CallsFileResult {
  const problems = new Problems();
  const rows = format === 'csv' ? parseCsvCalls(text, problems) : parseJsonLines(text, problems);
  if (problems.total > 0) return { ok: false, problems: problems.list, total: problems.total };
  return { ok: true, rows };
}
