import { describe, expect, it } from 'vitest';
import { campaignSlugs, CODES_PER_FILE, exportManifests } from '../../src/export/manifests.js';
import { ReferenceIndex } from '../../src/kinds/references.js';
import { liveOf, planTexts, stateOf } from '../helpers/planning.js';

const state = stateOf({
  wrapUpCodes: [
    { code: 'ZZ_LAST', name: 'Last: with colon', category: 'Sales', duration: 60, isActive: false },
    {
      code: 'MM_DOLLAR',
      name: 'Costs ${env:HOME} and $${x}',
      category: 'Sales',
      duration: 60,
    },
    {
      code: 'AA_FIRST',
      name: 'true',
      category: 'Resolution',
      duration: 300,
      isDefault: true,
      description: 'Two\nlines',
    },
  ],
  complianceRules: [
    {
      campaignId: 'cmp-1',
      name: 'Zeta',
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [
        { timeZone: 'America/New_York', startHour: 8, endHour: 20 },
        { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
      ],
      dncListIds: ['dnc-3', 'dnc-1'],
      maxCallsPerDay: 1,
      concurrencyLimit: 5,
    },
    {
      campaignId: 'cmp-1',
      name: 'Alpha',
      type: 'FREQUENCY_LIMIT',
      jurisdiction: 'US-FL',
      timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
      dncListIds: ['dnc-4'],
      maxCallsPerDay: 3,
      concurrencyLimit: 3,
      geographicExclusions: [{ latitude: 27.9506, longitude: -82.4572, radiusKm: 80 }],
    },
  ],
});

describe('exportManifests', () => {
  const result = exportManifests(liveOf(state), { cxctlVersion: '9.9.9' });
  const byPath = Object.fromEntries(result.files.map((file) => [file.path, file.text]));

  it('writes one file per kind and per campaign, sorted, with the schema modeline', () => {
    expect(result.files.map((file) => file.path)).toEqual([
      'compliance-rules/spring-renewals.yaml',
      'wrap-up-codes.yaml',
    ]);
    for (const file of result.files) {
      expect(file.text.split('\n')[0]).toBe(
        '# yaml-language-server: $schema=https://unpkg.com/cxctl@9.9.9/schemas/manifest.schema.json',
      );
    }
    expect(result.counts).toEqual({ wrapUpCodes: 3, complianceRules: 2, campaigns: 1 });
  });

  it('leaves defaults out and writes names instead of ids, in a fixed order', () => {
    expect(byPath['wrap-up-codes.yaml']).toContain('    name: Costs $${env:HOME} and $$${x}\n');
    expect(byPath['wrap-up-codes.yaml']!.replace(/ {2}- code: MM_DOLLAR\n( {4}.*\n)+/, '')).toBe(
      '# yaml-language-server: $schema=https://unpkg.com/cxctl@9.9.9/schemas/manifest.schema.json\n' +
        '# Wrap-up codes, written by cxctl export.\n' +
        'version: 1\n' +
        'wrapUpCodes:\n' +
        '  - code: AA_FIRST\n' +
        '    name: "true"\n' +
        '    category: Resolution\n' +
        '    duration: 300\n' +
        '    isDefault: true\n' +
        '    description: |-\n' +
        '      Two\n' +
        '      lines\n' +
        '  - code: ZZ_LAST\n' +
        '    name: "Last: with colon"\n' +
        '    category: Sales\n' +
        '    duration: 60\n' +
        '    isActive: false\n',
    );
    const rules = byPath['compliance-rules/spring-renewals.yaml']!;
    expect(rules).toContain('# Compliance rules of campaign "Spring Renewals" (cmp-1)');
    expect(rules.indexOf('name: Alpha')).toBeLessThan(rules.indexOf('name: Zeta'));
    expect(rules).toContain('    dncLists: [Internal DNC, Litigator Scrub]\n');
    expect(rules).toContain(
      '      - {timeZone: America/Chicago, startHour: 8, endHour: 20}\n      - {timeZone: America/New_York, startHour: 8, endHour: 20}\n',
    );
    expect(rules).toContain(
      '    geographicExclusions:\n      - {latitude: 27.9506, longitude: -82.4572, radiusKm: 80}\n',
    );
    expect(rules.match(/geographicExclusions/g)).toHaveLength(1);
    expect(rules).not.toContain('cmp-1\n');
  });

  it('is the same bytes every time, whatever order live state came in', () => {
    const shuffled = liveOf({
      ...state,
      wrapUpCodes: [...state.wrapUpCodes].reverse(),
      complianceRules: [...state.complianceRules].reverse(),
    });
    expect(exportManifests(shuffled, { cxctlVersion: '9.9.9' })).toEqual(result);
  });

  it('plans to nothing against the tenant it came from', () => {
    const { plan, ok, positioned } = planTexts(byPath, state);
    expect(ok).toBe(true);
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged).toEqual([]);
    // The rule naming an inactive list round-trips, with a warning that a change would be refused.
    expect(positioned.map((d) => d.code)).toEqual(['reference.dncListInactive']);
  });

  it('splits large code sets into numbered files', () => {
    const many = liveOf(
      stateOf({
        wrapUpCodes: Array.from({ length: CODES_PER_FILE + 1 }, (_u, i) => ({
          code: `C${String(i).padStart(6, '0')}`,
          name: 'n',
          category: 'Sales',
          duration: 1,
        })),
      }),
    );
    expect(exportManifests(many, { cxctlVersion: '1' }).files.map((f) => f.path)).toEqual([
      'wrap-up-codes-01.yaml',
      'wrap-up-codes-02.yaml',
    ]);
  });
});

describe('campaignSlugs', () => {
  it('makes file names from campaign names, adding the id where two collide', () => {
    const refs = new ReferenceIndex({
      categories: [],
      campaigns: [
        { id: 'cmp-1', name: 'Spring Renewals!' },
        { id: 'cmp-2', name: 'spring renewals' },
        { id: 'cmp-3', name: 'Été 2026' },
        { id: 'cmp-4', name: '***' },
      ],
      dncLists: [],
    });
    expect(Object.fromEntries(campaignSlugs(['cmp-1', 'cmp-2', 'cmp-3', 'cmp-4'], refs))).toEqual({
      'cmp-1': 'spring-renewals-cmp-1',
      'cmp-2': 'spring-renewals-cmp-2',
      'cmp-3': 'ete-2026',
      'cmp-4': 'cmp-4',
    });
  });
});
