import { describe, expect, it } from 'vitest';
import {
  formatLocation,
  formatPath,
  pendingToDiagnostic,
  pendingToDiagnostics,
  type PendingDiagnostic,
} from '../src/diagnostics.js';

describe('formatPath and formatLocation', () => {
  it('writes JSON paths the way JavaScript would', () => {
    expect(formatPath(['crmMappings', 0, 'rules', 2, 'status'])).toBe(
      'crmMappings[0].rules[2].status',
    );
    expect(formatPath(['a b', 1])).toBe('["a b"][1]');
    expect(formatPath([])).toBe('');
  });

  it('prefers file:line:col, then the path, then the bare file', () => {
    expect(formatLocation({ file: 'crm/sf.csv', line: 3, column: 7 })).toBe('crm/sf.csv:3:7');
    expect(formatLocation({ file: 'm.yaml', line: 3 })).toBe('m.yaml:3:1');
    expect(formatLocation({ file: 'm.yaml', path: ['wrapUpCodes', 4] })).toBe(
      'm.yaml (wrapUpCodes[4])',
    );
    expect(formatLocation({ file: 'm.yaml', path: [] })).toBe('m.yaml');
  });
});

describe('pendingToDiagnostic', () => {
  const problem: PendingDiagnostic = {
    severity: 'warning',
    code: 'crm.unmappedStatus',
    message: 'status X has no rule',
    at: { file: 'm.yaml', path: ['crmMappings', 0, 'statuses', 1] },
    hint: 'add a rule',
  };

  it('keeps a known position and copies the hint', () => {
    expect(pendingToDiagnostic({ ...problem, at: { file: 'a.csv', line: 4, column: 2 } })).toEqual({
      severity: 'warning',
      code: 'crm.unmappedStatus',
      message: 'status X has no rule',
      file: 'a.csv',
      line: 4,
      column: 2,
      hint: 'add a rule',
    });
  });

  it('resolves a path-only location with the resolver, else points at 1:1', () => {
    const resolved = pendingToDiagnostics([problem], (at) =>
      at.path?.[0] === 'crmMappings' ? { line: 9, column: 7 } : undefined,
    );
    expect(resolved[0]).toMatchObject({ file: 'm.yaml', line: 9, column: 7 });
    expect(pendingToDiagnostic(problem)).toMatchObject({ file: 'm.yaml', line: 1, column: 1 });
  });
});
