/**
 * A small, strict RFC 4180 CSV reader, with a position for every field and every problem.
 *
 * - Fields are separated by `,`; records end with CRLF or LF (a final line break is optional).
 * - A field may be quoted with `"`; inside quotes, `""` is one quote, and commas and line breaks
 *   are data. A quote anywhere in an unquoted field, or anything but a separator or line break
 *   after a closing quote, is an error, as is a carriage return not followed by a line feed.
 * - A UTF-8 byte order mark at the very start is ignored (spreadsheet exports write one).
 * - Empty lines are skipped; a line holding only spaces is a record.
 * - Every record must have as many fields as the first one (the header).
 *
 * Nothing is trimmed. Lines and columns are 1-based; a column counts UTF-16 code units, as editors
 * do, and the byte order mark does not count. A malformed record is reported and left out, and
 * reading goes on at the next line, so one run reports every malformed row.
 */
import { excerpt } from '../util/excerpt.js';

/** A field's value and where it starts (the opening quote, for a quoted field). */
export interface CsvField {
  value: string;
  line: number;
  column: number;
  quoted: boolean;
}

/** A record and the line it starts on. */
export interface CsvRecord {
  line: number;
  fields: CsvField[];
}

/** A syntax problem at a position. */
export interface CsvProblem {
  line: number;
  column: number;
  message: string;
}

/** The well-formed records, in order, and every problem found. */
export interface CsvParseResult {
  records: CsvRecord[];
  problems: CsvProblem[];
}

const BOM = '\uFEFF';
const COMMA = 44;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const QUOTE = 34;

/** Where a piece of a larger CSV text starts, for reading a file piece by piece. */
export interface CsvPieceOptions {
  /** The line the text starts on (1 by default); lines in results count from here. */
  firstLine?: number;
  /** The header's field count, when the header was in an earlier piece. */
  fieldCount?: number;
}

/**
 * Parse CSV text. Never throws. A file may be read in pieces that each start at a record
 * boundary, with `options` saying where the piece starts and how many fields the header had.
 */
export function parseCsv(input: string, options: CsvPieceOptions = {}): CsvParseResult {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let index = 0;
  let line = options.firstLine ?? 1;
  let column = 1;

  const peek = (offset = 0): string | undefined => text[index + offset];
  const advance = (): string => {
    const char = text[index] as string;
    index++;
    if (char === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    return char;
  };
  /** Move to `target`, a later position, counting the lines and columns passed. */
  const moveTo = (target: number): void => {
    for (; index < target; index++) {
      if (text.charCodeAt(index) === LINE_FEED) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  };
  /** At a line break (LF or CRLF) or the end of the text. */
  const atRecordEnd = (): boolean =>
    index >= text.length || peek() === '\n' || (peek() === '\r' && peek(1) === '\n');
  const consumeLineBreak = (): void => {
    if (peek() === '\r') advance();
    if (peek() === '\n') advance();
  };
  /** After an error: drop the rest of the physical line, line break included. */
  const skipLine = (): void => {
    while (index < text.length && peek() !== '\n') advance();
    if (peek() === '\n') advance();
  };

  /** Read one field; undefined after reporting a problem (the rest of the line is skipped). */
  const readField = (): CsvField | undefined => {
    const start = { line, column };
    if (peek() === '"') {
      advance();
      let value = '';
      for (;;) {
        // Whole runs up to the next quote at once: fields are long, quotes inside them rare.
        const close = text.indexOf('"', index);
        if (close === -1) {
          problems.push({
            ...start,
            message: 'quoted field is never closed (a quote inside a quoted field is written "")',
          });
          index = text.length;
          return undefined;
        }
        const from = index;
        moveTo(close);
        value += text.slice(from, close);
        advance();
        if (peek() !== '"') break;
        advance();
        value += '"';
      }
      if (!atRecordEnd() && peek() !== ',') {
        problems.push({
          line,
          column,
          message: `unexpected ${excerpt(peek() ?? '')} after the closing quote of a field (a quote inside a quoted field is written "")`,
        });
        skipLine();
        return undefined;
      }
      return { value, ...start, quoted: true };
    }
    // An unquoted field holds no line break: find its end, then take it in one slice.
    const from = index;
    let end = index;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code === COMMA || code === LINE_FEED) break;
      if (code === CARRIAGE_RETURN && text.charCodeAt(end + 1) === LINE_FEED) break;
      if (code === QUOTE || code === CARRIAGE_RETURN) {
        column += end - index;
        index = end;
        problems.push({
          line,
          column,
          message:
            code === QUOTE
              ? 'quote in an unquoted field (quote the whole field and write the quote as "")'
              : 'carriage return without a line feed (line breaks are CRLF or LF)',
        });
        skipLine();
        return undefined;
      }
    }
    column += end - index;
    index = end;
    const value = text.slice(from, end);
    return { value, ...start, quoted: false };
  };

  while (index < text.length) {
    if (peek() === '\n' || (peek() === '\r' && peek(1) === '\n')) {
      consumeLineBreak(); // an empty line
      continue;
    }
    const record: CsvRecord = { line, fields: [] };
    let broken = false;
    for (;;) {
      const field = readField();
      if (field === undefined) {
        broken = true;
        break;
      }
      record.fields.push(field);
      if (peek() === ',') {
        advance();
        continue;
      }
      break;
    }
    if (broken) continue;
    const end = { line, column };
    consumeLineBreak();

    const expected = options.fieldCount ?? records[0]?.fields.length;
    if (expected !== undefined && record.fields.length !== expected) {
      const extra = record.fields[expected];
      const where = extra === undefined ? end : { line: extra.line, column: extra.column };
      problems.push({
        ...where,
        message: `expected ${expected} fields, as in the header, but this row has ${record.fields.length}`,
      });
      continue;
    }
    records.push(record);
  }
  return { records, problems };
}

/** Quote a value for CSV output when it needs it (comma, quote, CR or LF), doubling quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One CSV record with CRLF, as RFC 4180 writes it. A record of one empty field is written `""`,
 * since an empty line would read as no record at all.
 */
export function csvRecord(values: readonly string[]): string {
  if (values.length === 1 && values[0] === '') return '""\r\n';
  return `${values.map(csvField).join(',')}\r\n`;
}
