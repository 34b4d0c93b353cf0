import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/crm/csv.js';
import { renderCrmMappings, type CrmMappingsView } from '../../src/render/crmMappings.js';
import { CapturedStream } from '../helpers/capture.js';

const view: CrmMappingsView = {
  table: [
    {
      system: 'salesforce',
      status: 'CASE_CLOSED_RESOLVED',
      description: 'Case resolved',
      code: 'RES_001',
      category: 'Resolution',
    },
    {
      system: 'salesforce',
      status: 'CASE_CLOSED_DUPLICATE',
      description: 'Closed, "duplicate"',
      code: 'RES_DUP',
      category: 'Resolution',
    },
    {
      system: 'zendesk',
      status: 'solved',
      description: 'Solved',
      code: 'ZD_SOLVED',
      category: 'Support',
    },
  ],
  unmapped: [
    {
      system: 'salesforce',
      status: 'CASE_ESCALATED',
      description: 'Escalated\nto tier 2',
      at: { file: 'crm/sf.csv', line: 4, column: 1 },
    },
  ],
};

function render(format: 'csv' | 'json' | 'text', data = view): string {
  const out = new CapturedStream();
  renderCrmMappings(data, format, out);
  return out.text;
}

describe('renderCrmMappings', () => {
  it('writes the import table as RFC 4180 CSV, mapped statuses only', () => {
    expect(render('csv')).toBe(
      'system,status,description,code,category\r\n' +
        'salesforce,CASE_CLOSED_RESOLVED,Case resolved,RES_001,Resolution\r\n' +
        'salesforce,CASE_CLOSED_DUPLICATE,"Closed, ""duplicate""",RES_DUP,Resolution\r\n' +
        'zendesk,solved,Solved,ZD_SOLVED,Support\r\n',
    );
    const reread = parseCsv(render('csv'));
    expect(reread.problems).toEqual([]);
    expect(reread.records[2]?.fields[2]?.value).toBe('Closed, "duplicate"');
  });

  it('writes only the header for an empty table', () => {
    expect(render('csv', { table: [], unmapped: [] })).toBe(
      'system,status,description,code,category\r\n',
    );
  });

  it('writes JSON with the table and the unmapped statuses, without locations', () => {
    const parsed: unknown = JSON.parse(render('json'));
    expect(parsed).toEqual({
      formatVersion: 1,
      mappings: view.table,
      unmapped: [
        { system: 'salesforce', status: 'CASE_ESCALATED', description: 'Escalated\nto tier 2' },
      ],
    });
    expect(render('json').endsWith('}\n')).toBe(true);
  });

  it('writes an aligned text table, the unmapped statuses and a summary', () => {
    expect(render('text')).toBe(
      [
        'SYSTEM      STATUS                 DESCRIPTION          CODE       CATEGORY',
        'salesforce  CASE_CLOSED_RESOLVED   Case resolved        RES_001    Resolution',
        'salesforce  CASE_CLOSED_DUPLICATE  Closed, "duplicate"  RES_DUP    Resolution',
        'zendesk     solved                 Solved               ZD_SOLVED  Support',
        '',
        'Unmapped (1):',
        '  salesforce  CASE_ESCALATED  Escalated\\nto tier 2',
        '',
        '3 statuses mapped in 2 systems, 1 unmapped.',
        '',
      ].join('\n'),
    );
    expect(render('text', { table: [], unmapped: [] })).toBe(
      '0 statuses mapped in 0 systems, 0 unmapped.\n',
    );
  });

  it('colours the text only when given colours', () => {
    const out = new CapturedStream();
    renderCrmMappings(view, 'text', out, new Chalk({ level: 1 }));
    expect(out.text).toContain('\u001b[1mSYSTEM');
    expect(render('text')).not.toContain('\u001b[');
  });
});
