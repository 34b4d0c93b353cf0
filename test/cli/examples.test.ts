import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/packageRoot.js';
import { cxctl } from '../helpers/project.js';

/** The realistic tenant under examples/ must pass every offline command, as the README shows. */
describe('examples/', () => {
  const examples = join(packageRoot(), 'examples');

  it('validates, with CRM-generated codes among the wrap-up codes', async () => {
    const result = await cxctl(examples, ['validate', '--no-color']);
    expect(result.stdout).not.toContain('warning');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ files valid: \d+ wrap-up codes, \d+ compliance rules\n/);
    const strict = await cxctl(examples, ['validate', '--strict']);
    expect(strict.code).toBe(0);
  });

  it('passes its compliance tests', async () => {
    const result = await cxctl(examples, ['test', '--no-color']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n(\d+) tests: \1 passed, 0 failed, 0 errors\n$/);
    expect(result.stdout).not.toContain('FAIL');
  });

  it('prints the CRM table for both systems', async () => {
    const result = await cxctl(examples, ['crm', 'mappings', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const table = JSON.parse(result.stdout) as { mappings: { system: string }[]; unmapped: [] };
    expect(new Set(table.mappings.map((row) => row.system))).toEqual(
      new Set(['dynamics365', 'salesforce']),
    );
    expect(table.unmapped).toEqual([]);
  });
});
