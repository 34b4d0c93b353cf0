import { describe, expect, it } from 'vitest';
import { complianceTestCases, rulesUnderTest } from '../../src/compliance/extension.js';
import { validateTexts } from '../helpers/manifests.js';

const RULE = `complianceRules:
  - campaign: Spring Renewals
    name: Hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: [{ timeZone: America/New_York, startHour: 8, endHour: 20 }]
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
`;
const TEST = `complianceTests:
  - name: evening
    rule: { campaign: Spring Renewals, name: Hours }
    call: { at: "2026-03-04T02:00:00Z", timeZone: America/New_York }
    expect: blocked
    reason: time-window
`;

describe('compliance tests in the manifest pipeline', () => {
  it('turns validated manifests into located cases and rules', () => {
    const result = validateTexts({ 'r.yaml': RULE, 't.yaml': TEST });
    expect(result.diagnostics).toEqual([]);
    expect(complianceTestCases(result, {})).toEqual([
      {
        name: 'evening',
        rule: { campaign: 'Spring Renewals', name: 'Hours' },
        call: { at: '2026-03-04T02:00:00Z', timeZone: 'America/New_York' },
        expect: 'blocked',
        reason: 'time-window',
        at: { file: 't.yaml', line: 2, column: 5 },
      },
    ]);
    expect(rulesUnderTest(result)).toMatchObject([
      { campaign: 'Spring Renewals', name: 'Hours', at: { file: 'r.yaml', line: 2, column: 5 } },
    ]);
  });

  it('counts a rule the schema rejected as declared, so only the rule is reported', () => {
    const broken = RULE.replace('concurrencyLimit: 5', 'concurrencyLimit: 50');
    const result = validateTexts({ 'r.yaml': broken, 't.yaml': TEST });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema.range']);
  });

  it('applies the default campaign to rule references, as to rules', () => {
    const rule = RULE.replace('  - campaign: Spring Renewals\n    name:', '  - name:');
    const test = TEST.replace('campaign: Spring Renewals, ', '');
    const defaults = { defaultCampaign: 'c-42' };
    const result = validateTexts({ 'r.yaml': rule, 't.yaml': test }, { defaults });
    expect(result.diagnostics).toEqual([]);
    expect(complianceTestCases(result, defaults)[0]?.rule).toEqual({
      campaign: 'c-42',
      name: 'Hours',
    });
  });
});
