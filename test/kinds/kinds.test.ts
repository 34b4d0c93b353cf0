import { describe, expect, it } from 'vitest';
import { complianceRulesKind, resourceKinds, wrapUpCodesKind } from '../../src/kinds/index.js';
import { checkTimeZone } from '../../src/kinds/timeZones.js';

describe('time zones', () => {
  it('accepts canonical IANA zones and aliases the runtime knows', () => {
    for (const zone of [
      'America/New_York',
      'Europe/Paris',
      'UTC',
      'Etc/GMT+5',
      'Asia/Kolkata',
      'US/Eastern',
    ]) {
      expect(checkTimeZone(zone), zone).toEqual({ ok: true });
    }
  });

  it('refuses offsets, unknown zones and wrong case, with suggestions', () => {
    expect(checkTimeZone('+05:00').ok).toBe(false);
    expect(checkTimeZone('Mars/Olympus')).toEqual({ ok: false });
    expect(checkTimeZone('america/new_york')).toEqual({
      ok: false,
      suggestion: 'America/New_York',
    });
    expect(checkTimeZone('Europe/Pariss')).toEqual({ ok: false, suggestion: 'Europe/Paris' });
  });
});

describe('resource kinds', () => {
  it('registers wrap-up codes and compliance rules', () => {
    expect(Object.keys(resourceKinds)).toEqual(['wrapUpCodes', 'complianceRules']);
  });

  it('identifies objects by natural key', () => {
    const code = wrapUpCodesKind.normalise(
      { code: 'A1', name: 'n', category: 'c', duration: 1 },
      {},
    );
    expect(wrapUpCodesKind.identity(code)).toBe('A1');
    expect(wrapUpCodesKind.describe(code)).toBe('wrap-up code A1');
    const rule = complianceRulesKind.normalise(
      {
        campaign: 'C',
        name: 'R1',
        type: 'FREQUENCY_LIMIT',
        jurisdiction: 'J',
        timeZoneRestrictions: [{ timeZone: 'UTC', startHour: 1, endHour: 2 }],
        dncLists: ['b', 'a'],
        maxCallsPerDay: 1,
        concurrencyLimit: 1,
      },
      {},
    );
    expect(complianceRulesKind.identity(rule)).toBe('["C","R1"]');
    expect(rule.dncLists).toEqual(['a', 'b']);
    expect(rule.geographicExclusions).toEqual([]);
  });
});
