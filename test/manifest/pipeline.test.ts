import { describe, expect, it } from 'vitest';
import type { ManifestExtension } from '../../src/manifest/pipeline.js';
import { codeYaml, validateTexts, VALID_MANIFEST } from '../helpers/manifests.js';

describe('manifest pipeline', () => {
  it('merges documents and files into sorted desired state', () => {
    const result = validateTexts({
      'b.yaml': `wrapUpCodes:\n${codeYaml('ZZ_1')}---\nwrapUpCodes:\n${codeYaml('AA_1')}`,
      'a.yaml': VALID_MANIFEST,
    });
    expect(result.ok).toBe(true);
    expect(result.desired.wrapUpCodes.map((item) => item.value.code)).toEqual([
      'AA_1',
      'RES_001',
      'SAL_002',
      'ZZ_1',
    ]);
    expect(result.desired.wrapUpCodes[0]!.at).toEqual({
      file: 'b.yaml',
      document: 1,
      path: ['wrapUpCodes', 0],
    });
    expect(result.merged.scope?.value).toEqual({ campaigns: ['Spring Renewals'] });
    expect(result.loadFailed).toBe(false);
  });

  it('lets extensions add derived wrap-up codes that are checked with the others', () => {
    const crmLike: ManifestExtension = {
      name: 'derived codes',
      expand: (manifest, context) => {
        const source = manifest.items.crmMappings[0]!;
        expect(context.format(source.at)).toBe('m.yaml:7:5');
        return {
          wrapUpCodes: [
            {
              value: { code: 'AA_1', name: 'derived', category: 'Resolution', duration: 5 },
              at: { ...source.at, path: [...source.at.path, 'rules', 0] },
              schemaValid: true,
            },
          ],
        };
      },
    };
    const text = `wrapUpCodes:\n${codeYaml('AA_1')}crmMappings:\n  - system: s\n    statuses: s.csv\n    rules:\n      - { status: S, code: AA_1, category: Resolution, duration: 5 }\n`;
    const result = validateTexts(
      { 'm.yaml': text },
      { extensions: [crmLike], standardExtensions: false },
    );
    expect(result.diagnostics).toMatchObject([
      {
        code: 'wrapUpCode.duplicate',
        line: 10,
        column: 28,
        message: 'wrap-up code AA_1 is declared twice: here and at m.yaml:2:11',
      },
    ]);
  });

  it('marks a run whose files failed to load', () => {
    const result = validateTexts({ 'bad.yaml': 'a: [', 'good.yaml': VALID_MANIFEST });
    expect(result.ok).toBe(false);
    expect(result.loadFailed).toBe(true);
    // A run with problems is read by the position-keeping parser only (the fast path's rule).
    expect(result.files.map((file) => [file.file, file.path, file.failed])).toEqual([
      ['bad.yaml', 'slow', true],
      ['good.yaml', 'slow', false],
    ]);
  });

  it('reads a run without problems on the fast path', () => {
    const result = validateTexts({ 'good.yaml': VALID_MANIFEST });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((file) => file.path)).toEqual(['fast']);
  });
});

describe('aliases in manifests', () => {
  it('report a bad shared value once, at its anchor', () => {
    const rule = (campaign: string, zones: string) => `  - campaign: ${campaign}
    name: Hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: ${zones}
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
`;
    const text = `complianceRules:\n${rule('A', '&zones\n      - { timeZone: UTC, startHour: 8, endHour: 24 }')}${rule('B', '*zones')}`;
    const result = validateTexts({ 'r.yaml': text });
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '7:49 endHour must be between 0 and 23, got 24',
    ]);
  });
});
