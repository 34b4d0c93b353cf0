/**
 * A dialer export of call attempts for `cxctl test --calls FILE`: CSV with a header row, or JSON
 * Lines (one object per line). The file is hostile input: its size, line length and row count
 * are capped, every cell is checked, unknown columns are refused, and every bad row is reported
 * with its line (and column where there is one). Pure: the caller reads the bytes and hands them
 * over in pieces ({@link CallsFileReader}), so a file is never held whole.
 */
import { parseCsv, type CsvRecord } from '../crm/csv.js';
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

/** The two formats. */
export type CallsFileFormat = 'csv' | 'jsonl';

/**
 * The format: by the extension (.csv, .jsonl, .ndjson), else by the first character of `text`
 * (the start of the file).
 */
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

/** Problems of one file: the first {@link MAX_REPORTED_PROBLEMS}, and how many in all. */
export class Problems {
  readonly list: CallsFileProblem[] = [];
  total = 0;
  /** Count one problem, keeping it when fewer than the reported maximum are kept. */
  add(problem: CallsFileProblem): void {
    this.total++;
    if (this.list.length < MAX_REPORTED_PROBLEMS) this.list.push(problem);
  }
}

/** A list cell: entries separated by `;` (CSV has no arrays), blanks dropped. */
function splitList(text: string): string[] {
  const entries: string[] = [];
  for (const part of text.split(';')) {
    const entry = part.trim();
    if (entry !== '') entries.push(entry);
  }
  return entries;
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

const LINE_FEED = 10;
const QUOTE = 34;

/**
 * Reads a calls file piece by piece: {@link push} text as it is decoded, then {@link end}. Each
 * well-formed row goes to `onRow` as soon as its record is complete; every problem is counted in
 * {@link problems}. Only the unfinished last record of a piece is kept between pieces.
 */
export class CallsFileReader {
  /** Every problem found so far. */
  readonly problems = new Problems();
  private pending = '';
  /** How far `pending` has been scanned for record boundaries, and the state there. */
  private scanned = 0;
  private insideQuotes = false;
  /** The line `pending` starts on. */
  private line = 1;
  private rowCount = 0;
  /** CSV: the header's columns once read; undefined before, null when the header is bad. */
  private columns: Map<CallColumn, number> | null | undefined;
  private fieldCount = 0;

  constructor(
    private readonly format: CallsFileFormat,
    private readonly onRow: (row: CallRow) => void,
  ) {}

  /** The next decoded piece of the file. */
  push(text: string): void {
    this.pending += text;
    const cut = this.format === 'csv' ? this.csvRecordsEnd() : this.pending.lastIndexOf('\n') + 1;
    if (cut === 0) return;
    const piece = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    this.takePiece(piece);
  }

  /** The end of the file: the last record, and problems of a file with no rows at all. */
  end(): void {
    const piece = this.pending;
    this.pending = '';
    if (piece !== '') this.takePiece(piece);
    if (this.format === 'csv' && this.columns === undefined) {
      this.problems.add({ line: 1, column: 1, message: 'the file has no header row' });
    }
  }

  /**
   * The end of the last complete CSV record in `pending`: just after a line feed outside quotes
   * (an even number of quotes before it, since `""` inside a quoted field counts twice). A stray
   * quote upsets the count, but it is a syntax error reported in the piece that holds it.
   */
  private csvRecordsEnd(): number {
    const text = this.pending;
    let cut = 0;
    let inside = this.insideQuotes;
    for (let index = this.scanned; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) inside = !inside;
      else if (code === LINE_FEED && !inside) cut = index + 1;
    }
    this.insideQuotes = inside;
    this.scanned = text.length - cut;
    return cut;
  }

  private takePiece(piece: string): void {
    const firstLine = this.line;
    let lineFeeds = 0;
    for (let index = piece.indexOf('\n'); index !== -1; index = piece.indexOf('\n', index + 1)) {
      lineFeeds++;
    }
    this.line += lineFeeds;
    if (this.format === 'csv') this.csvPiece(piece, firstLine);
    else this.jsonLinesPiece(piece, firstLine);
  }

  private countRow(line: number): boolean {
    if (++this.rowCount <= MAX_CALL_ROWS) return true;
    if (this.rowCount === MAX_CALL_ROWS + 1) {
      this.problems.add({ line, message: `more than ${MAX_CALL_ROWS} rows` });
    }
    return false;
  }

  private csvPiece(piece: string, firstLine: number): void {
    const parsed = parseCsv(piece, {
      firstLine,
      ...(this.columns === undefined ? {} : { fieldCount: this.fieldCount }),
    });
    for (const problem of parsed.problems) this.problems.add(problem);
    let records = parsed.records;
    if (this.columns === undefined) {
      const [header, ...rest] = records;
      if (header === undefined) return;
      this.columns = this.readHeader(header);
      this.fieldCount = header.fields.length;
      records = rest;
    }
    const columns = this.columns;
    if (columns === null) return;
    for (const record of records) {
      // The row limit is a property of the whole file: reported at its first line.
      if (!this.countRow(1)) return;
      const cells: Partial<Record<CallColumn, unknown>> = {};
      for (const [column, index] of columns) cells[column] = record.fields[index]?.value;
      const row = rowFrom(cells, record.line, this.problems, (key) => {
        const index = columns.get(key);
        return index === undefined ? undefined : record.fields[index]?.column;
      });
      if (row !== undefined) this.onRow(row);
    }
  }

  /** The header's columns, or null (after reporting why) when rows cannot be read by it. */
  private readHeader(header: CsvRecord): Map<CallColumn, number> | null {
    const before = this.problems.total;
    const columns = new Map<CallColumn, number>();
    header.fields.forEach((field, index) => {
      const name = field.value.trim();
      if (!(CALL_COLUMNS as readonly string[]).includes(name)) {
        this.problems.add({
          line: field.line,
          column: field.column,
          message: `unknown column ${JSON.stringify(name)}; columns are ${CALL_COLUMNS.join(', ')}`,
        });
        return;
      }
      const column = name as CallColumn;
      if (columns.has(column)) {
        this.problems.add({
          line: field.line,
          column: field.column,
          message: `column ${name} twice`,
        });
      }
      columns.set(column, index);
    });
    if (!columns.has('at')) {
      this.problems.add({
        line: header.line,
        column: 1,
        message: 'the header has no "at" column',
      });
    }
    return this.problems.total > before ? null : columns;
  }

  private jsonLinesPiece(piece: string, firstLine: number): void {
    const lines = piece.split('\n');
    // A piece ends with a line feed except at the end of the file: no line after it.
    if (piece.endsWith('\n')) lines.pop();
    lines.forEach((raw, index) => this.jsonLine(raw, firstLine + index));
  }

  private jsonLine(raw: string, line: number): void {
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (source.trim() === '') return;
    if (!this.countRow(line)) return;
    const problems = this.problems;
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
    if (row !== undefined) this.onRow(row);
  }
}
