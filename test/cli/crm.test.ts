import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/crm/csv.js';
import { cxctl, temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-crm-');

const STATUSES_CSV =
  'status,description\nCASE_CLOSED,Case closed\nCASE_ESCALATED,"Escalated, tier 2"\n';

/** A nested manifest naming a CSV next to it, plus an inline system. */
function tenant(extraRules = '', csv = STATUSES_CSV): Record<string, string> {
  return {
    'manifests/teams/sales/crm.yaml': `crmMappings:
  - system: salesforce
    statuses: ./lists/salesforce.csv
    rules:
      - { status: CASE_CLOSED, code: SF_CLOSED, category: Resolution, duration: 300 }
      - { status: CASE_ESCALATED, code: SF_ESCALATED, category: Escalation, duration: 420 }
${extraRules}  - system: zendesk
    statuses:
      - { status: solved, description: Solved }
    rules:
      - { status: solved, code: ZD_SOLVED, category: Resolution, duration: 120 }
`,
    'manifests/teams/sales/lists/salesforce.csv': csv,
  };
}

describe('cxctl crm mappings', () => {
  it('prints the import table as CSV when stdout is not a terminal', async () => {
    const root = project(tenant());
    const result = await cxctl(root, ['crm', 'mappings']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'system,status,description,code,category\r\n' +
        'salesforce,CASE_CLOSED,Case closed,SF_CLOSED,Resolution\r\n' +
        'salesforce,CASE_ESCALATED,"Escalated, tier 2",SF_ESCALATED,Escalation\r\n' +
        'zendesk,solved,Solved,ZD_SOLVED,Resolution\r\n',
    );
    // The CSV reads back to the same table.
    const parsed = parseCsv(result.stdout);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records[2]?.fields.map((field) => field.value)).toEqual([
      'salesforce',
      'CASE_ESCALATED',
      'Escalated, tier 2',
      'SF_ESCALATED',
      'Escalation',
    ]);
  });

  it('prints an aligned table on a terminal, and any format on request', async () => {
    const root = project(tenant());
    const text = await cxctl(root, ['crm', 'mappings', '--no-color'], { tty: true });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^SYSTEM\s+STATUS\s+DESCRIPTION\s+CODE\s+CATEGORY$/);
    expect(text.stdout).toContain('3 statuses mapped in 2 systems, 0 unmapped.');

    const json = await cxctl(root, ['crm', 'mappings', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      formatVersion: 1,
      mappings: [
        {
          system: 'salesforce',
          status: 'CASE_CLOSED',
          description: 'Case closed',
          code: 'SF_CLOSED',
          category: 'Resolution',
        },
        {
          system: 'salesforce',
          status: 'CASE_ESCALATED',
          description: 'Escalated, tier 2',
          code: 'SF_ESCALATED',
          category: 'Escalation',
        },
        {
          system: 'zendesk',
          status: 'solved',
          description: 'Solved',
          code: 'ZD_SOLVED',
          category: 'Resolution',
        },
      ],
      unmapped: [],
    });

    const csv = await cxctl(root, ['crm', 'mappings', '--format', 'csv'], { tty: true });
    expect(csv.stdout.startsWith('system,status,description,code,category\r\n')).toBe(true);
    const textOnPipe = await cxctl(root, ['crm', 'mappings', '--format', 'text']);
    expect(textOnPipe.stdout).toContain('SYSTEM');
  });

  it('reads the manifests named on the command line', async () => {
    const root = project({ ...tenant(), 'other/empty.yaml': 'crmMappings: []\n' });
    const result = await cxctl(root, ['crm', 'mappings', 'other', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ formatVersion: 1, mappings: [], unmapped: [] });
  });

  it('warns about unmapped statuses on stderr, and fails on them with --strict', async () => {
    const csv = `${STATUSES_CSV}CASE_ON_HOLD,On hold\n`;
    const root = project(tenant('', csv));
    const relaxed = await cxctl(root, ['crm', 'mappings', '--format', 'json']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stderr).toBe(
      'manifests/teams/sales/lists/salesforce.csv:4:1: warning: salesforce status CASE_ON_HOLD has no mapping rule, so no wrap-up code is synced for it [crm.unmappedStatus]\n' +
        '  hint: add a rule for it, or remove it from the status list\n',
    );
    expect(JSON.parse(relaxed.stdout)).toMatchObject({
      unmapped: [{ system: 'salesforce', status: 'CASE_ON_HOLD', description: 'On hold' }],
    });

    const strict = await cxctl(root, ['crm', 'mappings', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toContain(
      'manifests/teams/sales/lists/salesforce.csv:4:1: error: salesforce status CASE_ON_HOLD has no mapping rule',
    );
    expect(strict.stderr).toContain('error: 1 error in the manifests; no table was printed');
  });

  it('reports a missing status list where the manifest names it, and prints no table', async () => {
    const files = tenant();
    delete files['manifests/teams/sales/lists/salesforce.csv'];
    const root = project(files);
    const result = await cxctl(root, ['crm', 'mappings']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'manifests/teams/sales/crm.yaml:3:15: error: cannot read the salesforce status list manifests/teams/sales/lists/salesforce.csv: the file does not exist [crm.statusFileUnreadable]',
    );
    expect(result.stderr).toContain('hint: the path is relative to the manifest that names it');
  });

  it('reports an orphan mapping at its rule, with a suggestion', async () => {
    const root = project(
      tenant(
        '      - { status: CASE_CLOSD, code: SF_CLOSED_2, category: Resolution, duration: 300 }\n',
      ),
    );
    const result = await cxctl(root, ['crm', 'mappings']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'manifests/teams/sales/crm.yaml:7:9: error: mapping rule for salesforce status CASE_CLOSD is an orphan: the status list has no such status [crm.orphanMapping]\n  hint: did you mean CASE_CLOSED?\n',
    );
  });

  it('reports CSV problems at the CSV file, line and column', async () => {
    const root = project(tenant('', `${STATUSES_CSV}CASE_"X",Broken\n`));
    const result = await cxctl(root, ['crm', 'mappings']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'manifests/teams/sales/lists/salesforce.csv:4:6: error: malformed CSV: quote in an unquoted field',
    );
  });

  it('names both places when a generated code disagrees with an explicit one', async () => {
    const root = project({
      ...tenant(),
      'manifests/codes.yaml':
        'wrapUpCodes:\n  - code: SF_CLOSED\n    name: Closed\n    category: Resolution\n    duration: 300\n',
    });
    const result = await cxctl(root, ['crm', 'mappings']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'manifests/codes.yaml:2:5: error: wrap-up code SF_CLOSED is declared here and also generated from salesforce status CASE_CLOSED (manifests/teams/sales/crm.yaml:5:9), and they differ: name "Closed" here vs "Case closed" from the mapping; description (none) here vs "Synced from salesforce status CASE_CLOSED" from the mapping [crm.explicitConflict]',
    );
  });

  it('accepts an explicit declaration that agrees with the mapping', async () => {
    const root = project({
      ...tenant(),
      'manifests/codes.yaml': `wrapUpCodes:
  - code: SF_CLOSED
    name: Case closed
    category: Resolution
    duration: 300
    description: Synced from salesforce status CASE_CLOSED
`,
    });
    const result = await cxctl(root, ['crm', 'mappings']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('salesforce,CASE_CLOSED,Case closed,SF_CLOSED,Resolution');
  });

  it('refuses a missing or unknown action with a usage error', async () => {
    const root = project(tenant());
    const result = await cxctl(root, ['crm', 'statuses']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid values');
    expect(result.stdout).toBe('');
    const bare = await cxctl(root, ['crm']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe(
      'error: name what to show: cxctl crm mappings [PATH..]\nhint: run cxctl crm --help for usage\n',
    );
  });
});
