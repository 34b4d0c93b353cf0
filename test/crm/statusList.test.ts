import { describe, expect, it } from 'vitest';
import { parseStatusCsv } from '../../src/crm/statusList.js';

const FILE = 'crm/salesforce-statuses.csv';

describe('parseStatusCsv', () => {
  it('reads statuses with the position of each status and description', () => {
    const result = parseStatusCsv(
      'status,description\r\nCASE_CLOSED_RESOLVED,Case resolved\r\nCASE_ESCALATED,"Escalated, tier 2"\r\n',
      FILE,
    );
    expect(result.problems).toEqual([]);
    expect(result.statuses).toEqual([
      {
        status: 'CASE_CLOSED_RESOLVED',
        description: 'Case resolved',
        at: { file: FILE, line: 2, column: 1 },
        descriptionAt: { file: FILE, line: 2, column: 22 },
      },
      {
        status: 'CASE_ESCALATED',
        description: 'Escalated, tier 2',
        at: { file: FILE, line: 3, column: 1 },
        descriptionAt: { file: FILE, line: 3, column: 16 },
      },
    ]);
  });

  it('takes the columns in any order, in any case, and ignores other columns', () => {
    const result = parseStatusCsv(
      '\uFEFF Description ,IsClosed,STATUS\nSolved,true,SOLVED\nWaiting,false,PENDING\n',
      FILE,
    );
    expect(result.problems).toEqual([]);
    expect(result.statuses.map((s) => [s.status, s.description, s.at.column])).toEqual([
      ['SOLVED', 'Solved', 13],
      ['PENDING', 'Waiting', 15],
    ]);
  });

  it('accepts a header with no rows', () => {
    expect(parseStatusCsv('status,description\n', FILE)).toEqual({ statuses: [], problems: [] });
  });

  it('requires a header naming status and description', () => {
    const result = parseStatusCsv('CASE_CLOSED,Closed\nCASE_OPEN,Open\n', FILE);
    expect(result.statuses).toEqual([]);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        code: 'crm.csvHeader',
        message:
          'the header row has no "status" or "description" column (found "CASE_CLOSED", "Closed"); it must name the columns status and description',
        at: { file: FILE, line: 1, column: 1 },
        hint: 'start the file with the line: status,description',
      },
    ]);
    const noDescription = parseStatusCsv('status,label\nA,Alpha\n', FILE);
    expect(noDescription.problems[0]?.message).toMatch(
      /^the header row has no "description" column/,
    );
  });

  it('shows only a short, escaped excerpt of a header that is not one', () => {
    // Whatever file a manifest names, an error never prints more than a few escaped characters.
    const line = `root:$6$${'x'.repeat(200)}:19000:0:99999:7:::\u001b[31m,b,c,d,e\n`;
    const text = (csv: string): string => {
      const message = parseStatusCsv(csv, FILE).problems[0]?.message;
      return typeof message === 'string' ? message : '';
    };
    const message = text(line);
    expect(message).toBe(
      'the header row has no "status" or "description" column (found "root:$6$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…", "b", "c" and 2 more); it must name the columns status and description',
    );
    const control = text('a\u001b[2J\u0007,b\n');
    expect(control).toContain('(found "a\\u001b[2J\\u0007", "b")');
    expect([...control].some((character) => character < ' ')).toBe(false);
  });

  it('refuses a header that names a column twice', () => {
    const result = parseStatusCsv('status,description,Status\nA,Alpha,B\n', FILE);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        code: 'crm.csvHeader',
        message: 'the header names the column "status" twice',
        at: { file: FILE, line: 1, column: 20 },
      },
    ]);
  });

  it('refuses an empty file', () => {
    for (const text of ['', '\uFEFF', '\r\n\r\n']) {
      expect(parseStatusCsv(text, FILE).problems).toEqual([
        {
          severity: 'error',
          code: 'crm.csvHeader',
          message: 'the status list is empty; it needs a header row "status,description"',
          at: { file: FILE, line: 1, column: 1 },
        },
      ]);
    }
  });

  it('turns CSV syntax errors into problems at file:line:col', () => {
    const result = parseStatusCsv('status,description\nA,"Alpha\nB,Beta,extra\n', FILE);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        code: 'crm.csvSyntax',
        message:
          'malformed CSV: quoted field is never closed (a quote inside a quoted field is written "")',
        at: { file: FILE, line: 2, column: 3 },
      },
    ]);
    const extra = parseStatusCsv('status,description\nB,Beta,extra\nC,Gamma\n', FILE);
    expect(extra.problems).toEqual([
      {
        severity: 'error',
        code: 'crm.csvSyntax',
        message: 'malformed CSV: expected 2 fields, as in the header, but this row has 3',
        at: { file: FILE, line: 2, column: 8 },
      },
    ]);
    expect(extra.statuses.map((s) => s.status)).toEqual(['C']);
  });
});
