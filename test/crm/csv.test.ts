import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, parseCsv } from '../../src/crm/csv.js';

/** Just the values of every record. */
function values(text: string): string[][] {
  const result = parseCsv(text);
  expect(result.problems).toEqual([]);
  return result.records.map((record) => record.fields.map((field) => field.value));
}

describe('parseCsv', () => {
  it('reads LF, CRLF and a missing final line break alike', () => {
    const expected = [
      ['status', 'description'],
      ['A', 'Alpha'],
      ['B', 'Beta'],
    ];
    expect(values('status,description\nA,Alpha\nB,Beta\n')).toEqual(expected);
    expect(values('status,description\r\nA,Alpha\r\nB,Beta\r\n')).toEqual(expected);
    expect(values('status,description\r\nA,Alpha\nB,Beta')).toEqual(expected);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\r\nlines","LF\nonly"\r\nlast,""\r\n';
    expect(values(text)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', 'LF\nonly'],
      ['last', ''],
    ]);
  });

  it('keeps empty fields, a trailing empty field and spaces', () => {
    expect(values('a,b,c\n,, \n x ,"",\n')).toEqual([
      ['a', 'b', 'c'],
      ['', '', ' '],
      [' x ', '', ''],
    ]);
  });

  it('ignores a byte order mark and empty lines', () => {
    expect(values('\uFEFFstatus,description\n\nA,Alpha\r\n\r\n\nB,Beta\n\n')).toEqual([
      ['status', 'description'],
      ['A', 'Alpha'],
      ['B', 'Beta'],
    ]);
    expect(values('')).toEqual([]);
    expect(values('\uFEFF')).toEqual([]);
    expect(values('\n\n')).toEqual([]);
  });

  it('gives each field its line and column, after multi-line fields and without the BOM', () => {
    const { records } = parseCsv('\uFEFFstatus,description\n"A\nB",x\nC,"y"\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(records[0]?.fields.map((f) => [f.line, f.column])).toEqual([
      [1, 1],
      [1, 8],
    ]);
    expect(records[1]?.fields.map((f) => [f.value, f.line, f.column, f.quoted])).toEqual([
      ['A\nB', 2, 1, true],
      ['x', 3, 4, false],
    ]);
    expect(records[2]?.fields.map((f) => [f.line, f.column])).toEqual([
      [4, 1],
      [4, 3],
    ]);
  });

  describe('malformed rows', () => {
    it('reports a quote inside an unquoted field at the quote, and goes on', () => {
      const result = parseCsv('a,b\nsay "hi",x\nC,D\n');
      expect(result.problems).toEqual([
        {
          line: 2,
          column: 5,
          message: 'quote in an unquoted field (quote the whole field and write the quote as "")',
        },
      ]);
      expect(result.records.map((r) => r.fields[0]?.value)).toEqual(['a', 'C']);
    });

    it('reports text after a closing quote at that text', () => {
      const result = parseCsv('a,b\n"x"y,z\n');
      expect(result.problems).toEqual([
        {
          line: 2,
          column: 4,
          message:
            'unexpected "y" after the closing quote of a field (a quote inside a quoted field is written "")',
        },
      ]);
    });

    it('reports a quoted field that is never closed at its opening quote', () => {
      const result = parseCsv('a,b\nA,"open\nB,C\n');
      expect(result.problems).toEqual([
        {
          line: 2,
          column: 3,
          message: 'quoted field is never closed (a quote inside a quoted field is written "")',
        },
      ]);
      expect(result.records).toHaveLength(1);
    });

    it('reports a bare carriage return', () => {
      const result = parseCsv('a,b\nA\rB,C\nD,E\n');
      expect(result.problems).toEqual([
        {
          line: 2,
          column: 2,
          message: 'carriage return without a line feed (line breaks are CRLF or LF)',
        },
      ]);
      expect(result.records.map((r) => r.fields[0]?.value)).toEqual(['a', 'D']);
    });

    it('reports rows with too many fields at the first extra one, and too few at the row end', () => {
      const result = parseCsv('status,description\nA,Alpha,extra\nB\r\nC,Gamma\n');
      expect(result.problems).toEqual([
        { line: 2, column: 9, message: 'expected 2 fields, as in the header, but this row has 3' },
        { line: 3, column: 2, message: 'expected 2 fields, as in the header, but this row has 1' },
      ]);
      expect(result.records.map((r) => r.fields[0]?.value)).toEqual(['status', 'C']);
    });

    it('reports every malformed row in one pass', () => {
      const result = parseCsv('a,b\nx"y,1\n"p"q,2\nok,3\nr,s,t\n');
      expect(result.problems.map((p) => p.line)).toEqual([2, 3, 5]);
      expect(result.records).toHaveLength(2);
    });
  });

  it('reads back whatever csvRecord writes', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', 'é', '😀'),
    });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.array(fc.array(field, { minLength: width, maxLength: width }), { maxLength: 6 }),
          ),
        (rows) => {
          const text = rows.map(csvRecord).join('');
          const result = parseCsv(text);
          expect(result.problems).toEqual([]);
          expect(result.records.map((r) => r.fields.map((f) => f.value))).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('csvField and csvRecord', () => {
  it('quote only what needs it', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvRecord(['a', 'b,c'])).toBe('a,"b,c"\r\n');
    expect(csvRecord([''])).toBe('""\r\n');
  });
});
