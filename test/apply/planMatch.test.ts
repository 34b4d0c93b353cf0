import { describe, expect, it } from 'vitest';
import { changeId, type ResumePoint } from '../../src/apply/executor.js';
import { matchSavedChanges } from '../../src/apply/planMatch.js';
import type { WrapUpCodeFields } from '../../src/cxone/types.js';
import type { PlannedChange } from '../../src/plan/types.js';

function update(key: string, body: Record<string, unknown>, version = 1): PlannedChange {
  // A saved plan's body is only schema-checked, so it may hold any members: these stand for that.
  const savedBody = { code: key, ...body } as WrapUpCodeFields;
  return {
    kind: 'wrapUpCode',
    key,
    action: 'update',
    live: { id: `wuc-${key}`, version },
    body: savedBody,
    fields: [{ path: 'duration', oldValue: 60, newValue: body.duration }],
    source: { file: 'manifests/codes.yaml', line: 2 },
  };
}

const code = {
  code: 'AA',
  name: 'a',
  category: 'X',
  duration: 120,
  isActive: true,
  isDefault: true,
};
const live = { id: 'wuc-AA', version: 2, fields: { id: 'wuc-AA', version: 2, ...code } };

describe('matchSavedChanges', () => {
  it('accepts the same changes, declared elsewhere, and executes the fresh ones', () => {
    const saved = [update('AA', { duration: 120 }), update('BB', { duration: 90 })];
    const fresh = saved.map((c) => ({ ...c, source: { file: 'other.yaml', line: 9 } }));
    const match = matchSavedChanges(saved, fresh, new Map());
    expect(match).toEqual({ status: 'same', changes: fresh });
  });

  it('names the first differing member by JSON pointer, escaped', () => {
    const saved = [update('AA', { duration: 120, 'a/b~': { x: [1, 2, 3] } })];
    const fresh = [update('AA', { duration: 120, 'a/b~': { x: [1, 2, 4] } })];
    const match = matchSavedChanges(saved, fresh, new Map());
    expect(match.status === 'different' && match.difference.field).toBe('/body/a~1b~0/x/2');
  });

  it('half-way through a default move compares only what is left to send', () => {
    const saved = [update('AA', { duration: 120, isDefault: true })];
    const resume = new Map<string, ResumePoint>([[changeId(saved[0]!), { state: 'claim', live }]]);
    // Planning now sees the released object: another version and other field differences.
    const fresh = [
      {
        ...update('AA', { duration: 120, isDefault: true }, 2),
        fields: [{ path: 'isDefault', oldValue: false, newValue: true }],
      },
    ];
    expect(matchSavedChanges(saved, fresh, resume)).toEqual({ status: 'same', changes: saved });
    const tampered = [update('AA', { duration: 7000, isDefault: true })];
    const match = matchSavedChanges(tampered, fresh, resume);
    expect(match.status === 'different' && match.difference.field).toBe('/body/duration');
  });

  it('an applied change must be absent from the fresh plan', () => {
    const saved = [update('AA', { duration: 120 })];
    const resume = new Map<string, ResumePoint>([[changeId(saved[0]!), { state: 'done', live }]]);
    expect(matchSavedChanges(saved, [], resume)).toEqual({ status: 'same', changes: saved });
    const match = matchSavedChanges(saved, [update('AA', { duration: 130 }, 2)], resume);
    expect(match.status === 'different' && match.difference.reason).toBe(
      'the update of wrap-up code "AA" is already applied, yet planning now gives a change for it',
    );
  });

  it('names a compliance rule once, by its key', () => {
    const rule = (dncListIds: string[]): PlannedChange => ({
      kind: 'complianceRule',
      key: 'Spring Renewals/US hours',
      action: 'create',
      body: {
        name: 'US hours',
        type: 'TIME_RESTRICTION',
        jurisdiction: 'US-FCC',
        timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
        dncListIds,
        maxCallsPerDay: 1,
        concurrencyLimit: 5,
        geographicExclusions: [],
      },
      fields: [],
    });
    const match = matchSavedChanges([rule(['dnc-1'])], [rule(['dnc-2'])], new Map());
    expect(match.status === 'different' && match.difference.reason).toBe(
      'the create of compliance rule "Spring Renewals/US hours" differs at /body/dncListIds/0',
    );
  });
});
