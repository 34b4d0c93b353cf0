import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CallsFileReader,
  MAX_REPORTED_PROBLEMS,
  type CallRow,
  type CallsFileFormat,
  type CallsFileProblem,
} from '../../src/compliance/callsFile.js';

/** Every row and problem the reader gives for `text` handed over in pieces cut at `cuts`. */
function read(
  format: CallsFileFormat,
  text: string,
  cuts: readonly number[] = [],
): { rows: CallRow[]; problems: CallsFileProblem[]; total: number } {
  const rows: CallRow[] = [];
  const reader = new CallsFileReader(format, (row) => rows.push(row));
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.push(text.slice(from, cut));
    from = cut;
  }
  reader.push(text.slice(from));
  reader.end();
  return { rows, problems: reader.problems.list, total: reader.problems.total };
}

const CSV = [
  'phone,at,timeZone,previousCalls,onDncLists',
  '"+1212555\n0199",2026-03-03T15:00:00Z,America/New_York,2026-03-03T14:00:00Z;2026-03-03T13:00:00Z,',
  '+12125550199,2026-03-03T16:00:00Z,America/New_York,,"Internal ""A"" DNC"\r',
  '',
  '+12125550198,2026-03-03T17:00:00Z,,,',
  '+12125550197,2026-03-03T18:00:00Z,America/New_York,,Internal DNC;Other',
  '+12125550196,2026-03-03T19:00:00Z,America/New_York,bad"quote,',
  '+12125550195,2026-03-03T20:00:00Z,America/New_York,,',
].join('\n');

const JSONL = [
  '{"phone":"+12125550199","at":"2026-03-03T15:00:00Z","timeZone":"America/New_York"}',
  '',
  '{"phone":"+12125550199","at":"2026-03-03T16:00:00Z","previousCalls":["2026-03-03T15:00:00Z"]}\r',
  'not json',
  '{"phone":"+12125550199","at":"2026-03-03T17:00:00Z","callsToday":"two"}',
  '{"phone":"+12125550199","at":"2026-03-03T18:00:00Z"}',
].join('\n');

describe('CallsFileReader', () => {
  it('reads CSV records with line numbers across quoted line breaks, blank lines and CRLF', () => {
    const { rows, problems } = read('csv', CSV);
    expect(rows.map((row) => row.line)).toEqual([2, 4, 6, 7, 9]);
    expect(rows[0]?.call).toMatchObject({
      phone: '+1212555\n0199',
      previousCalls: ['2026-03-03T14:00:00Z', '2026-03-03T13:00:00Z'],
    });
    expect(rows[1]?.call.onDncLists).toEqual(['Internal "A" DNC']);
    expect(rows[3]?.call.onDncLists).toEqual(['Internal DNC', 'Other']);
    expect(problems).toEqual([
      {
        line: 8,
        column: 55,
        message: 'quote in an unquoted field (quote the whole field and write the quote as "")',
      },
    ]);
  });

  it('gives the same rows and problems however the text is cut into pieces', () => {
    for (const [format, text] of [
      ['csv', CSV],
      ['jsonl', JSONL],
    ] as const) {
      const whole = read(format, text);
      expect(whole.rows.length).toBeGreaterThan(2);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }),
          (cuts) => {
            expect(read(format, text, cuts)).toEqual(whole);
          },
        ),
        { numRuns: 200 },
      );
      // One character at a time: every cut there is.
      const everywhere = Array.from({ length: text.length }, (_, index) => index);
      expect(read(format, text, everywhere)).toEqual(whole);
    }
  });

  it('reports JSON Lines problems at their lines and reads the rest', () => {
    const { rows, problems, total } = read('jsonl', JSONL);
    expect(rows.map((row) => row.line)).toEqual([1, 3, 6]);
    expect(total).toBe(2);
    expect(problems.map((problem) => problem.line)).toEqual([4, 5]);
    expect(problems[1]?.message).toBe('callsToday: must be a number, not "two"');
  });

  it('reports a file without a header, and a bad header once, without judging its rows', () => {
    expect(read('csv', '').problems).toEqual([
      { line: 1, column: 1, message: 'the file has no header row' },
    ]);
    const badHeader = read('csv', 'at,when\n2026-03-03T15:00:00Z,x\n2026-03-03T15:00:00Z,y\n');
    expect(badHeader.rows).toEqual([]);
    expect(badHeader.total).toBe(1);
    expect(badHeader.problems[0]).toMatchObject({ line: 1, column: 4 });
  });

  it('keeps the first problems and counts the rest', () => {
    const rows = Array.from(
      { length: MAX_REPORTED_PROBLEMS + 7 },
      () => '2026-03-03T15:00:00Z,lots',
    );
    const { problems, total } = read('csv', ['at,callsToday', ...rows].join('\n'));
    expect(total).toBe(MAX_REPORTED_PROBLEMS + 7);
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(problems[0]?.line).toBe(2);
  });
});
