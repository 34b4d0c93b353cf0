import { describe, expect, it } from 'vitest';
import {
  resolveCrmMappings,
  type CrmResolution,
  type CrmMapping,
  type CrmMappingRule,
  type ExplicitWrapUpCode,
} from '../../src/crm/mappings.js';
import type { CrmStatus } from '../../src/crm/statusList.js';
import { pendingMessage, pendingToDiagnostics } from '../../src/diagnostics.js';

const MANIFEST = 'manifests/crm.yaml';
const CSV = 'manifests/crm/salesforce-statuses.csv';

/** A location in the manifest at the given line. */
const line = (n: number, column = 7): { file: string; line: number; column: number } => ({
  file: MANIFEST,
  line: n,
  column,
});

function rule(status: string, code: string, at: number, extra: Partial<CrmMappingRule> = {}) {
  return { status, code, category: 'Resolution', duration: 300, at: line(at), ...extra };
}

function inline(status: string, description: string, at: number): CrmStatus {
  return { status, description, at: line(at) };
}

const salesforceCsv = [
  'status,description',
  'CASE_CLOSED_RESOLVED,Case resolved',
  'CASE_CLOSED_DUPLICATE,Closed as duplicate',
  'CASE_ESCALATED,Escalated to tier 2',
  '',
].join('\r\n');

const salesforce: CrmMapping = {
  system: 'salesforce',
  statuses: { file: CSV, text: salesforceCsv, referencedAt: line(3, 15) },
  rules: [
    rule('CASE_CLOSED_RESOLVED', 'RES_001', 5),
    rule('CASE_CLOSED_DUPLICATE', 'RES_DUP', 6, { duration: 60, isActive: false }),
  ],
  at: line(2, 5),
};

const zendesk: CrmMapping = {
  system: 'zendesk',
  statuses: [inline('solved', 'Solved', 10), inline('pending', 'Waiting on customer', 11)],
  rules: [
    rule('solved', 'ZD_SOLVED', 13, { category: 'Support', isDefault: true }),
    rule('pending', 'ZD_PENDING', 14, { category: 'Support' }),
  ],
  at: line(8, 5),
};

/** Resolve, with each message written out as text (places as file:line:col, as given). */
function settled(...args: Parameters<typeof resolveCrmMappings>): CrmResolution {
  const resolution = resolveCrmMappings(...args);
  return {
    ...resolution,
    problems: resolution.problems.map((problem) => ({
      ...problem,
      message: pendingMessage(problem),
    })),
  };
}

function codesOf(problems: { code: string }[]): string[] {
  return problems.map((problem) => problem.code);
}

describe('resolveCrmMappings', () => {
  it('generates a wrap-up code per mapped status, named after its description', () => {
    const resolution = settled([zendesk, salesforce], []);
    expect(resolution.generatedCodes).toEqual([
      {
        code: 'RES_001',
        name: 'Case resolved',
        category: 'Resolution',
        duration: 300,
        isActive: true,
        isDefault: false,
        description: 'Synced from salesforce status CASE_CLOSED_RESOLVED',
        origin: { system: 'salesforce', status: 'CASE_CLOSED_RESOLVED', at: line(5) },
      },
      {
        code: 'RES_DUP',
        name: 'Closed as duplicate',
        category: 'Resolution',
        duration: 60,
        isActive: false,
        isDefault: false,
        description: 'Synced from salesforce status CASE_CLOSED_DUPLICATE',
        origin: { system: 'salesforce', status: 'CASE_CLOSED_DUPLICATE', at: line(6) },
      },
      {
        code: 'ZD_PENDING',
        name: 'Waiting on customer',
        category: 'Support',
        duration: 300,
        isActive: true,
        isDefault: false,
        description: 'Synced from zendesk status pending',
        origin: { system: 'zendesk', status: 'pending', at: line(14) },
      },
      {
        code: 'ZD_SOLVED',
        name: 'Solved',
        category: 'Support',
        duration: 300,
        isActive: true,
        isDefault: true,
        description: 'Synced from zendesk status solved',
        origin: { system: 'zendesk', status: 'solved', at: line(13) },
      },
    ]);
  });

  it('builds the table by system, in status-list order, and lists unmapped statuses', () => {
    const resolution = settled([zendesk, salesforce], []);
    expect(resolution.table).toEqual([
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
        description: 'Closed as duplicate',
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
      {
        system: 'zendesk',
        status: 'pending',
        description: 'Waiting on customer',
        code: 'ZD_PENDING',
        category: 'Support',
      },
    ]);
    expect(resolution.unmapped).toEqual([
      {
        system: 'salesforce',
        status: 'CASE_ESCALATED',
        description: 'Escalated to tier 2',
        at: { file: CSV, line: 4, column: 1 },
      },
    ]);
  });

  it('warns about an unmapped status at its CSV line, and makes it an error with strict', () => {
    const expected = {
      code: 'crm.unmappedStatus',
      message:
        'salesforce status CASE_ESCALATED has no mapping rule, so no wrap-up code is synced for it',
      at: { file: CSV, line: 4, column: 1 },
      hint: 'add a rule for it, or remove it from the status list',
    };
    expect(settled([salesforce], []).problems).toEqual([{ severity: 'warning', ...expected }]);
    expect(settled([salesforce], [], { strict: true }).problems).toEqual([
      { severity: 'error', ...expected },
    ]);
  });

  describe('explicit wrap-up codes', () => {
    const explicitResolved: ExplicitWrapUpCode = {
      code: 'RES_001',
      name: 'Case resolved',
      category: 'Resolution',
      duration: 300,
      description: 'Synced from salesforce status CASE_CLOSED_RESOLVED',
      at: { file: 'manifests/codes.yaml', line: 4, column: 5 },
    };

    it('lets an identical explicit declaration stand, defaults included, without generating', () => {
      const resolution = settled([salesforce], [explicitResolved]);
      expect(resolution.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(resolution.generatedCodes.map((c) => c.code)).toEqual(['RES_DUP']);
      expect(resolution.table.map((row) => row.code)).toEqual(['RES_001', 'RES_DUP']);
      const spelledOut = { ...explicitResolved, isActive: true, isDefault: false };
      expect(settled([salesforce], [spelledOut]).generatedCodes).toHaveLength(1);
    });

    it('reports a disagreeing declaration at the declaration, naming the rule and each field', () => {
      const differing = { ...explicitResolved, name: 'Resolved', duration: 120, description: '' };
      const problems = settled([salesforce], [differing]).problems.filter(
        (p) => p.severity === 'error',
      );
      expect(problems).toEqual([
        {
          severity: 'error',
          code: 'crm.explicitConflict',
          message:
            'wrap-up code RES_001 is declared here and also generated from salesforce status CASE_CLOSED_RESOLVED (manifests/crm.yaml:5:7), and they differ: ' +
            'name "Resolved" here vs "Case resolved" from the mapping; ' +
            'duration 120 here vs 300 from the mapping; ' +
            'description (none) here vs "Synced from salesforce status CASE_CLOSED_RESOLVED" from the mapping',
          at: { file: 'manifests/codes.yaml', line: 4, column: 5 },
          hint: 'make the declaration match the mapping, or remove it and let the mapping generate the code',
          related: [line(5)],
        },
      ]);
    });

    it('compares isActive and isDefault after defaults', () => {
      const inactive = { ...explicitResolved, isActive: false };
      const [problem] = settled([salesforce], [inactive]).problems.filter(
        (p) => p.severity === 'error',
      );
      expect(problem?.message).toMatch(/differ: isActive false here vs true from the mapping$/);
    });
  });

  describe('errors', () => {
    it('reports an orphan mapping at the rule, suggesting a close status', () => {
      const mapping: CrmMapping = {
        ...salesforce,
        rules: [
          ...salesforce.rules,
          rule('CASE_CLOSED_RESOLVD', 'RES_002', 7),
          rule('NOPE', 'X_1', 8),
        ],
      };
      const problems = settled([mapping], []).problems.filter(
        (p) => p.code === 'crm.orphanMapping',
      );
      expect(problems).toEqual([
        {
          severity: 'error',
          code: 'crm.orphanMapping',
          message:
            'mapping rule for salesforce status CASE_CLOSED_RESOLVD is an orphan: the status list has no such status',
          at: line(7),
          hint: 'did you mean CASE_CLOSED_RESOLVED?',
        },
        {
          severity: 'error',
          code: 'crm.orphanMapping',
          message:
            'mapping rule for salesforce status NOPE is an orphan: the status list has no such status',
          at: line(8),
          hint: 'add the status to the list, or remove the rule',
        },
      ]);
    });

    it('reports a status listed twice at the second, naming the first', () => {
      const text = 'status,description\nA,Alpha\nB,Beta\nA,Alpha again\n';
      const mapping: CrmMapping = {
        system: 'hubspot',
        statuses: { file: 'crm/hubspot.csv', text, referencedAt: line(3) },
        rules: [rule('A', 'HS_A', 5), rule('B', 'HS_B', 6)],
        at: line(2),
      };
      expect(settled([mapping], []).problems).toEqual([
        {
          severity: 'error',
          code: 'crm.duplicateStatus',
          message: 'hubspot status A is listed twice; first at crm/hubspot.csv:2:1',
          at: { file: 'crm/hubspot.csv', line: 4, column: 1 },
          related: [{ file: 'crm/hubspot.csv', line: 2, column: 1 }],
        },
      ]);
    });

    it('reports empty statuses and statuses with surrounding spaces', () => {
      const mapping: CrmMapping = {
        ...zendesk,
        statuses: [inline('', 'Nothing', 10), inline(' solved', 'Solved', 11)],
        rules: [rule(' solved', 'ZD_SOLVED', 13)],
      };
      expect(codesOf(settled([mapping], []).problems)).toEqual([
        'crm.emptyStatus',
        'crm.statusWhitespace',
      ]);
    });

    it('reports a status mapped by two rules at the second rule', () => {
      const mapping: CrmMapping = {
        ...zendesk,
        rules: [...zendesk.rules, rule('solved', 'ZD_SOLVED_2', 15)],
      };
      expect(settled([mapping], []).problems).toEqual([
        {
          severity: 'error',
          code: 'crm.duplicateMapping',
          message:
            'zendesk status solved is mapped twice; the first rule (to ZD_SOLVED) is at manifests/crm.yaml:13:7',
          at: line(15),
          related: [line(13)],
        },
      ]);
    });

    it('reports one code generated from two statuses, within or across systems', () => {
      const across: CrmMapping = {
        ...zendesk,
        rules: [rule('solved', 'RES_001', 13), zendesk.rules[1] as CrmMappingRule],
      };
      const problems = settled([salesforce, across], []).problems.filter(
        (p) => p.severity === 'error',
      );
      expect(problems).toEqual([
        {
          severity: 'error',
          code: 'crm.codeConflict',
          message:
            'wrap-up code RES_001 is generated both from zendesk status solved and from salesforce status CASE_CLOSED_RESOLVED (manifests/crm.yaml:5:7)',
          at: line(13),
          hint: 'map each CRM status to its own wrap-up code',
          related: [line(5)],
        },
      ]);
      const within: CrmMapping = {
        ...zendesk,
        rules: [rule('solved', 'ZD_X', 13), rule('pending', 'ZD_X', 14)],
      };
      expect(codesOf(settled([within], []).problems)).toEqual(['crm.codeConflict']);
    });

    it('reports a second mapping for the same system and ignores it', () => {
      const again: CrmMapping = { ...zendesk, rules: [rule('nope', 'X_1', 30)], at: line(28, 5) };
      expect(settled([zendesk, again], []).problems).toEqual([
        {
          severity: 'error',
          code: 'crm.duplicateSystem',
          message: 'CRM system zendesk has two mappings; the first is at manifests/crm.yaml:8:5',
          at: line(28, 5),
          hint: 'merge the two into one crmMappings entry',
          related: [line(8, 5)],
        },
      ]);
    });

    it('reports an unreadable status file where the manifest names it', () => {
      const unreadable: CrmMapping = {
        ...salesforce,
        statuses: { file: CSV, readError: 'no such file', referencedAt: line(3, 15) },
      };
      const resolution = settled([unreadable], []);
      expect(resolution.problems).toEqual([
        {
          severity: 'error',
          code: 'crm.statusFileUnreadable',
          message: `cannot read the salesforce status list ${CSV}: no such file`,
          at: line(3, 15),
          hint: 'the path is relative to the manifest that names it',
        },
      ]);
      expect(resolution.table).toEqual([]);
    });

    it('reports only the CSV errors of a malformed status file, not orphans that follow from them', () => {
      const broken: CrmMapping = {
        ...salesforce,
        statuses: {
          file: CSV,
          text: 'status,description\nCASE_CLOSED_RESOLVED,"Case resolved\n',
          referencedAt: line(3, 15),
        },
      };
      const resolution = settled([broken, zendesk], []);
      expect(codesOf(resolution.problems)).toEqual(['crm.csvSyntax']);
      expect(resolution.problems[0]?.at).toEqual({ file: CSV, line: 2, column: 22 });
      expect(resolution.table.map((row) => row.system)).toEqual(['zendesk', 'zendesk']);
    });

    it('refuses a mapped status whose description cannot be a name: empty or over 100 characters', () => {
      const long = 'x'.repeat(101);
      const mapping: CrmMapping = {
        ...zendesk,
        statuses: [
          inline('solved', '  ', 10),
          inline('pending', long, 11),
          inline('open', 'y'.repeat(101), 12),
        ],
        rules: [rule('solved', 'ZD_SOLVED', 13), rule('pending', 'ZD_PENDING', 14)],
      };
      const resolution = settled([mapping], []);
      expect(resolution.problems).toEqual([
        {
          severity: 'error',
          code: 'crm.emptyDescription',
          message:
            'zendesk status solved has no description, but wrap-up code ZD_SOLVED takes its name from it',
          at: line(10),
          hint: 'give the status a description (1 to 100 characters)',
          related: [line(13)],
        },
        {
          severity: 'error',
          code: 'crm.descriptionTooLong',
          message:
            'zendesk status pending has a description of 101 characters, but wrap-up code ZD_PENDING takes its name from it and names have at most 100',
          at: line(11),
          hint: 'shorten the description in the status list',
          related: [line(14)],
        },
        // The long description of the unmapped status is no problem: it generates no code.
        expect.objectContaining({ code: 'crm.unmappedStatus', severity: 'warning' }),
      ]);
      expect(resolution.generatedCodes).toEqual([]);
    });

    it('counts characters, not UTF-16 units: 100 emoji make a valid name', () => {
      const mapping: CrmMapping = {
        ...zendesk,
        statuses: [inline('solved', '😀'.repeat(100), 10)],
        rules: [rule('solved', 'ZD_SOLVED', 13)],
      };
      const resolution = settled([mapping], []);
      expect(resolution.problems).toEqual([]);
      expect(resolution.generatedCodes[0]?.name).toBe('😀'.repeat(100));
    });

    it('points at the description field of a CSV row', () => {
      const mapping: CrmMapping = {
        ...salesforce,
        statuses: {
          file: CSV,
          text: 'status,description\nCASE_CLOSED_RESOLVED,\n',
          referencedAt: line(3),
        },
        rules: [rule('CASE_CLOSED_RESOLVED', 'RES_001', 5)],
      };
      const [problem] = settled([mapping], []).problems;
      expect(problem).toMatchObject({
        code: 'crm.emptyDescription',
        at: { file: CSV, line: 2, column: 22 },
      });
    });

    it('refuses a generated description over 500 characters', () => {
      const system = 's'.repeat(480);
      const mapping: CrmMapping = { ...zendesk, system, rules: zendesk.rules.slice(0, 1) };
      const problems = settled([mapping], []).problems.filter((p) => p.severity === 'error');
      expect(problems).toEqual([
        {
          severity: 'error',
          code: 'crm.syncedDescriptionTooLong',
          message:
            'the description "Synced from <system> status <status>" of wrap-up code ZD_SOLVED would be 506 characters; at most 500',
          at: line(13),
          hint: 'use a shorter system name or status',
        },
      ]);
    });
  });

  it('gives problems that become diagnostics in one call', () => {
    const diagnostics = pendingToDiagnostics(settled([salesforce], []).problems);
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'crm.unmappedStatus',
        message:
          'salesforce status CASE_ESCALATED has no mapping rule, so no wrap-up code is synced for it',
        file: CSV,
        line: 4,
        column: 1,
        hint: 'add a rule for it, or remove it from the status list',
      },
    ]);
  });

  it('names other places through the formatter, so path-only locations resolve later', () => {
    const byPath = (path: (string | number)[]) => ({ file: MANIFEST, path, document: 0 });
    const mapping: CrmMapping = {
      system: 'zendesk',
      statuses: [
        { status: 'solved', description: 'Solved', at: byPath(['crmMappings', 0, 'statuses', 0]) },
      ],
      rules: [
        { ...rule('solved', 'ZD_A', 0), at: byPath(['crmMappings', 0, 'rules', 0]) },
        { ...rule('solved', 'ZD_B', 0), at: byPath(['crmMappings', 0, 'rules', 1]) },
      ],
      at: byPath(['crmMappings', 0]),
    };
    const [problem] = resolveCrmMappings([mapping], []).problems;
    expect(typeof problem?.message).toBe('function');
    if (problem === undefined) return;
    expect(pendingMessage(problem)).toBe(
      'zendesk status solved is mapped twice; the first rule (to ZD_A) is at manifests/crm.yaml (crmMappings[0].rules[0])',
    );
    const positions = (location: { path?: readonly (string | number)[] }) =>
      location.path?.at(-1) === 0 ? { line: 12, column: 9 } : { line: 13, column: 9 };
    expect(pendingToDiagnostics([problem], positions)[0]).toMatchObject({
      message:
        'zendesk status solved is mapped twice; the first rule (to ZD_A) is at manifests/crm.yaml:12:9',
      line: 13,
      column: 9,
    });
  });

  it('returns nothing for no mappings', () => {
    expect(settled([], [])).toEqual({
      generatedCodes: [],
      table: [],
      unmapped: [],
      problems: [],
    });
  });
});
